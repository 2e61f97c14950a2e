import Tensor

/// A layer whose output can be computed with a weight other than its own: what a weight
/// reparametrisation such as spectral normalisation needs.
public protocol WeightedLayer: Layer {
    var weight: Tensor { get }
    /// The dimension of `weight` that indexes the outputs (PyTorch's `dim` of `spectral_norm`).
    var outputDimension: Int { get }
    func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor
}

extension Linear: WeightedLayer {
    public var outputDimension: Int { 0 }
    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }
}

extension Conv2d: WeightedLayer {
    public var outputDimension: Int { 0 }
    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

extension ConvTranspose2d: WeightedLayer {
    public var outputDimension: Int { 1 }
    public func callAsFunction(_ x: Tensor, weight: Tensor) -> Tensor {
        convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }
}

// snippet.spectral-norm-layer
/// Spectral normalisation of a layer's weight (Miyato et al. 2018), as PyTorch's
/// `torch.nn.utils.spectral_norm` with one power iteration: the layer computes with W/σ(W),
/// σ estimated by power iteration from a vector u that persists between calls. Each call
/// in training mode takes one more iteration step, so the estimate follows W as it learns;
/// evaluation reuses the stored u and v. The state dict uses PyTorch's names:
/// `weight_orig` (the learned W), and the buffers `weight_u`, `weight_v`.
public final class SpectralNorm: Layer {
    public let layer: any WeightedLayer
    /// The left and right singular-vector estimates, [out] and [in·k·k].
    public private(set) var u: Tensor
    public private(set) var v: Tensor

    public init(_ layer: any WeightedLayer, using generator: inout SeededGenerator) {
        self.layer = layer
        let matrix = spectralMatrix(layer.weight, outputDimension: layer.outputDimension)
        u = normalizedToUnitLength(Tensor.randomNormal([matrix.shape[0]], using: &generator))
        v = normalizedToUnitLength(Tensor.randomNormal([matrix.shape[1]], using: &generator))
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        if LayerMode.isTraining {
            let matrix = spectralMatrix(layer.weight, outputDimension: layer.outputDimension)
            // New tensors rather than in-place updates: a graph built by an earlier call
            // (not yet differentiated) keeps the u and v it was built with.
            let (newU, newV) = powerIteration(matrix, u: u.reshaped([1, u.count]))
            u = newU.reshaped([u.count])
            v = newV.reshaped([v.count])
        }
        return layer(x, weight: normalizedWeight)
    }

    /// W / (uᵀWv), differentiable in W.
    public var normalizedWeight: Tensor {
        spectrallyNormalized(layer.weight, u: u.reshaped([1, u.count]), v: v.reshaped([1, v.count]),
                             outputDimension: layer.outputDimension)
    }

    /// The current estimate of W's largest singular value.
    public var sigma: Float {
        withoutGradients {
            singularValueEstimate(layer.weight, u: u.reshaped([1, u.count]), v: v.reshaped([1, v.count]),
                                  outputDimension: layer.outputDimension).item
        }
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        layer.namedParameters.map { ($0.name == "weight" ? "weight_orig" : $0.name, $0.tensor) }
    }

    public var namedBuffers: [(name: String, tensor: Tensor)] {
        layer.namedBuffers + [("weight_u", u), ("weight_v", v)]
    }
}
// snippet.end

extension Sequential {
    /// The same layers with every linear and convolution layer spectrally normalised
    /// (the parameters are shared, not copied), named as PyTorch names `nn.Sequential`
    /// children wrapped in `spectral_norm`: `0.weight_orig`, `0.weight_u`, `0.bias`, …
    public func spectrallyNormalized(using generator: inout SeededGenerator) -> Sequential {
        Sequential(layers.map { layer -> any Layer in
            guard let weighted = layer as? any WeightedLayer else { return layer }
            return SpectralNorm(weighted, using: &generator)
        })
    }
}
