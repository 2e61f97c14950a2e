import Tensor

/// A 2-D convolution layer, as PyTorch's `nn.Conv2d`: weight [out, in, k, k], bias [out].
public final class Conv2d: Layer, CustomStringConvertible {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, using generator: inout SeededGenerator) {
        let fanIn = inChannels * kernelSize * kernelSize
        weight = uniformFanIn([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn, using: &generator)
        self.bias = bias ? uniformFanIn([outChannels], fanIn: fanIn, using: &generator) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    public var description: String {
        "Conv2d(\(weight.shape[1]) → \(weight.shape[0]), \(windowDescription(weight, stride, padding)))"
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { weightAndBias(weight, bias) }
}

/// A transposed 2-D convolution layer, as PyTorch's `nn.ConvTranspose2d`:
/// weight [in, out, k, k], bias [out].
public final class ConvTranspose2d: Layer, CustomStringConvertible {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int, padding: Int, outputPadding: Int

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true, using generator: inout SeededGenerator) {
        // PyTorch takes fan-in from the weight's dimension 1, which here is the output channels.
        let fanIn = outChannels * kernelSize * kernelSize
        weight = uniformFanIn([inChannels, outChannels, kernelSize, kernelSize], fanIn: fanIn, using: &generator)
        self.bias = bias ? uniformFanIn([outChannels], fanIn: fanIn, using: &generator) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding, outputPadding: outputPadding)
    }

    public var description: String {
        "ConvTranspose2d(\(weight.shape[0]) → \(weight.shape[1]), \(windowDescription(weight, stride, padding)))"
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { weightAndBias(weight, bias) }
}

/// "4×4, stride 2, padding 1": a convolution's window, for shape listings.
func windowDescription(_ weight: Tensor, _ stride: Int, _ padding: Int) -> String {
    "\(weight.shape[2])×\(weight.shape[3]), stride \(stride), padding \(padding)"
}

/// Batch normalisation over [N, C] or [N, C, H, W] inputs, as PyTorch's `nn.BatchNorm1d`
/// and `nn.BatchNorm2d`. Training normalises with the batch's statistics and updates the
/// running ones (momentum 0.1, unbiased variance, as PyTorch); evaluation
/// (`LayerMode.isTraining == false`) normalises with the running statistics.
public final class BatchNorm: Layer, CustomStringConvertible {
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVariance: Tensor
    /// Batches seen in training: a scalar, as PyTorch's, but Float so that it can sit in a checkpoint.
    public let batchesTracked = Tensor.zeros([])
    public let momentum: Float, epsilon: Float

    public init(_ features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        weight = Tensor.ones([features], requiresGrad: true)
        bias = Tensor.zeros([features], requiresGrad: true)
        runningMean = Tensor.zeros([features])
        runningVariance = Tensor.ones([features])
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard LayerMode.isTraining else {
            return batchNorm(x, mean: runningMean, variance: runningVariance, weight: weight, bias: bias, epsilon: epsilon)
        }
        let (output, mean, variance) = batchNorm(x, weight: weight, bias: bias, epsilon: epsilon)
        let perChannel = Float(x.count / x.shape[1])
        withoutGradients {
            // PyTorch keeps the unbiased variance, n/(n−1) times the biased one used above.
            let unbiased = variance * (perChannel / Swift.max(perChannel - 1, 1))
            runningMean.assign(runningMean * (1 - momentum) + mean * momentum)
            runningVariance.assign(runningVariance * (1 - momentum) + unbiased * momentum)
            batchesTracked.assign(batchesTracked + 1)
        }
        return output
    }

    public var description: String { "BatchNorm(\(weight.count))" }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
    public var namedBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVariance), ("num_batches_tracked", batchesTracked)]
    }
}

/// Layer normalisation over the trailing `normalizedShape` axes, as PyTorch's `nn.LayerNorm`.
public final class LayerNorm: Layer {
    public let normalizedShape: [Int]
    public let weight: Tensor, bias: Tensor
    public let epsilon: Float

    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5) {
        self.normalizedShape = normalizedShape
        weight = Tensor.ones(normalizedShape, requiresGrad: true)
        bias = Tensor.zeros(normalizedShape, requiresGrad: true)
        self.epsilon = epsilon
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, epsilon: epsilon)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}

/// A lookup table of learned vectors, as PyTorch's `nn.Embedding`: weight [count, dimension]
/// initialised from N(0, 1); row i is the vector of index i.
public final class Embedding: Layer {
    public let weight: Tensor

    public init(_ count: Int, _ dimension: Int, using generator: inout SeededGenerator) {
        weight = Tensor.randomNormal([count, dimension], using: &generator, requiresGrad: true)
    }

    /// The vectors of `indices`, as [indices.count, dimension].
    public func callAsFunction(_ indices: [Int]) -> Tensor { weight.indexSelect(indices) }

    /// The same for indices stored as the (whole-number) values of a tensor of any shape;
    /// the result has that shape plus a trailing `dimension` axis.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let indices = x.values.map { Int($0.rounded()) }
        return self(indices).reshaped(x.shape + [weight.shape[1]])
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight)] }
}

/// [N, d1, d2, …] → [N, d1·d2·…], as PyTorch's `nn.Flatten`.
public final class Flatten: Layer {
    public init() {}
    public func callAsFunction(_ x: Tensor) -> Tensor { x.reshaped([x.shape[0], -1]) }
}

/// [N, d] → [N] + shape, as PyTorch's `nn.Unflatten(1, shape)`.
public final class Unflatten: Layer, CustomStringConvertible {
    public let shape: [Int]
    public init(_ shape: [Int]) { self.shape = shape }
    public func callAsFunction(_ x: Tensor) -> Tensor { x.reshaped([x.shape[0]] + shape) }
    public var description: String { "Unflatten(\(shape.map(String.init).joined(separator: "×")))" }
}

/// Nearest-neighbour upsampling of [N, C, H, W] by an integer factor, as PyTorch's
/// `nn.Upsample(scale_factor:, mode: "nearest")`.
public final class UpsampleNearest: Layer {
    public let factor: Int
    public init(factor: Int) { self.factor = factor }
    public func callAsFunction(_ x: Tensor) -> Tensor { upsampleNearest(x, factor: factor) }
}
