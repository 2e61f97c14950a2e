import NN
import Tensor
import Testing
@testable import Workbook

/// §11.2's warm-up: the moments helpers on cases worked by hand, and a short training run
/// that must find the known answer, which a broken update must not.
@Suite struct GaussianWarmupTests {
    @Test func momentsOfPointsAreExactOnAHandMadeSet() throws {
        // Mean (1.5, 2); deviations x: −1.5, −0.5, 0.5, 1.5 and y: −2, −1, 0, 3, so with the
        // unbiased 1/(n − 1): Σxx = 5/3, Σxy = 8/3, Σyy = 14/3.
        let stats = try GaussianStats(points: Tensor(shape: [4, 2], values: [0, 0, 1, 1, 2, 2, 3, 5]))
        #expect(stats.mu == [1.5, 2])
        for (value, expected) in zip(stats.sigma, [5.0 / 3, 8.0 / 3, 8.0 / 3, 14.0 / 3]) {
            #expect(abs(value - expected) < 1e-12)
        }
    }

    @Test func anAffineMapHasMeanBAndCovarianceAATransposed() throws {
        let gaussian = AffineGaussian(matrix: [[1, 2], [3, 4]], offset: [5, 6])
        let moments = try gaussian.moments()
        #expect(moments.mu == [5, 6])
        #expect(moments.sigma == [5, 11, 11, 25])  // [1·1 + 2·2, 1·3 + 2·4; ·, 3·3 + 4·4]

        // The same numbers read off a Linear layer: W is its [out, in] weight, c its bias.
        var random = SeededGenerator(seed: 1)
        let layer = Linear(2, 2, using: &random)
        layer.weight.assign(Tensor(shape: [2, 2], values: [1, 2, 3, 4]))
        layer.bias?.assign(Tensor(shape: [2], values: [5, 6]))
        #expect(try AffineGaussian(layer).moments() == moments)
    }

    /// Samples of x = A z + b must have covariance A Aᵀ, not Aᵀ A (the product the other way
    /// round, which differs for this A): a check of the sampler's orientation.
    @Test func samplesHaveTheClosedFormMoments() throws {
        let gaussian = AffineGaussian(matrix: [[1.2, 0.4], [0.6, 0.7]], offset: [2, 1])
        var random = SeededGenerator(seed: 3)
        let measured = try GaussianStats(points: gaussian.sample(count: 100_000, using: &random))
        let exact = try gaussian.moments()
        #expect(measured.meanDistance(to: exact) < 0.02)
        #expect(measured.relativeCovarianceError(to: exact) < 0.02)
        let flipped = try GaussianStats(mu: [2, 1], sigma: [1.2 * 1.2 + 0.6 * 0.6, 1.2 * 0.4 + 0.6 * 0.7,
                                                           1.2 * 0.4 + 0.6 * 0.7, 0.4 * 0.4 + 0.7 * 0.7])
        #expect(measured.relativeCovarianceError(to: flipped) > 0.1)
    }

    @Test func errorsAreExactOnAHandMadeCase() throws {
        let reference = try GaussianStats(mu: [0, 0], sigma: [2, 0, 0, 2])
        let other = try GaussianStats(mu: [3, 4], sigma: [2, 0, 0, 0])
        #expect(other.meanDistance(to: reference) == 5)
        // ‖diag(0, −2)‖_F / ‖diag(2, 2)‖_F = 2 / √8.
        #expect(abs(other.relativeCovarianceError(to: reference) - 2 / 8.0.squareRoot()) < 1e-15)
        #expect(reference.relativeCovarianceError(to: reference) == 0)
    }

    @Test func theContourIsTwoStandardDeviationsOut() throws {
        let stats = try AffineGaussian(matrix: [[1.2, 0.4], [0.6, 0.7]], offset: [2, 1]).moments()
        let contour = stats.contour(standardDeviations: 2)
        for (x, y) in zip(contour.x, contour.y) {
            #expect(abs(stats.mahalanobisSquared((x, y)) - 4) < 1e-9)
        }
        #expect(stats.mahalanobisSquared((2, 1)) == 0)
    }

    // MARK: training

    /// An optimiser that takes no step: a generator that is never updated.
    final class NoUpdate: Optimizer {
        let parameters: [Tensor]
        var learningRate: Float = 0
        init(_ parameters: [Tensor]) { self.parameters = parameters }
        func step(_ gradients: [Tensor]) {}
        var namedState: [(name: String, tensor: Tensor)] { [] }
        var stepCount: Int { 0 }
        func restore(stepCount: Int) {}
    }

    /// Adam on the negated gradients: it climbs the loss it is given, as a discriminator
    /// whose loss has the wrong sign would.
    final class Ascent: Optimizer {
        let inner: Adam
        init(_ inner: Adam) { self.inner = inner }
        var parameters: [Tensor] { inner.parameters }
        var learningRate: Float { get { inner.learningRate } set { inner.learningRate = newValue } }
        func step(_ gradients: [Tensor]) { inner.step(gradients.map { -$0 }) }
        var namedState: [(name: String, tensor: Tensor)] { inner.namedState }
        var stepCount: Int { inner.stepCount }
        func restore(stepCount: Int) { inner.restore(stepCount: stepCount) }
    }

    enum Breakage { case none, generatorNotUpdated, discriminatorLossSignFlipped }

    /// The chapter's networks and game at a higher learning rate, so that 1,500 iterations
    /// are enough (Adam moves each weight about lr per iteration, and c has about 2 to travel).
    static func shortRun(_ breakage: Breakage) throws -> GaussianWarmup.Run {
        let truth = AffineGaussian(matrix: [[1.2, 0.4], [0.6, 0.7]], offset: [2, 1])
        var weights = SeededGenerator(seed: 0, purpose: "weights")
        let generator = Linear(2, 2, using: &weights)
        let discriminator = toyMLP(inputs: 2, outputs: 1, width: 32, using: &weights)
        let generatorAdam = Adam(generator.parameters, learningRate: 2e-3, beta1: 0.5, beta2: 0.9)
        let discriminatorAdam = Adam(discriminator.parameters, learningRate: 2e-3, beta1: 0.5, beta2: 0.9)
        let game = MinimaxGAN(
            generator: generator, discriminator: discriminator,
            generatorOptimizer: breakage == .generatorNotUpdated ? NoUpdate(generator.parameters) : generatorAdam,
            discriminatorOptimizer: breakage == .discriminatorLossSignFlipped ? Ascent(discriminatorAdam) : discriminatorAdam,
            latent: 2)
        return try GaussianWarmup.train(game, toMatch: truth, steps: 1500, batchSize: 256, snapshotSteps: [], seed: 0)
    }

    /// Within 0.15 of b and 15 % of A Aᵀ, in closed form and measured on G's samples.
    static func foundTheAnswer(_ run: GaussianWarmup.Run) throws -> Bool {
        let truth = try run.truth.moments(), learnt = try run.learnt.moments()
        return learnt.meanDistance(to: truth) < 0.15 && learnt.relativeCovarianceError(to: truth) < 0.15
            && run.generatedSampleMoments.meanDistance(to: truth) < 0.15
            && run.generatedSampleMoments.relativeCovarianceError(to: truth) < 0.15
    }

    @Test func aShortRunRecoversTheMeanAndCovariance() throws {
        let run = try Self.shortRun(.none)
        let truth = try run.truth.moments(), learnt = try run.learnt.moments()
        #expect(try Self.foundTheAnswer(run),
                "‖c − b‖ = \(learnt.meanDistance(to: truth)), relative Σ error \(learnt.relativeCovarianceError(to: truth))")
        // Started far from it: the test is not passed by an untrained G.
        #expect(try run.initial.moments().meanDistance(to: truth) > 1)
        #expect(run.history.count == 1500 && run.meanErrors.count == 1500)
    }

    @Test(arguments: [Breakage.generatorNotUpdated, .discriminatorLossSignFlipped])
    func aBrokenUpdateDoesNotPass(_ breakage: Breakage) throws {
        let run: GaussianWarmup.Run
        do {
            run = try Self.shortRun(breakage)
        } catch is GaussianWarmup.Diverged {
            return  // diverging is failing too
        }
        #expect(try !Self.foundTheAnswer(run), "\(breakage) still found the answer")
    }

    @Test func theTablesCarryTheKnownAnswerAndTheLearntOne() throws {
        let run = try Self.shortRun(.none)
        let table = try run.table()
        #expect(table.contains("| truth: b and A Aᵀ | 2.000 | 1.000 | 1.600 | 1.000 | 0.850 | — | — |"))
        #expect(table.contains("| A, the data's | 1.200 | 0.400 | 0.600 | 0.700 |"))
        #expect(table.contains("| G after 1,500 iterations: c and W Wᵀ |"))
        #expect(table.contains("| last 300 iterations | mean | smallest | largest |"))
    }

    /// A run too short to have a last fifth still gets its tables (from its last iteration).
    @Test func aVeryShortRunStillTabulates() throws {
        var weights = SeededGenerator(seed: 0, purpose: "weights")
        let generator = Linear(2, 2, using: &weights)
        let discriminator = toyMLP(inputs: 2, outputs: 1, width: 4, using: &weights)
        let game = MinimaxGAN(generator: generator, discriminator: discriminator,
                              generatorOptimizer: Adam(generator.parameters), discriminatorOptimizer: Adam(discriminator.parameters),
                              latent: 2)
        let run = try GaussianWarmup.train(game, toMatch: AffineGaussian(matrix: [[1, 0], [0, 1]], offset: [0, 0]),
                                           steps: 3, batchSize: 8, snapshotSteps: [0, 3], seed: 0)
        #expect(run.settledIterations == 2..<3)
        #expect(try run.table().contains("| last iteration | mean | smallest | largest |"))
        #expect(try run.pointsFigure(title: "").render().width > 0)
    }
}
