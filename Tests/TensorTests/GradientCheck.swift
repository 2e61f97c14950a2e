import Testing
@testable import Tensor

/// Finite-difference checks of first- and second-order gradients.
///
/// `f` maps the inputs to a tensor of any shape; it is reduced to a scalar with fixed
/// random weights so that every output element is exercised.
/// First order: ∂y/∂x from `gradients` against central differences of y.
/// Second order: ∂(∑ ∂y/∂x · v)/∂x through `createGraph: true` against central
/// differences of the first-order gradients.
func checkGradients(_ inputs: [Tensor], tolerance: Float = 2e-2, step: Float = 1e-2,
                    secondOrder: Bool = true, sourceLocation: SourceLocation = #_sourceLocation,
                    _ f: ([Tensor]) -> Tensor) {
    var generator = SeededGenerator(seed: 99)
    let leaves = inputs.map { $0.requiringGradient() }
    let weights = Tensor.randomNormal(f(leaves).shape, using: &generator)
    let probes = inputs.map { Tensor.randomNormal($0.shape, using: &generator) }

    func scalar(_ xs: [Tensor]) -> Tensor { (f(xs) * weights).sum() }
    func firstOrder(_ xs: [Tensor], createGraph: Bool) -> [Tensor] {
        gradients(of: scalar(xs), wrt: xs, createGraph: createGraph)
    }
    /// ∑ᵢ ⟨∂y/∂xᵢ, vᵢ⟩ — its gradient is the Hessian-vector product.
    func directional(_ xs: [Tensor], createGraph: Bool) -> Tensor {
        zip(firstOrder(xs, createGraph: createGraph), probes).map { ($0 * $1).sum() }.reduce(Tensor(0), +)
    }
    func numeric(_ value: ([Tensor]) -> Float) -> [[Float]] {
        inputs.indices.map { which in
            (0..<inputs[which].count).map { i in
                func shifted(_ delta: Float) -> Float {
                    let xs = inputs.enumerated().map { k, x -> Tensor in
                        var v = x.values
                        if k == which { v[i] += delta }
                        return Tensor(shape: x.shape, values: v).requiringGradient()
                    }
                    return value(xs)
                }
                return (shifted(step) - shifted(-step)) / (2 * step)
            }
        }
    }
    func compare(_ analytic: [Tensor], _ expected: [[Float]], _ what: String) {
        for (k, (a, e)) in zip(analytic, expected).enumerated() {
            for (i, (x, y)) in zip(a.values, e).enumerated() {
                let scale = max(1, abs(y))
                #expect(abs(x - y) <= tolerance * scale,
                        "\(what) gradient of input \(k)[\(i)]: autodiff \(x), finite difference \(y)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    compare(firstOrder(leaves, createGraph: false), numeric { scalar($0).item }, "first-order")
    if secondOrder {
        let hvp = gradients(of: directional(leaves, createGraph: true), wrt: leaves)
        compare(hvp, numeric { directional($0, createGraph: false).item }, "second-order")
    }
}

/// Values away from 0 (for kinks like abs and relu) in [-2, -0.2] ∪ [0.2, 2].
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    let u = Tensor.randomUniform(shape, in: 0.2..<2, using: &g)
    let signs = Tensor.randomUniform(shape, in: -1..<1, using: &g).sign()
    return u * signs
}

func normal(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.randomNormal(shape, std: std, using: &g)
}

func positive(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor.randomUniform(shape, in: 0.5..<2, using: &g)
}
