import Foundation
import NN
import Tensor

// Small pieces shared by the six toy generative models of §11.1.

extension Activation {
    /// x·sigmoid(x) (SiLU): smooth, so the energy model's score ∇ₓE can itself be
    /// differentiated during training (a ReLU network's score is piecewise constant).
    public static var silu: Activation { Activation("SiLU") { $0 * $0.sigmoid() } }
}

/// A multi-layer perceptron with `activation` (SiLU unless told) after each of `hiddenLayers`
/// hidden layers of width `width`.
/// With `zeroOutput` the last layer starts at zero, so the network starts by outputting 0
/// (a flow's coupling then starts as the identity).
public func toyMLP(inputs: Int, outputs: Int, width: Int, hiddenLayers: Int = 2, zeroOutput: Bool = false,
                   activation: Activation = .silu, using generator: inout SeededGenerator) -> Sequential {
    var layers: [any Layer] = []
    var features = inputs
    for _ in 0..<hiddenLayers {
        layers += [Linear(features, width, using: &generator), activation]
        features = width
    }
    let last = Linear(features, outputs, using: &generator)
    if zeroOutput {
        last.weight.assign(.zeros(last.weight.shape))
        last.bias?.assign(.zeros([outputs]))
    }
    return Sequential(layers + [last])
}

extension Tensor {
    /// log Σ exp(x) along the last axis, shifted by the (constant) maximum for stability.
    public func logSumExp() -> Tensor {
        let maximum = max(alongAxis: -1, keepingDimensions: true).detached()
        return (self - maximum).exp().sum(alongAxes: -1).log() + maximum.reshaped([-1])
    }

    /// Column `index` of an [n, k] matrix as an [n, 1] matrix.
    public func column(_ index: Int) -> Tensor { slice(index..<(index + 1), alongAxis: 1) }
}

let logTwoPi = Float(Foundation.log(2 * Double.pi))

/// log N(x; mean, exp(logVariance)) per row, summed over the columns: [n, d] → [n].
/// Any argument may broadcast (e.g. one variance for every row).
public func gaussianLogDensity(_ x: Tensor, mean: Tensor, logVariance: Tensor) -> Tensor {
    (((x - mean).squared() / logVariance.exp() + logVariance + logTwoPi) * -0.5).sum(alongAxes: 1)
}

/// log N(x; 0, I) per row: [n, d] → [n].
public func standardNormalLogDensity(_ x: Tensor) -> Tensor {
    ((x.squared() + logTwoPi) * -0.5).sum(alongAxes: 1)
}

/// KL(N(mean, diag exp(logVariance)) ‖ N(0, I)) per row in closed form:
/// ½ Σⱼ (μⱼ² + σⱼ² − 1 − log σⱼ²). [n, d] → [n].
public func gaussianKLToStandardNormal(mean: Tensor, logVariance: Tensor) -> Tensor {
    ((mean.squared() + logVariance.exp() - 1 - logVariance) * 0.5).sum(alongAxes: 1)
}
