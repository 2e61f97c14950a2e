import Formats
import NN
import Tensor
import Testing
@testable import Workbook

@Suite struct ModeCollapseTests {
    static let gradientPenaltyRecipe = ModeCollapse.Recipe(
        .wasserstein(.gradientPenalty(lambda: 0.1)),
        optimizer: .adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.9), criticUpdates: 5)

    /// A smooth critic (tanh, so finite differences never straddle a kink) and two small batches.
    static func penaltySetup() -> (critic: Sequential, real: Tensor, fake: Tensor) {
        var random = SeededGenerator(seed: 7)
        let critic = Sequential(Linear(2, 8, using: &random), Activation.tanh, Linear(8, 1, using: &random))
        let real = Tensor(shape: [6, 2], values: ToyDistribution.ring.sample(count: 6, seed: 1))
        let fake = Tensor.randomNormal([6, 2], std: 0.5, using: &random)
        return (critic, real, fake)
    }

    /// The penalty for the critic's current weights, with ε drawn from a fixed seed.
    static func penalty(_ critic: Sequential, _ real: Tensor, _ fake: Tensor, createGraph: Bool = true) -> Tensor {
        var epsilonRandom = SeededGenerator(seed: 3)
        if createGraph {
            return gradientPenalty(critic: { critic($0) }, real: real, fake: fake, using: &epsilonRandom).penalty
        }
        // The original chapter's version: the inner gradient is taken without a graph.
        let points = interpolates(real: real, fake: fake, using: &epsilonRandom)
        let norms = criticGradientNorms(critic: { critic($0) }, at: points, createGraph: false)
        return (norms - 1).squared().mean()
    }

    /// ∂penalty/∂θ for every critic parameter θ by central differences.
    static func finiteDifferenceGradient(_ critic: Sequential, _ real: Tensor, _ fake: Tensor) -> [[Float]] {
        let h: Float = 1e-2
        return critic.parameters.map { parameter in
            (0..<parameter.count).map { index in
                func shifted(_ delta: Float) -> Float {
                    parameter.withUnsafeMutableBufferPointer { $0[index] += delta }
                    defer { parameter.withUnsafeMutableBufferPointer { $0[index] -= delta } }
                    return penalty(critic, real, fake).item
                }
                return (shifted(h) - shifted(-h)) / (2 * h)
            }
        }
    }

    @Test func penaltyGradientMatchesFiniteDifferences() {
        let (critic, real, fake) = Self.penaltySetup()
        let analytic = gradients(of: Self.penalty(critic, real, fake), wrt: critic.parameters)
        let numeric = Self.finiteDifferenceGradient(critic, real, fake)
        for (parameter, (a, n)) in zip(critic.namedParameters.map(\.name), zip(analytic, numeric)) {
            for (index, (x, y)) in zip(a.values, n).enumerated() {
                #expect(abs(x - y) <= 1e-3 + 2e-2 * abs(y), "\(parameter)[\(index)]: autodiff \(x), finite difference \(y)")
            }
        }
    }

    /// Erratum 3: without `createGraph` the penalty has the same value but is a constant
    /// for the critic's weights, so it never shapes the critic; with double backprop it does.
    @Test func penaltyWithoutGraphGivesTheCriticNoGradient() {
        let (critic, real, fake) = Self.penaltySetup()
        let original = Self.penalty(critic, real, fake, createGraph: false)
        let ours = Self.penalty(critic, real, fake)
        #expect(abs(original.item - ours.item) <= 1e-6 * max(1, abs(ours.item)))

        #expect(!original.requiresGrad)
        let originalGradient = gradients(of: original, wrt: critic.parameters)
        #expect(globalNorm(originalGradient) == 0)

        let numericNorm = Self.finiteDifferenceGradient(critic, real, fake).joined().reduce(0) { $0 + $1 * $1 }.squareRoot()
        let oursNorm = globalNorm(gradients(of: ours, wrt: critic.parameters))
        #expect(numericNorm > 0.05, "the penalty does depend on the critic's weights")
        #expect(abs(oursNorm - numericNorm) <= 0.02 * numericNorm)
    }

    /// A short WGAN-GP run on the ring. The critic quickly learns to tell the generator's
    /// blob from the ring, so the estimate of W peaks early; then the generator moves onto
    /// the ring, W shrinks, and the estimate falls well below its peak.
    @Test func wassersteinEstimateFallsAsTheGeneratorLearns() throws {
        let run = try ModeCollapse.train(Self.gradientPenaltyRecipe, on: .ring, steps: 600, seed: 0, snapshotSteps: [])
        let window = 25
        let smoothed = (0...(run.criticValues.count - window)).map {
            run.criticValues[$0..<($0 + window)].reduce(0, +) / Float(window)
        }
        let peak = smoothed.max()!
        #expect(smoothed.firstIndex(of: peak)! < smoothed.count / 4, "the critic separates the players early")
        #expect(smoothed.last! < 0.5 * peak, "the gap closes as the generator learns: peak \(peak), last \(smoothed.last!)")
        #expect(run.coverage.modesCovered >= 4, "the generator reaches the ring: \(run.coverage)")
    }

    @Test func sameSeedSameRun() throws {
        func train() throws -> ModeCollapse.Run {
            try ModeCollapse.train(Self.gradientPenaltyRecipe, on: .grid, steps: 6, seed: 5, snapshotSteps: [3, 6])
        }
        let (first, second) = (try train(), try train())
        #expect(first.snapshots.map(\.samples) == second.snapshots.map(\.samples))
        #expect(first.snapshots.map(\.landscape) == second.snapshots.map(\.landscape))
        #expect(first.coverage == second.coverage)
    }

    @Test func coverageCountsModes() throws {
        let ring = try #require(ToyDistribution.ring.modes)
        let oneMode = (0..<100).flatMap { i in [ring.centres[3].x + 0.001 * Float(i % 5), ring.centres[3].y] }
        let collapsed = ring.coverage(of: oneMode)
        #expect(collapsed.modesCovered == 1)
        #expect(collapsed.highQualityFraction == 1)

        let everyMode = (0..<800).flatMap { i in [ring.centres[i % 8].x, ring.centres[i % 8].y] }
        #expect(ring.coverage(of: everyMode).modesCovered == 8)

        // Points between the modes and at the centre are near no mode.
        let between = (0..<80).flatMap { _ in [Float(0), Float(0)] }
        let missed = ring.coverage(of: between)
        #expect(missed.modesCovered == 0)
        #expect(missed.highQualityFraction == 0)
    }

    @Test func tableReportsMeanAndSampleStandardDeviation() throws {
        let ring = try #require(ToyDistribution.ring.modes)
        func run(modes: Int) -> ModeCollapse.Run {
            // `modes` modes with 100 samples each; the rest of the 800 samples at the origin.
            let points = (0..<800).flatMap { i -> [Float] in
                i < 100 * modes ? [ring.centres[i / 100].x, ring.centres[i / 100].y] : [0, 0]
            }
            return ModeCollapse.Run(recipe: Self.gradientPenaltyRecipe, distribution: .ring, seed: 0, snapshots: [],
                                    criticValues: [], coverage: ring.coverage(of: points), seconds: 0)
        }
        let table = ModeCollapse.table(of: [run(modes: 8), run(modes: 6)])
        #expect(table.contains("| ring of 8 | WGAN-GP λ=0.1 | 2 | 7.0 ± 1.4 of 8 | 87.5 ± 17.7 % |"), "\(table)")
    }
}
