import NN
import Tensor

/// What the comparison of §11.1 needs from every family: a training step and a sampler.
/// Models work in standardised units (the data divided by its RMS); `ToyData` converts.
public protocol ToyGenerativeModel: AnyObject {
    /// One optimiser update on a minibatch [n, 2]; returns the training objective (lower is better).
    func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float
    /// `count` new points, [count, 2].
    func sample(count: Int, using random: inout SeededGenerator) -> Tensor
    /// Every learned tensor (for counting parameters).
    var parameters: [Tensor] { get }
}

extension ToyGenerativeModel {
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}
