import ExerciseKit
import NN
import Tensor
import Workbook

// 11.4: clipping is checked on the critic's stored parameters against the library's
// `clipValues`; the penalty against the library's `criticGradientNorms` with
// `createGraph: true`, including its gradient with respect to the critic's weights (a
// second derivative of the critic), and by one short training run.

/// A small critic: images [n, 2, 4, 4] → one score each. tanh, so that its second
/// derivatives are not zero.
private func smallCritic(seed: UInt64) -> Sequential {
    var weights = SeededGenerator(seed: seed)
    return Sequential(Flatten(), Linear(32, 16, using: &weights), Activation.tanh, Linear(16, 1, using: &weights))
}

func checkWeightClipping(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    let critic = smallCritic(seed: 114)
    let limit: Float = 0.1
    let before = critic.namedParameters.map { ($0.name, $0.tensor.values) }
    try answers.clipWeights(critic, limit)
    let after = critic.namedParameters.map(\.tensor.values)
    if zip(before, after).allSatisfy({ $0.1 == $1 }) {
        throw CheckFailure("the critic's stored weights did not change: clip the parameters in place "
                           + "(the original chapter clipped a copy)")
    }
    for ((name, old), new) in zip(before, after) {
        let reference = Tensor(shape: [old.count], values: old)
        clipValues(of: [reference], to: limit)  // the library's clipping, on a copy of the old values
        let clipped = reference.values
        if new == old, clipped != old {
            throw CheckFailure("parameter \(name) was not clipped: clip every parameter, weights and biases")
        }
        for i in new.indices where new[i] != clipped[i] {
            throw CheckFailure("wrong value: parameter \(name)[\(i)] is \(new[i]) after clipping to ±\(limit); it was \(old[i]), "
                               + "so it should be \(clipped[i])")
        }
    }
    log.pass()
}

func checkGradientPenalty(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    let critic = smallCritic(seed: 1140)
    var random = SeededGenerator(seed: 1141)
    let real = Tensor.randomNormal([6, 2, 4, 4], using: &random)
    let fake = Tensor.randomNormal([6, 2, 4, 4], std: 0.5, using: &random)
    let mixing = Tensor.randomUniform([6, 1, 1, 1], using: &random)
    let got = try answers.gradientPenalty({ critic($0) }, real, fake, mixing)
    let points = (mixing * real + (1 - mixing) * fake).detached().requiringGradient()
    let expected = (criticGradientNorms(critic: { critic($0) }, at: points, createGraph: true) - 1).squared().mean()
    try expectScalar(got, "the penalty")
    if !close(got.item, expected.item), close(got.item, penaltyAlongOneAxis(critic: critic, at: points)) {
        throw CheckFailure("wrong value: that is the norm along axis 1 alone; the norm is per sample, over all its channels and pixels")
    }
    try expectClose(got.reshaped([]), expected, "the penalty for 6 random pairs of [2, 4, 4] images")
    log.pass()
    let weights = critic.namedParameters
    guard got.requiresGrad else {
        throw CheckFailure("gradient missing: the penalty does not reach the critic's weights; take the inner gradient with "
                           + "createGraph: true (the original chapter's backward() + grad() made the penalty a constant)")
    }
    try expectGradients(of: got, expected, wrt: weights.map { ("the critic's \($0.name)", $0.tensor) }, "the penalty")
    log.pass()
    try expectPenaltyTrainsCritic(answers)
    log.pass()
}

/// The one training run of the checks: a critic trained for 200 steps on two 2-D clouds
/// with your penalty (λ = 10) must end up with gradient norm close to 1 at the interpolates
/// (a little above: the critic's loss pulls the other way, and they settle near 1.15),
/// which is what the penalty is for, while still telling the clouds apart.
func expectPenaltyTrainsCritic(_ answers: ExerciseAnswers) throws {
    var weights = SeededGenerator(seed: 1142), random = SeededGenerator(seed: 1143)
    let critic = Sequential(Linear(2, 32, using: &weights), Activation.tanh, Linear(32, 32, using: &weights),
                            Activation.tanh, Linear(32, 1, using: &weights))
    let optimizer = Adam(critic.parameters, learningRate: 1e-3, beta1: 0.5, beta2: 0.9)
    func clouds() -> (real: Tensor, fake: Tensor) {
        (Tensor.randomNormal([64, 2], mean: 1, std: 0.3, using: &random), Tensor.randomNormal([64, 2], mean: -1, std: 0.3, using: &random))
    }
    for _ in 0..<200 {
        let (real, fake) = clouds()
        let mixing = Tensor.randomUniform([64, 1], using: &random)
        let penalty = try answers.gradientPenalty({ critic($0) }, real, fake, mixing)
        let loss = criticLoss(realScores: critic(real), fakeScores: critic(fake)) + 10 * penalty
        optimizer.step(gradients(of: loss, wrt: critic.parameters))
    }
    let (real, fake) = clouds()
    let points = interpolates(real: real, fake: fake, using: &random)
    let norm = criticGradientNorms(critic: { critic($0) }, at: points, createGraph: false).mean().item
    let gap = withoutGradients { critic(real).mean().item - critic(fake).mean().item }
    guard (0.9...1.4).contains(norm), gap > 1 else {
        throw CheckFailure(String(format: "training with your penalty: after 200 steps the critic's mean gradient norm at the "
                                  + "interpolates is %.2f (wanted 0.9 to 1.4) and E[C(x)] − E[C(G(z))] is %.2f (wanted above 1)", norm, gap))
    }
}

/// The penalty with the norm taken along axis 1 only, as [n, h, w] norms.
private func penaltyAlongOneAxis(critic: Sequential, at points: Tensor) -> Float {
    let slopes = gradients(of: critic(points).sum(), wrt: [points])[0]
    return withoutGradients { ((slopes.squared().sum(alongAxes: 1) + 1e-12).sqrt() - 1).squared().mean().item }
}
