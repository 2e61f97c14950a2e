import NN
import Tensor

/// What one minimax iteration reports.
public struct MinimaxStep {
    public var discriminatorLoss: Float
    public var generatorLoss: Float
    /// Mean D(x) on the real batch and mean D(G(z)) on the generated one, before D's update.
    public var realScore: Float
    public var fakeScore: Float
    /// ‖∇θ loss_G‖ over all of G's parameters: the signal the generator learns from.
    public var generatorGradientNorm: Float

    /// The names of `values`, as the CSV log and the figures use them.
    public static let metrics = ["d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm"]
    public var values: [Float] { [discriminatorLoss, generatorLoss, realScore, fakeScore, generatorGradientNorm] }
}

/// A generator, a discriminator (logits out), their optimisers and the stabilising tricks of
/// §11.3: the game of §11.2, written once for the MLP, DCGAN and toy chapters.
public final class MinimaxGAN {
    public let generator: any Layer
    public let discriminator: any Layer
    public let generatorOptimizer: any Optimizer
    public let discriminatorOptimizer: any Optimizer
    public let latent: Int
    /// −log D(G(z)) (non-saturating) or the literal log(1 − D(G(z))).
    public var generatorLossKind: GeneratorLossKind = .nonSaturating
    /// D's target for real images: below 1 for one-sided label smoothing.
    public var realTarget: Float = 1
    /// Noise added to every image D sees, annealed to 0 over the run.
    public var instanceNoise: InstanceNoise?
    /// The fraction of D's targets flipped (real ↔ fake) in each batch: label flipping.
    public var labelFlipping: Float = 0
    /// D's first layers: when set, G is trained by feature matching on their output
    /// instead of by fooling D.
    public var featureMatching: (any Layer)?

    public init(generator: any Layer, discriminator: any Layer, generatorOptimizer: any Optimizer,
                discriminatorOptimizer: any Optimizer, latent: Int) {
        self.generator = generator
        self.discriminator = discriminator
        self.generatorOptimizer = generatorOptimizer
        self.discriminatorOptimizer = discriminatorOptimizer
        self.latent = latent
    }

    /// One iteration on the batch `real`; `step` anneals the instance noise.
    public func trainStep(real: Tensor, step: Int = 0, using random: inout SeededGenerator) -> MinimaxStep {
        // snippet.minimax-step
        let z = Tensor.randomNormal([real.shape[0], latent], using: &random)
        let fake = generator(z)

        // Discriminator: real → 1 (or the smoothed target), fake → 0. The fakes are
        // detached, so this step does not move G.
        let realLogits = discriminator(noisy(real, step, &random))
        let fakeLogits = discriminator(noisy(fake.detached(), step, &random))
        let dLoss = labelFlipping == 0
            ? discriminatorLoss(realLogits: realLogits, fakeLogits: fakeLogits, realTarget: realTarget)
            : binaryCrossEntropy(logits: realLogits, targets: flippedTargets(
                  count: real.shape[0], target: realTarget, flippedTarget: 0, fraction: labelFlipping, using: &random))
              + binaryCrossEntropy(logits: fakeLogits, targets: flippedTargets(
                  count: real.shape[0], target: 0, flippedTarget: 1, fraction: labelFlipping, using: &random))
        discriminatorOptimizer.step(gradients(of: dLoss, wrt: discriminator.parameters))

        // Generator: make the updated D score the same fakes as real (or, with feature
        // matching, match D's features of real images). The gradient flows back through D
        // into G, and only G's parameters are updated.
        let gLoss = if let features = featureMatching {
            featureMatchingLoss(realFeatures: features(noisy(real, step, &random)),
                                fakeFeatures: features(noisy(fake, step, &random)))
        } else {
            generatorLoss(fakeLogits: discriminator(noisy(fake, step, &random)), generatorLossKind)
        }
        let gGradients = gradients(of: gLoss, wrt: generator.parameters)
        generatorOptimizer.step(gGradients)
        // snippet.end
        return MinimaxStep(discriminatorLoss: dLoss.item, generatorLoss: gLoss.item,
                           realScore: meanProbability(realLogits), fakeScore: meanProbability(fakeLogits),
                           generatorGradientNorm: globalNorm(gGradients))
    }

    private func noisy(_ images: Tensor, _ step: Int, _ random: inout SeededGenerator) -> Tensor {
        instanceNoise?.apply(images, step: step, using: &random) ?? images
    }
}
