import NN
import Tensor

/// How a Wasserstein critic is kept (close to) 1-Lipschitz.
public enum LipschitzConstraint: Sendable {
    /// WGAN: clip every critic weight to [−c, c] after each update.
    case weightClipping(Float)
    /// WGAN-GP: add λ·E[(‖∇C(x̂)‖ − 1)²] to the critic's loss.
    case gradientPenalty(lambda: Float)
}

/// What one Wasserstein iteration reports (averaged over its critic updates).
public struct WassersteinStep {
    /// E[C(x)] − E[C(G(z))], the critic's estimate of the Wasserstein distance.
    public var wassersteinEstimate: Float
    public var generatorLoss: Float
    /// The gradient penalty (0 under weight clipping).
    public var penalty: Float
    /// Mean ‖∇ₓ̂ C(x̂)‖ at the interpolates (under clipping: measured, not penalised).
    public var gradientNorm: Float
}

/// A generator, a critic, their optimisers and a Lipschitz constraint: the WGAN and
/// WGAN-GP chapters differ only in `constraint` and the optimiser they pass.
public final class WassersteinGAN {
    public let generator: any Layer
    public let critic: any Layer
    public let generatorOptimizer: any Optimizer
    public let criticOptimizer: any Optimizer
    public let constraint: LipschitzConstraint
    public let criticUpdates: Int
    public let latent: Int

    public init(generator: any Layer, critic: any Layer, generatorOptimizer: any Optimizer,
                criticOptimizer: any Optimizer, constraint: LipschitzConstraint, criticUpdates: Int, latent: Int) {
        self.generator = generator
        self.critic = critic
        self.generatorOptimizer = generatorOptimizer
        self.criticOptimizer = criticOptimizer
        self.constraint = constraint
        self.criticUpdates = criticUpdates
        self.latent = latent
    }

    /// One iteration: `criticUpdates` critic updates, each on a fresh real batch from
    /// `nextRealBatch`, then one generator update.
    public func trainStep(nextRealBatch: () -> Tensor, using random: inout SeededGenerator) -> WassersteinStep {
        var estimate: Float = 0, penaltySum: Float = 0, normSum: Float = 0
        var last = (real: Tensor(0), fake: Tensor(0))
        for _ in 0..<criticUpdates {
            let real = nextRealBatch()
            let (w, penalty, norm, fake) = criticStep(real: real, using: &random)
            estimate += w
            penaltySum += penalty
            normSum += norm ?? 0
            last = (real, fake)
        }
        let batchSize = last.real.shape[0]
        let n = Float(criticUpdates)
        var gradientNorm = normSum / n
        if case .weightClipping = constraint {
            // Measured once per iteration, for comparison with the penalty's target of 1.
            gradientNorm = interpolateGradientNorm(real: last.real, fake: last.fake, using: &random)
        }
        // snippet.generator-step
        let z = Tensor.randomNormal([batchSize, latent], using: &random)
        let generatorLoss = wassersteinGeneratorLoss(fakeScores: critic(generator(z)))
        generatorOptimizer.step(gradients(of: generatorLoss, wrt: generator.parameters))
        // snippet.end
        return WassersteinStep(wassersteinEstimate: estimate / n, generatorLoss: generatorLoss.item,
                               penalty: penaltySum / n, gradientNorm: gradientNorm)
    }

    /// One critic update; returns the Wasserstein estimate, the penalty, under the penalty
    /// the mean ‖∇C(x̂)‖, and the generated batch it used.
    func criticStep(real: Tensor, using random: inout SeededGenerator) -> (Float, Float, Float?, Tensor) {
        // snippet.critic-step
        let z = Tensor.randomNormal([real.shape[0], latent], using: &random)
        let fake = withoutGradients { generator(z) }  // the critic's step does not move G
        var loss = criticLoss(realScores: critic(real), fakeScores: critic(fake))
        let estimate = -loss.item
        var penaltyValue: Float = 0, slope: Float?
        if case .gradientPenalty(let lambda) = constraint {
            let (penalty, meanNorm) = gradientPenalty(critic: { self.critic($0) }, real: real, fake: fake, using: &random)
            loss = loss + lambda * penalty
            (penaltyValue, slope) = (penalty.item, meanNorm)
        }
        criticOptimizer.step(gradients(of: loss, wrt: critic.parameters))
        if case .weightClipping(let c) = constraint {
            clipValues(of: critic.parameters, to: c)  // in place: the stored weights change
        }
        // snippet.end
        return (estimate, penaltyValue, slope, fake)
    }

    /// ‖∇ₓ̂ C(x̂)‖ at interpolates, measured without a penalty to compare the two
    /// constraints; on 16 samples of the last critic update's batches, to stay cheap.
    func interpolateGradientNorm(real: Tensor, fake: Tensor, using random: inout SeededGenerator) -> Float {
        let n = min(16, real.shape[0])
        let points = interpolates(real: real.slice(0..<n), fake: fake.slice(0..<n), using: &random)
        let norms = criticGradientNorms(critic: { self.critic($0) }, at: points, createGraph: false)
        return norms.mean().item
    }
}

/// All weight matrices of a network (biases left out), flattened: for histograms.
public func weightValues(of layer: any Layer) -> [Double] {
    layer.namedParameters.filter { $0.name.hasSuffix("weight") }.flatMap { $0.tensor.values.map(Double.init) }
}

extension TrainingRun {
    /// Trains `wgan` for the run's iterations on `batches` (each iteration draws one real
    /// batch per critic update) and logs the Wasserstein estimate, the generator's loss,
    /// the penalty and the critic's gradient norm at interpolates.
    public func train(_ wgan: WassersteinGAN, on batches: ImageBatches, snapshotNoise: Tensor) {
        let imageShape = batches.data.imageShape
        train(metrics: Self.wassersteinMetrics,
              snapshot: { wgan.generator(snapshotNoise).reshaped([-1] + imageShape) }) { _, random in
            let step = wgan.trainStep(
                nextRealBatch: { batches.next().reshaped([batches.batchSize, -1]) },  // the MLPs take vectors
                using: &random)
            return [step.wassersteinEstimate, step.generatorLoss, step.penalty, step.gradientNorm]
        }
    }

    public static let wassersteinMetrics = ["w_estimate", "g_loss", "penalty", "grad_norm"]

    /// The standard Wasserstein figures: the estimate of W, the generator's loss and the
    /// critic's gradient norm at interpolates (the penalty's target is 1).
    public func plotWassersteinCurves(label: String) {
        plot("wasserstein", title: "Critic's estimate of the Wasserstein distance", yTitle: "E[C(x)] − E[C(G(z))]",
             series: [("w_estimate", label)])
        plot("generator_loss", title: "Generator loss", yTitle: "−E[C(G(z))]", series: [("g_loss", label)])
        plot("gradient_norm", title: "Critic's gradient norm between real and generated samples",
             yTitle: "mean ‖∇C(x̂)‖", series: [("grad_norm", label)], logarithmicY: true)
    }
}
