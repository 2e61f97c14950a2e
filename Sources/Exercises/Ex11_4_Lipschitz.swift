import ExerciseKit
import NN
import Tensor

// Exercise 11.4: the two ways of keeping a Wasserstein critic (close to) 1-Lipschitz.

/// Task `weight-clipping`. WGAN's constraint: clip every parameter of `critic` (weights
/// and biases) to [−limit, limit], changing the values the critic computes with.
///
/// Do not repeat the original chapter's bug: it clamped each tensor into a new one and
/// assigned that to a loop variable, so the critic's stored weights never changed. Here
/// `critic.parameters` are the stored tensors; change their values in place
/// (`withUnsafeMutableBufferPointer` or `assign`).
public func clipWeights(of critic: any Layer, to limit: Float) throws {
    throw NotImplementedYet()
}

/// Task `gradient-penalty`. WGAN-GP's penalty E[(‖∇ₓ̂ critic(x̂)‖₂ − 1)²], without the
/// weight λ. The points are x̂ = ε·real + (1 − ε)·fake with one ε per sample, given as
/// `mixing` ([n, 1, 1, 1] for images [n, c, h, w]). Returns a scalar tensor.
///
/// Do not repeat the original chapter's bugs: (1) it took the inner gradient with
/// `backward()` and `.grad()`, which records no graph, so the penalty was a constant with
/// no gradient for the critic's weights. The penalty is a function of a gradient, so it
/// needs double backprop: `gradients(of:wrt:createGraph: true)` with respect to x̂ made a
/// leaf by `requiringGradient()`. (2) The norm is per sample, over all of its channels and
/// pixels, not along one axis.
public func gradientPenalty(critic: (Tensor) -> Tensor, real: Tensor, fake: Tensor, mixing: Tensor) throws -> Tensor {
    throw NotImplementedYet()
}
