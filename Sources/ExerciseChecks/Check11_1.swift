import ExerciseKit
import Tensor
import Workbook

// 11.1: the losses are compared with the library's on ordinary logits and on logits of
// ±200, where σ(x) rounds to exactly 0 or 1 in Float32 and sigmoid().log() gives ∞.

/// Logits [16, 1]: N(0, 2²) values, or ±200 mixed with ordinary ones.
private func logitCases() -> [(name: String, real: Tensor, fake: Tensor)] {
    var random = SeededGenerator(seed: 111)
    let ordinary = (Tensor.randomNormal([16, 1], std: 2, using: &random), Tensor.randomNormal([16, 1], std: 2, using: &random))
    let extremes: [Float] = [200, -200, 40, -40, 17, -17, 120, -120]
    let extreme = (Tensor(shape: [16, 1], values: extremes + ordinary.0.values.prefix(8)),
                   Tensor(shape: [16, 1], values: extremes.reversed() + ordinary.1.values.prefix(8)))
    return [("ordinary logits", ordinary.0, ordinary.1), ("logits of ±200 (σ rounds to 0 or 1)", extreme.0, extreme.1)]
}

func checkDiscriminatorLoss(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    for (name, realValues, fakeValues) in logitCases() {
        let real = realValues.requiringGradient(), fake = fakeValues.requiringGradient()
        let got = try answers.discriminatorLoss(real, fake)
        let expected = discriminatorLoss(realLogits: real, fakeLogits: fake)
        try expectScalar(got, "the loss")
        try expectFiniteLoss(got, name)
        try expectClose(got.reshaped([]), expected, "the loss for \(name)")
        log.pass()
        try expectGradients(of: got, expected, wrt: [("the real logits", real), ("the fake logits", fake)], "the loss",
                                ifNotFinite: sigmoidLogHint)
        log.pass()
    }
}

func checkGeneratorLoss(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    for (name, _, fakeValues) in logitCases() {
        let fake = fakeValues.requiringGradient()
        let got = try answers.generatorLoss(fake)
        let expected = generatorLoss(fakeLogits: fake, .nonSaturating)
        try expectScalar(got, "the loss")
        try expectFiniteLoss(got, name)
        let saturating = withoutGradients { generatorLoss(fakeLogits: fake, .saturating).item }
        if close(got.item, saturating), !close(got.item, expected.item) {
            throw CheckFailure("wrong value: that is the saturating loss E[log(1 − D(G(z)))]; write the non-saturating −E[log D(G(z))]")
        }
        try expectClose(got.reshaped([]), expected, "the loss for \(name)")
        log.pass()
        try expectGradients(of: got, expected, wrt: [("the fake logits", fake)], "the loss", ifNotFinite: sigmoidLogHint)
        log.pass()
    }
}

private let sigmoidLogHint = "log(σ(x)) must not be computed as sigmoid().log(), which divides by or takes the log of a σ(x) "
    + "that rounded to 0 or 1 (the original chapter's bug)"

private func expectFiniteLoss(_ loss: Tensor, _ name: String) throws {
    guard !loss.item.isFinite else { return }
    throw CheckFailure("wrong value: the loss is \(loss.item) for \(name); \(sigmoidLogHint)")
}
