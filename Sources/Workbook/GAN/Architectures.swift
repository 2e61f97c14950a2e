import NN
import Tensor

// The original chapter's multi-layer perceptrons, shared by the minimax, WGAN and
// WGAN-GP chapters so that their comparisons are about the loss, not the networks.

// snippet.mlp-models
/// G: z ∈ ℝ^latent → 256 → 512 → 1024 → pixels, ReLU between layers and tanh at the end,
/// so generated pixels lie in [−1, 1] like the real images.
public func mlpGenerator(latent: Int, pixels: Int, using weights: inout SeededGenerator) -> Sequential {
    Sequential(
        Linear(latent, 256, using: &weights), Activation.relu,
        Linear(256, 512, using: &weights), Activation.relu,
        Linear(512, 1024, using: &weights), Activation.relu,
        Linear(1024, pixels, using: &weights), Activation.tanh)
}

/// D (or a WGAN's critic): pixels → 512 → 256 → 1 with LeakyReLU(0.2). It returns a raw
/// score, no sigmoid: the minimax losses apply one stably, a critic needs none.
public func mlpDiscriminator(pixels: Int, using weights: inout SeededGenerator) -> Sequential {
    Sequential(
        Linear(pixels, 512, using: &weights), Activation.leakyRelu(0.2),
        Linear(512, 256, using: &weights), Activation.leakyRelu(0.2),
        Linear(256, 1, using: &weights))
}
// snippet.end
