import Tensor

// snippet.layer
/// A building block of a network: callable on a tensor, and able to list its learnable
/// parameters under PyTorch's `state_dict` names, so checkpoints load in PyTorch.
public protocol Layer: AnyObject {
    func callAsFunction(_ x: Tensor) -> Tensor
    /// Learnable tensors, e.g. `("weight", w)`, `("bias", b)`.
    var namedParameters: [(name: String, tensor: Tensor)] { get }
    /// Tensors that are saved but not learned, e.g. BatchNorm's running statistics.
    var namedBuffers: [(name: String, tensor: Tensor)] { get }
}
// snippet.end

extension Layer {
    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
    public var namedBuffers: [(name: String, tensor: Tensor)] { [] }
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }
    /// Parameters and buffers: everything a checkpoint stores.
    public var stateDict: [(name: String, tensor: Tensor)] { namedParameters + namedBuffers }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
}

/// Whether layers behave as in training (batch statistics, dropout) or evaluation.
public enum LayerMode {
    @TaskLocal public static var isTraining = true
}

/// Runs `body` with layers in evaluation mode and without recording gradients: for
/// sampling from a generator or scoring with a classifier.
public func evaluating<R>(_ body: () throws -> R) rethrows -> R {
    try LayerMode.$isTraining.withValue(false) { try withoutGradients(body) }
}

/// Layers applied in order; parameter names are prefixed by the layer's index, as in
/// PyTorch's `nn.Sequential` (`0.weight`, `2.bias`, …).
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) { self.layers = layers }
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layers.reduce(x) { $1($0) }
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { i, layer in layer.namedParameters.map { ("\(i).\($0.name)", $0.tensor) } }
    }

    public var namedBuffers: [(name: String, tensor: Tensor)] {
        layers.enumerated().flatMap { i, layer in layer.namedBuffers.map { ("\(i).\($0.name)", $0.tensor) } }
    }

    // snippet.output-shapes
    /// Each layer's name and output shape for an input of `shape`: the block-by-block check
    /// that a network's sizes fit together. It runs on zeros in evaluation mode without
    /// gradients, so no batch statistics move and nothing is recorded for training.
    public func outputShapes(forInput shape: [Int]) -> ShapeListing {
        evaluating {
            var x = Tensor.zeros(shape)
            let rows = layers.map { layer in
                x = layer(x)
                return (layer: layerName(layer), shape: x.shape)
            }
            return ShapeListing(input: shape, rows: rows)
        }
    }
    // snippet.end
}

/// What `Sequential.outputShapes(forInput:)` found; printed, a Markdown table with one row
/// per layer, numbered as the layer's parameters are in a checkpoint (`0.weight`, …).
public struct ShapeListing: CustomStringConvertible {
    public let input: [Int]
    public let rows: [(layer: String, shape: [Int])]
    /// The last layer's output shape (the input's, for a network without layers).
    public var output: [Int] { rows.last?.shape ?? input }

    public var description: String {
        func cell(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
        return (["| | layer | output shape |", "|---:|---|---|", "| | input | \(cell(input)) |"]
            + rows.enumerated().map { "| \($0) | \($1.layer) | \(cell($1.shape)) |" }).joined(separator: "\n")
    }
}

/// A layer's `description` (e.g. "Linear(100 → 6272)"), or its type's name.
public func layerName(_ layer: any Layer) -> String {
    (layer as? CustomStringConvertible)?.description ?? String(describing: type(of: layer))
}

/// y = x·Wᵀ + b with W stored as [out, in] like PyTorch's `nn.Linear`.
public final class Linear: Layer, CustomStringConvertible {
    public let weight: Tensor
    public let bias: Tensor?

    /// PyTorch's default initialisation: W and b ~ U(-1/√in, 1/√in).
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, using generator: inout SeededGenerator) {
        weight = uniformFanIn([outputs, inputs], fanIn: inputs, using: &generator)
        self.bias = bias ? uniformFanIn([outputs], fanIn: inputs, using: &generator) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x, weight: weight, bias: bias) }

    public var description: String { "Linear(\(weight.shape[1]) → \(weight.shape[0]))" }

    public var namedParameters: [(name: String, tensor: Tensor)] { weightAndBias(weight, bias) }
}

/// PyTorch's default initialisation of convolution and linear layers: kaiming_uniform with
/// a = √5, which is U(−1/√fanIn, 1/√fanIn), and the same bound for the bias.
func uniformFanIn(_ shape: [Int], fanIn: Int, using generator: inout SeededGenerator) -> Tensor {
    let bound = 1 / Float(fanIn).squareRoot()
    return Tensor.randomUniform(shape, in: -bound..<bound, using: &generator, requiresGrad: true)
}

func weightAndBias(_ weight: Tensor, _ bias: Tensor?) -> [(name: String, tensor: Tensor)] {
    [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
}

/// An elementwise activation as a layer (no parameters).
public final class Activation: Layer, CustomStringConvertible {
    let function: (Tensor) -> Tensor
    /// What shape listings call it, e.g. "ReLU".
    public let description: String
    public init(_ name: String = "Activation", _ function: @escaping (Tensor) -> Tensor) {
        description = name
        self.function = function
    }
    public func callAsFunction(_ x: Tensor) -> Tensor { function(x) }

    public static var relu: Activation { Activation("ReLU") { $0.relu() } }
    public static func leakyRelu(_ slope: Float = 0.2) -> Activation { Activation("LeakyReLU(\(slope))") { $0.leakyRelu(slope) } }
    public static var tanh: Activation { Activation("Tanh") { $0.tanh() } }
    public static var sigmoid: Activation { Activation("Sigmoid") { $0.sigmoid() } }
}

/// Zeroes each element with probability p in training and scales the rest by 1/(1-p)
/// (inverted dropout); the identity in evaluation.
public final class Dropout: Layer {
    public let probability: Float
    var generator: SeededGenerator

    public init(_ probability: Float, seed: UInt64 = 0) {
        precondition((0..<1).contains(probability), "dropout probability must be in [0, 1)")
        self.probability = probability
        generator = SeededGenerator(seed: seed)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard LayerMode.isTraining, probability > 0 else { return x }
        let keep = Tensor.randomUniform(x.shape, using: &generator).insideMask(probability, 2) * (1 / (1 - probability))
        return x * keep
    }
}

/// Re-initialises weights the DCGAN way: N(0, 0.02) for linear and convolution weights,
/// N(1, 0.02) for normalisation scales, zero biases.
public func initializeDCGAN(_ layer: any Layer, using generator: inout SeededGenerator) {
    for (name, tensor) in layer.namedParameters {
        let isNormScale = name.hasSuffix("weight") && tensor.rank == 1
        let fresh: Tensor = name.hasSuffix("bias")
            ? .zeros(tensor.shape)
            : .randomNormal(tensor.shape, mean: isNormScale ? 1 : 0, std: 0.02, using: &generator)
        tensor.assign(fresh)
    }
}
