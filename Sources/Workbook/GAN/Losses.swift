import CBLAS
import NN
import Tensor

// The losses of the chapter's GANs, written on the discriminator's raw scores (logits).
// Working on logits instead of probabilities keeps every loss finite: log(sigmoid(x))
// is computed as −softplus(−x), which never takes the log of an underflowed 0.

// snippet.minimax-losses
/// The discriminator's loss, −E[log D(x)] − E[log(1 − D(G(z)))], as binary cross-entropy
/// on logits: real images should score 1 (or `realTarget`, below 1 for one-sided label
/// smoothing) and generated ones 0.
public func discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor, realTarget: Float = 1) -> Tensor {
    binaryCrossEntropy(logits: realLogits, target: realTarget) + binaryCrossEntropy(logits: fakeLogits, target: 0)
}

/// The generator's loss.
/// - non-saturating: −E[log D(G(z))], strong gradients when D confidently rejects fakes;
/// - saturating: E[log(1 − D(G(z)))], the literal minimax objective, whose gradient
///   vanishes exactly then (early in training).
public func generatorLoss(fakeLogits: Tensor, _ kind: GeneratorLossKind = .nonSaturating) -> Tensor {
    switch kind {
    case .nonSaturating: binaryCrossEntropy(logits: fakeLogits, target: 1)
    case .saturating: -binaryCrossEntropy(logits: fakeLogits, target: 0)
    }
}
// snippet.end

public enum GeneratorLossKind: String, CaseIterable, Sendable {
    case nonSaturating = "non-saturating"
    case saturating

    /// What G minimises, for legends: "−log D(G(z))" or "log(1 − D(G(z)))".
    public var formula: String {
        switch self {
        case .nonSaturating: "−log D(G(z))"
        case .saturating: "log(1 − D(G(z)))"
        }
    }
}

/// The mean probability D assigns to "real", from its logits.
public func meanProbability(_ logits: Tensor) -> Float {
    withoutGradients { logits.sigmoid().mean().item }
}

/// √(Σ g²) over a list of gradients: how hard a loss pushes the parameters.
public func globalNorm(_ gradients: [Tensor]) -> Float {
    gradients.reduce(0) { total, g in
        total + g.withUnsafeBufferPointer { cblas_sdot(Int32($0.count), $0.baseAddress, 1, $0.baseAddress, 1) }
    }.squareRoot()
}

// snippet.instance-noise
/// Instance noise (§11.3): N(0, σ²) added to everything the discriminator sees, with σ
/// annealed linearly from `initial` to 0 over the run, so that early on the real and
/// generated distributions overlap and D cannot separate them perfectly.
public struct InstanceNoise {
    public let initial: Float
    public let totalSteps: Int

    public init(initial: Float, totalSteps: Int) {
        self.initial = initial
        self.totalSteps = totalSteps
    }

    public func standardDeviation(atStep step: Int) -> Float {
        initial * max(0, 1 - Float(step) / Float(max(totalSteps, 1)))
    }

    public func apply(_ x: Tensor, step: Int, using random: inout SeededGenerator) -> Tensor {
        let std = standardDeviation(atStep: step)
        return std > 0 ? x + Tensor.randomNormal(x.shape, std: std, using: &random) : x
    }
}
// snippet.end
