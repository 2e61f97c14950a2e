import ExerciseKit
import Foundation
import NN
import Tensor

// 11.2: the block's shapes, its initialisation (measured), its output and gradients
// against the library's ops computed with the block's own parameters, and its speed.

/// The parameters a DCGAN block has, found by layout and name in whatever layer the
/// student returned.
private struct BlockParameters {
    let convolution: Tensor, convolutionBias: Tensor?
    let scale: Tensor, shift: Tensor

    init(_ block: any Layer, inChannels: Int, outChannels: Int) throws {
        let parameters = block.namedParameters
        let found = parameters.map { "\($0.name) \(formatted($0.tensor.shape))" }.joined(separator: ", ")
        let wanted = [inChannels, outChannels, 4, 4]
        guard let conv = parameters.first(where: { $0.tensor.shape == wanted }) else {
            if parameters.contains(where: { $0.tensor.shape == [outChannels, inChannels, 4, 4] }) {
                throw CheckFailure("wrong layer: a weight \(formatted([outChannels, inChannels, 4, 4])) is a convolution's "
                                   + "[out, in, k, k]; a transposed convolution's is [in, out, k, k] = \(formatted(wanted))")
            }
            throw CheckFailure("no transposed-convolution weight \(formatted(wanted)) among the block's parameters (\(found))")
        }
        let prefix = conv.name.dropLast("weight".count)
        convolution = conv.tensor
        convolutionBias = parameters.first { $0.name == prefix + "bias" }?.tensor
        guard let scale = parameters.first(where: { $0.name.hasSuffix("weight") && $0.tensor.shape == [outChannels] }),
              let shift = parameters.first(where: { $0.name == scale.name.dropLast("weight".count) + "bias" }) else {
            throw CheckFailure("no batch normalisation (a scale and a shift of \(formatted([outChannels]))) among the block's "
                               + "parameters (\(found)); DCGAN normalises after each transposed convolution")
        }
        self.scale = scale.tensor
        self.shift = shift.tensor
    }

    /// The block's output computed with the library's ops.
    func reference(_ x: Tensor) -> Tensor {
        let upsampled = convTranspose2d(x, weight: convolution, bias: convolutionBias, stride: 2, padding: 1)
        return batchNorm(upsampled, weight: scale, bias: shift).output.relu()
    }
}

func checkGeneratorBlock(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    var weights = SeededGenerator(seed: 112)
    let first = try answers.generatorBlock(128, 64, &weights)
    let second = try answers.generatorBlock(64, 32, &weights)
    var random = SeededGenerator(seed: 1120)
    let x = Tensor.randomNormal([4, 128, 7, 7], using: &random).requiringGradient()
    let hidden = first(x)
    let doubling = "kernel 4, stride 2 and padding 1 double the height and width"
    try expectShape(hidden, [4, 64, 14, 14], "the block(128 → 64) of a [4, 128, 7, 7] input", because: doubling)
    try expectShape(second(hidden), [4, 32, 28, 28], "the block(64 → 32) of that", because: doubling)
    log.pass()

    let parameters = try BlockParameters(first, inChannels: 128, outChannels: 64)
    try expectDCGANInitialisation(parameters)
    log.pass()

    let expected = parameters.reference(x)
    try expectClose(hidden, expected, "the block(128 → 64) of a random [4, 128, 7, 7] input")
    log.pass()
    guard parameters.convolution.requiresGrad else {
        throw CheckFailure("gradient missing: the transposed convolution's weight does not require gradients, so it cannot be trained")
    }
    try expectGradients(of: hidden, expected, wrt: [("the input", x), ("the convolution's weight", parameters.convolution),
                                                    ("the batch norm's scale", parameters.scale)], "the block's output")
    log.pass()

    let batch = Tensor.randomNormal([16, 128, 7, 7], using: &random).requiringGradient()
    try expectFast("a forward and backward pass at batch 16",
                   theirs: { _ = gradients(of: first(batch).sum(), wrt: [batch]) },
                   library: { _ = gradients(of: parameters.reference(batch).sum(), wrt: [batch]) })
    log.pass()
}

/// N(0, 0.02²) convolution weights, N(1, 0.02²) scales, zero biases, measured. PyTorch's
/// default uniform initialisation of this layer has nearly the same standard deviation
/// (0.018), so the tails tell the two apart: 12% of N(0, 0.02²) lies beyond ±0.03125, none
/// of U(−0.03125, 0.03125).
private func expectDCGANInitialisation(_ parameters: BlockParameters) throws {
    let (mean, std, tail) = moments(parameters.convolution.values, beyond: 0.03125)
    guard abs(mean) < 0.001, (0.019...0.021).contains(std), (0.10...0.14).contains(tail) else {
        let looksUniform = tail < 0.01 ? " — no tail at all, as PyTorch's default uniform initialisation, which the original chapter kept" : ""
        throw CheckFailure(String(format: "wrong initialisation: the transposed convolution's weights have mean %.4f, standard "
                                  + "deviation %.4f and %.1f%% beyond ±0.031; N(0, 0.02²) has 0, 0.0200 and 11.8%%", mean, std, 100 * tail)
                           + looksUniform)
    }
    let (scaleMean, scaleStd, _) = moments(parameters.scale.values, beyond: 1)
    guard abs(scaleMean - 1) < 0.01, (0.01...0.03).contains(scaleStd) else {
        throw CheckFailure(String(format: "wrong initialisation: the batch norm's scale has mean %.3f and standard deviation %.4f; "
                                  + "DCGAN draws it from N(1, 0.02²)", scaleMean, scaleStd))
    }
    for (name, bias) in [("the batch norm's shift", parameters.shift), ("the convolution's bias", parameters.convolutionBias)] {
        if let bias, bias.values.contains(where: { $0 != 0 }) {
            throw CheckFailure("wrong initialisation: \(name) is not zero")
        }
    }
}

/// Mean, standard deviation, and the fraction of |v| above `threshold`.
private func moments(_ values: [Float], beyond threshold: Float) -> (mean: Double, std: Double, tail: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    let tail = Double(values.filter { abs($0) > threshold }.count) / n
    return (mean, variance.squareRoot(), tail)
}
