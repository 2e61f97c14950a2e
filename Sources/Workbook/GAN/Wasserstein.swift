import NN
import Tensor

// The Wasserstein GAN's losses (Arjovsky et al. 2017) and the gradient penalty of
// WGAN-GP (Gulrajani et al. 2017). The critic C outputs an unbounded score, not a
// probability: by the Kantorovich–Rubinstein duality,
//     W(p_data, p_G) = sup over 1-Lipschitz f of  E_x[f(x)] − E_z[f(G(z))],
// so a critic kept (close to) 1-Lipschitz and trained to maximise that gap estimates W.

// snippet.wasserstein-losses
/// The critic's loss E[C(G(z))] − E[C(x)]: minimising it maximises the gap between
/// real and generated scores. Its negation is the running estimate of W.
public func criticLoss(realScores: Tensor, fakeScores: Tensor) -> Tensor {
    fakeScores.mean() - realScores.mean()
}

/// The generator's loss −E[C(G(z))]: raise the critic's score of generated samples.
public func wassersteinGeneratorLoss(fakeScores: Tensor) -> Tensor {
    -fakeScores.mean()
}
// snippet.end

// snippet.gradient-penalty
/// WGAN-GP's penalty E[(‖∇ₓ̂ C(x̂)‖₂ − 1)²] at points x̂ between real and generated
/// samples, with the norm taken per sample over all its pixels.
///
/// The penalty is itself a function of a gradient, so it needs double backprop:
/// `createGraph: true` records the inner gradient's computation, and the critic's
/// update can then differentiate the penalty with respect to the critic's weights.
/// (Taking the inner gradient without a graph, as the original chapter did, makes the
/// penalty a constant that never reaches the weights.)
public func gradientPenalty(critic: (Tensor) -> Tensor, real: Tensor, fake: Tensor,
                            using random: inout SeededGenerator) -> (penalty: Tensor, meanNorm: Float) {
    let points = interpolates(real: real, fake: fake, using: &random)
    let norms = criticGradientNorms(critic: critic, at: points, createGraph: true)
    let penalty = (norms - 1).squared().mean()
    return (penalty, withoutGradients { norms.mean().item })
}

/// x̂ = εx + (1 − ε)x̃ on straight lines between real x and generated x̃, one ε ~ U[0, 1]
/// per sample; a new leaf, so that gradients can be taken with respect to it.
public func interpolates(real: Tensor, fake: Tensor, using random: inout SeededGenerator) -> Tensor {
    let epsilon = Tensor.randomUniform([real.shape[0]] + Array(repeating: 1, count: real.rank - 1), using: &random)
    return (epsilon * real + (1 - epsilon) * fake.detached()).detached().requiringGradient()
}

/// ‖∇ₓ C(x)‖₂ for each sample x of `points` (shape [n]).
public func criticGradientNorms(critic: (Tensor) -> Tensor, at points: Tensor, createGraph: Bool) -> Tensor {
    let slopes = gradients(of: critic(points).sum(), wrt: [points], createGraph: createGraph)[0]
    return (slopes.reshaped([points.shape[0], -1]).squared().sum(alongAxes: 1) + 1e-12).sqrt()
}
// snippet.end
