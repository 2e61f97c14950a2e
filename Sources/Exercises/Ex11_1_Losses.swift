import ExerciseKit
import Tensor

// Exercise 11.1: the losses of the original GAN, on the discriminator's raw scores.

/// Task `discriminator-loss`. The discriminator's loss −E[log D(x)] − E[log(1 − D(G(z)))],
/// where D = σ(logit): the mean over `realLogits` of −log σ(x) plus the mean over
/// `fakeLogits` of −log(1 − σ(x)). Returns a scalar tensor that gradients flow through.
///
/// Do not repeat the original chapter's bug: it took `sigmoid()` and then `log()`. In
/// Float32, σ(x) rounds to exactly 1 for x above about 17 and to 0 far below zero, the log
/// of 0 is −∞, and the gradient of log σ(x) divides by σ(x). The check feeds logits of
/// ±200. Find a form of log σ(x) that never computes σ(x) first (`softplus` is
/// log(1 + eˣ), computed safely).
public func discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor) throws -> Tensor {
    throw NotImplementedYet()
}

/// Task `generator-loss`. The non-saturating generator loss −E[log D(G(z))]: the mean of
/// −log σ(x) over `fakeLogits`, as a scalar tensor. (Not the saturating E[log(1 − D(G(z)))],
/// whose gradient vanishes when D rejects the fakes confidently, which is early in training.)
/// The same warning about `sigmoid().log()` holds.
public func generatorLoss(fakeLogits: Tensor) throws -> Tensor {
    throw NotImplementedYet()
}
