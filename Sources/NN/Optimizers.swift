import Tensor

/// Updates parameters in place from their gradients, like `torch.optim`.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    var learningRate: Float { get set }
    /// One update; `gradients[i]` belongs to `parameters[i]`.
    func step(_ gradients: [Tensor])
    /// Internal state (moments) under stable names, for checkpoints and `--resume`.
    var namedState: [(name: String, tensor: Tensor)] { get }
}

extension Optimizer {
    func checkShapes(_ gradients: [Tensor]) {
        precondition(gradients.count == parameters.count, "\(gradients.count) gradients for \(parameters.count) parameters")
        for (p, g) in zip(parameters, gradients) {
            precondition(p.shape == g.shape, "gradient \(g.shape) for parameter \(p.shape)")
        }
    }

    /// One vectorised pass over each parameter with its gradient and state buffers.
    func update<K: UpdateKernel>(_ gradients: [Tensor], states: [[Tensor]], _ kernel: K) {
        checkShapes(gradients)
        for (i, (p, g)) in zip(parameters, gradients).enumerated() {
            let s = states[i].map(\.storage.pointer)
            // A kernel with one state buffer gets the parameter itself as its unused second
            // buffer; `applyLanes` stores the parameter last, so the real update wins.
            let dummy = p.storage.pointer
            applyLanes(kernel, p.storage.pointer, g.storage.pointer, s.first ?? dummy, s.count > 1 ? s[1] : dummy, p.count)
        }
    }
}

/// An optimiser's update of one parameter element, written once for any SIMD width:
/// parameter p, gradient g, state buffers a and b.
protocol UpdateKernel {
    func callAsFunction<V: SIMD>(_ p: inout V, _ g: V, _ a: inout V, _ b: inout V) where V.Scalar == Float
}

/// Runs `kernel` eight lanes at a time, then on the remaining elements one by one.
@inline(__always)
func applyLanes<K: UpdateKernel>(_ kernel: K, _ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
                                 _ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ n: Int) {
    @inline(__always) func load(_ q: UnsafeMutablePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(q + i).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) func store(_ x: SIMD8<Float>, _ q: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(q + i).storeBytes(of: x, as: SIMD8<Float>.self)
    }
    var i = 0
    while i + 8 <= n {
        var pv = load(p, i), av = load(a, i), bv = load(b, i)
        kernel(&pv, load(g, i), &av, &bv)
        store(bv, b, i); store(av, a, i); store(pv, p, i)
        i += 8
    }
    while i < n {  // the tail, through the same kernel on a two-lane vector
        var pv = SIMD2(repeating: p[i]), av = SIMD2(repeating: a[i]), bv = SIMD2(repeating: b[i])
        kernel(&pv, SIMD2(repeating: g[i]), &av, &bv)
        b[i] = bv[0]; a[i] = av[0]; p[i] = pv[0]
        i += 1
    }
}

/// Stochastic gradient descent with optional momentum (PyTorch's formulation:
/// v ← μv + g, p ← p − lr·v).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    let velocity: [Tensor]

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = parameters.map { .zeros($0.shape) }
    }

    public func step(_ gradients: [Tensor]) {
        struct Kernel: UpdateKernel {
            let lr: Float, mu: Float
            @inline(__always)
            func callAsFunction<V: SIMD>(_ p: inout V, _ g: V, _ v: inout V, _ unused: inout V) where V.Scalar == Float {
                v = mu * v + g
                p -= lr * v
            }
        }
        update(gradients, states: velocity.map { [$0] }, Kernel(lr: learningRate, mu: momentum))
    }

    public var namedState: [(name: String, tensor: Tensor)] {
        velocity.enumerated().map { ("state.\($0.offset).momentum_buffer", $0.element) }
    }
}

/// Adam with bias correction (Kingma & Ba), as `torch.optim.Adam`.
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float
    let firstMoment: [Tensor], secondMoment: [Tensor]
    /// Updates taken so far (for the bias correction); stored in checkpoints.
    public private(set) var stepCount: Int = 0

    public init(_ parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        firstMoment = parameters.map { .zeros($0.shape) }
        secondMoment = parameters.map { .zeros($0.shape) }
    }

    public func step(_ gradients: [Tensor]) {
        stepCount += 1
        struct Kernel: UpdateKernel {
            let b1: Float, b2: Float, eps: Float, stepSize: Float, inverseRootCorrection2: Float
            @inline(__always)
            func callAsFunction<V: SIMD>(_ p: inout V, _ g: V, _ m: inout V, _ v: inout V) where V.Scalar == Float {
                m = b1 * m + (1 - b1) * g
                v = b2 * v + (1 - b2) * g * g
                // p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ)
                p -= stepSize * m / (v.squareRoot() * inverseRootCorrection2 + eps)
            }
        }
        let correction1 = 1 - Float(Double(beta1).power(stepCount))
        let correction2 = 1 - Float(Double(beta2).power(stepCount))
        update(gradients, states: zip(firstMoment, secondMoment).map { [$0, $1] },
               Kernel(b1: beta1, b2: beta2, eps: epsilon, stepSize: learningRate / correction1,
                      inverseRootCorrection2: 1 / correction2.squareRoot()))
    }

    /// Restores the step count after loading moments from a checkpoint.
    public func restore(stepCount: Int) { self.stepCount = stepCount }

    public var namedState: [(name: String, tensor: Tensor)] {
        firstMoment.enumerated().map { ("state.\($0.offset).exp_avg", $0.element) }
            + secondMoment.enumerated().map { ("state.\($0.offset).exp_avg_sq", $0.element) }
    }
}

/// RMSprop as `torch.optim.RMSprop` (no momentum, not centred):
/// v ← αv + (1−α)g², p ← p − lr·g/(√v + ε). The WGAN paper's optimiser.
public final class RMSprop: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let alpha: Float, epsilon: Float
    let squareAverage: [Tensor]

    public init(_ parameters: [Tensor], learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        squareAverage = parameters.map { .zeros($0.shape) }
    }

    public func step(_ gradients: [Tensor]) {
        struct Kernel: UpdateKernel {
            let lr: Float, alpha: Float, eps: Float
            @inline(__always)
            func callAsFunction<V: SIMD>(_ p: inout V, _ g: V, _ v: inout V, _ unused: inout V) where V.Scalar == Float {
                v = alpha * v + (1 - alpha) * g * g
                p -= lr * g / (v.squareRoot() + eps)
            }
        }
        update(gradients, states: squareAverage.map { [$0] }, Kernel(lr: learningRate, alpha: alpha, eps: epsilon))
    }

    public var namedState: [(name: String, tensor: Tensor)] {
        squareAverage.enumerated().map { ("state.\($0.offset).square_avg", $0.element) }
    }
}

extension Double {
    fileprivate func power(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<n { result *= self }
        return result
    }
}

/// Limits every value of the given tensors to [-c, c], in place: WGAN's weight clipping
/// acts on the stored parameters themselves (the original chapter clipped a copy).
public func clipValues(of tensors: [Tensor], to c: Float) {
    for t in tensors {
        t.withUnsafeMutableBufferPointer { b in
            for i in b.indices { b[i] = Swift.min(Swift.max(b[i], -c), c) }
        }
    }
}
