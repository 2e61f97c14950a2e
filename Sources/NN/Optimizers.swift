import CKernels
import Tensor

/// Updates parameters in place from their gradients, like `torch.optim`.
public protocol Optimizer: AnyObject {
    var parameters: [Tensor] { get }
    var learningRate: Float { get set }
    /// One update; `gradients[i]` belongs to `parameters[i]`.
    func step(_ gradients: [Tensor])
    /// The tensors one update hands to the next (moments, velocities) under PyTorch's
    /// names. They are the optimiser's own tensors, so loading values into them restores it.
    var namedState: [(name: String, tensor: Tensor)] { get }
    /// Updates taken so far. With `namedState` it is everything a checkpoint must keep for
    /// the next update to be the one an uninterrupted run would take (Adam's bias
    /// correction depends on it); every optimiser counts, as PyTorch's keep a "step".
    var stepCount: Int { get }
    /// Sets the update count after `namedState` was loaded from a checkpoint.
    func restore(stepCount: Int)
}

/// The most updates a restored optimiser may claim: far beyond any run, and far enough
/// below `Int.max` that counting on cannot overflow.
public let maximumOptimizerSteps = 1 << 53

extension Optimizer {
    func checkShapes(_ gradients: [Tensor]) {
        precondition(gradients.count == parameters.count, "\(gradients.count) gradients for \(parameters.count) parameters")
        for (p, g) in zip(parameters, gradients) {
            precondition(p.shape == g.shape, "gradient \(g.shape) for parameter \(p.shape)")
        }
    }

    /// Calls `update(p, g, states, n)` with raw buffers for each parameter in turn.
    func forEachParameter(_ gradients: [Tensor], states: [[Tensor]],
                          _ update: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, [UnsafeMutablePointer<Float>], Int) -> Void) {
        checkShapes(gradients)
        for (i, (p, g)) in zip(parameters, gradients).enumerated() {
            update(p.storage.pointer, g.storage.pointer, states[i].map(\.storage.pointer), p.count)
        }
    }
}

/// Stochastic gradient descent with optional momentum (PyTorch's formulation:
/// v ← μv + g, p ← p − lr·v).
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Float
    public let momentum: Float
    let velocity: [Tensor]
    public private(set) var stepCount = 0

    public init(_ parameters: [Tensor], learningRate: Float, momentum: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        velocity = parameters.map { .zeros($0.shape) }
    }

    public func step(_ gradients: [Tensor]) {
        stepCount += 1
        forEachParameter(gradients, states: velocity.map { [$0] }) { p, g, s, n in
            gans_sgd_update(p, g, s[0], n, learningRate, momentum)
        }
    }

    public func restore(stepCount: Int) { self.stepCount = stepCount }

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
        let correction1 = 1 - Float(Double(beta1).power(stepCount))
        let correction2 = 1 - Float(Double(beta2).power(stepCount))
        // p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ), folded into two constants.
        let stepSize = learningRate / correction1, inverseRootCorrection2 = 1 / correction2.squareRoot()
        forEachParameter(gradients, states: zip(firstMoment, secondMoment).map { [$0, $1] }) { p, g, s, n in
            gans_adam_update(p, g, s[0], s[1], n, beta1, beta2, stepSize, inverseRootCorrection2, epsilon)
        }
    }

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
    public private(set) var stepCount = 0

    public init(_ parameters: [Tensor], learningRate: Float = 1e-2, alpha: Float = 0.99, epsilon: Float = 1e-8) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        squareAverage = parameters.map { .zeros($0.shape) }
    }

    public func step(_ gradients: [Tensor]) {
        stepCount += 1
        forEachParameter(gradients, states: squareAverage.map { [$0] }) { p, g, s, n in
            gans_rmsprop_update(p, g, s[0], n, learningRate, alpha, epsilon)
        }
    }

    public func restore(stepCount: Int) { self.stepCount = stepCount }

    public var namedState: [(name: String, tensor: Tensor)] {
        squareAverage.enumerated().map { ("state.\($0.offset).square_avg", $0.element) }
    }
}

extension Double {
    fileprivate func power(_ n: Int) -> Double {
        var result = 1.0
        // Once a multiplication no longer changes the power (it has underflowed to 0 or to the
        // smallest subnormal), the rest would not either: stopping there keeps every result
        // and keeps a huge step count (from a damaged checkpoint) from hanging the update.
        var remaining = n
        while remaining > 0 {
            let next = result * self
            if next == result { break }
            result = next
            remaining -= 1
        }
        return result
    }
}

/// Limits every value of the given tensors to [-c, c], in place: WGAN's weight clipping
/// acts on the stored parameters themselves (the original chapter clipped a copy).
public func clipValues(of tensors: [Tensor], to c: Float) {
    for t in tensors {
        t.withUnsafeMutableBufferPointer { gans_clip($0.baseAddress!, $0.count, c) }
    }
}
