#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CKernels

// Elementwise ops: one pass over raw buffers per op, kernels specialised at compile time
// (a kernel is a small struct, never a per-element closure).

protocol BinaryKernel { func callAsFunction(_ a: Float, _ b: Float) -> Float }
protocol UnaryKernel { func callAsFunction(_ x: Float) -> Float }

struct AddKernel: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b } }
struct SubKernel: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b } }
struct MulKernel: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b } }
struct DivKernel: BinaryKernel { @inline(__always) func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b } }

/// `out = kernel(a, b)` with broadcasting.
@inline(__always)
func binary<K: BinaryKernel>(_ a: Tensor, _ b: Tensor, _ kernel: K) -> Tensor {
    guard let shape = Broadcast.shape(a.shape, b.shape) else {
        preconditionFailure("shapes \(a.shape) and \(b.shape) do not broadcast")
    }
    let out = Tensor.empty(shape)
    let pa = a.storage.pointer, pb = b.storage.pointer, po = out.storage.pointer
    let n = out.count
    if a.count == n && b.count == n {
        inBlocks(of: n, grain: valuesPerBlock) { for i in $0..<$1 { po[i] = kernel(pa[i], pb[i]) } }
    } else if b.count == 1 {
        let s = pb[0]
        inBlocks(of: n, grain: valuesPerBlock) { for i in $0..<$1 { po[i] = kernel(pa[i], s) } }
    } else if a.count == 1 {
        let s = pa[0]
        inBlocks(of: n, grain: valuesPerBlock) { for i in $0..<$1 { po[i] = kernel(s, pb[i]) } }
    } else if a.count == n, let m = shape.last, b.count == m, b.shape.last == m {
        // A row vector applied to every row, e.g. a bias.
        for r in 0..<(n / m) {
            let ra = pa + r * m, ro = po + r * m
            for j in 0..<m { ro[j] = kernel(ra[j], pb[j]) }
        }
    } else {
        Broadcast.forEachRow(shape: shape, stridesA: Broadcast.strides(of: a.shape, broadcastTo: shape),
                             stridesB: Broadcast.strides(of: b.shape, broadcastTo: shape)) { oa, ob, oo, len, sa, sb in
            // Rows are contiguous or constant in nearly every case: give those vectorisable loops.
            let ra = pa + oa, rb = pb + ob, ro = po + oo
            switch (sa, sb) {
            case (1, 1): for j in 0..<len { ro[j] = kernel(ra[j], rb[j]) }
            case (1, 0): let y = rb[0]; for j in 0..<len { ro[j] = kernel(ra[j], y) }
            case (0, 1): let x = ra[0]; for j in 0..<len { ro[j] = kernel(x, rb[j]) }
            default: for j in 0..<len { ro[j] = kernel(ra[j * sa], rb[j * sb]) }
            }
        }
    }
    return out
}

@inline(__always)
func unary<K: UnaryKernel>(_ x: Tensor, _ kernel: K) -> Tensor {
    let out = Tensor.empty(x.shape)
    let px = x.storage.pointer, po = out.storage.pointer
    inBlocks(of: x.count, grain: valuesPerBlock) { for i in $0..<$1 { po[i] = kernel(px[i]) } }
    return out
}

// MARK: Arithmetic

public func + (a: Tensor, b: Tensor) -> Tensor {
    Tensor.result(binary(a, b, AddKernel()), [a, b]) { g, _, needs in
        [needs[0] ? g.sum(to: a.shape) : nil, needs[1] ? g.sum(to: b.shape) : nil]
    }
}

public func - (a: Tensor, b: Tensor) -> Tensor {
    Tensor.result(binary(a, b, SubKernel()), [a, b]) { g, _, needs in
        [needs[0] ? g.sum(to: a.shape) : nil, needs[1] ? (-g).sum(to: b.shape) : nil]
    }
}

public func * (a: Tensor, b: Tensor) -> Tensor {
    Tensor.result(binary(a, b, MulKernel()), [a, b]) { g, _, needs in
        [needs[0] ? (g * b).sum(to: a.shape) : nil, needs[1] ? (g * a).sum(to: b.shape) : nil]
    }
}

public func / (a: Tensor, b: Tensor) -> Tensor {
    Tensor.result(binary(a, b, DivKernel()), [a, b]) { g, out, needs in
        [needs[0] ? (g / b).sum(to: a.shape) : nil, needs[1] ? (-(g * out) / b).sum(to: b.shape) : nil]
    }
}

public prefix func - (x: Tensor) -> Tensor {
    struct Neg: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { -x } }
    return Tensor.result(unary(x, Neg()), [x]) { g, _, _ in [-g] }
}

public func + (a: Tensor, b: Float) -> Tensor { a + Tensor(b) }
public func + (a: Float, b: Tensor) -> Tensor { Tensor(a) + b }
public func - (a: Tensor, b: Float) -> Tensor { a - Tensor(b) }
public func - (a: Float, b: Tensor) -> Tensor { Tensor(a) - b }
public func * (a: Tensor, b: Float) -> Tensor { a * Tensor(b) }
public func * (a: Float, b: Tensor) -> Tensor { Tensor(a) * b }
public func / (a: Tensor, b: Float) -> Tensor { a * Tensor(1 / b) }
public func / (a: Float, b: Tensor) -> Tensor { Tensor(a) / b }

// MARK: Unary functions

extension Tensor {
    public func exp() -> Tensor {
        struct K: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { expf(x) } }
        return Tensor.result(unary(self, K()), [self]) { g, out, _ in [g * out] }
    }

    public func log() -> Tensor {
        struct K: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { logf(x) } }
        return Tensor.result(unary(self, K()), [self]) { g, _, _ in [g / self] }
    }

    public func sqrt() -> Tensor {
        struct K: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { x.squareRoot() } }
        return Tensor.result(unary(self, K()), [self]) { g, out, _ in [g * 0.5 / out] }
    }

    /// Elementwise power with a constant exponent.
    public func pow(_ p: Float) -> Tensor {
        struct K: UnaryKernel {
            let p: Float
            @inline(__always) func callAsFunction(_ x: Float) -> Float { p == 2 ? x * x : powf(x, p) }
        }
        return Tensor.result(unary(self, K(p: p)), [self]) { g, _, _ in
            [p == 2 ? g * self * 2 : g * self.pow(p - 1) * p]
        }
    }

    public func squared() -> Tensor { pow(2) }

    public func abs() -> Tensor {
        struct K: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.abs(x) } }
        return Tensor.result(unary(self, K()), [self]) { g, _, _ in [g * self.detached().sign()] }
    }

    /// -1, 0 or 1 per element; a constant as far as gradients go.
    public func sign() -> Tensor {
        struct K: UnaryKernel { @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) } }
        return unary(self, K())
    }

    /// Vectorised (libm's tanhf is a scalar call and took a tenth of an MLP GAN's step).
    public func tanh() -> Tensor {
        let out = Tensor.empty(shape)
        let (px, po) = (storage.pointer, out.storage.pointer)
        inBlocks(of: count, grain: valuesPerBlock) { gans_tanh(px + $0, po + $0, $1 - $0) }
        return Tensor.result(out, [self]) { g, out, _ in [tanhBackward(output: out, gradient: g)] }
    }

    public func sigmoid() -> Tensor {
        return Tensor.result(unary(self, SigmoidKernel()), [self]) { g, out, _ in [sigmoidBackward(output: out, gradient: g)] }
    }

    public func relu() -> Tensor { leakyRelu(0) }

    /// max(x, slope·x) for slope in [0, 1).
    public func leakyRelu(_ slope: Float = 0.2) -> Tensor {
        struct K: UnaryKernel {
            let slope: Float
            @inline(__always) func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
        }
        return Tensor.result(unary(self, K(slope: slope)), [self]) { g, _, _ in
            [leakyReluBackward(input: self.detached(), gradient: g, slope: slope)]
        }
    }

    // snippet.softplus
    /// log(1 + exp(x)), computed without overflow for any x.
    public func softplus() -> Tensor {
        struct K: UnaryKernel {
            @inline(__always) func callAsFunction(_ x: Float) -> Float {
                Swift.max(x, 0) + log1pf(expf(-Swift.abs(x)))
            }
        }
        return Tensor.result(unary(self, K()), [self]) { g, _, _ in [g * self.sigmoid()] }
    }
    // snippet.end

    /// Values limited to [low, high]; the gradient is zero where a limit applies.
    public func clamped(to range: ClosedRange<Float>) -> Tensor {
        struct K: UnaryKernel {
            let lo: Float, hi: Float
            @inline(__always) func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, lo), hi) }
        }
        let lo = range.lowerBound, hi = range.upperBound
        return Tensor.result(unary(self, K(lo: lo, hi: hi)), [self]) { g, _, _ in
            [g * self.detached().insideMask(lo, hi)]
        }
    }

    /// 1 where low < x < high, else 0; a constant as far as gradients go.
    public func insideMask(_ lo: Float, _ hi: Float) -> Tensor {
        struct K: UnaryKernel {
            let lo: Float, hi: Float
            @inline(__always) func callAsFunction(_ x: Float) -> Float { x > lo && x < hi ? 1 : 0 }
        }
        return unary(self, K(lo: lo, hi: hi))
    }
}

struct SigmoidKernel: UnaryKernel {
    @inline(__always) func callAsFunction(_ x: Float) -> Float {
        // Written so that neither branch overflows.
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
}

// MARK: Fused backward rules
// Each is an op of its own with its own (composed) backward rule, so first-order
// gradients take one pass and second-order gradients still work.

/// g · (1 - y²), the gradient through y = tanh(x).
func tanhBackward(output y: Tensor, gradient g: Tensor) -> Tensor {
    struct K: BinaryKernel { @inline(__always) func callAsFunction(_ y: Float, _ g: Float) -> Float { g * (1 - y * y) } }
    return Tensor.result(binary(y, g, K()), [y, g]) { up, _, needs in
        [needs[0] ? up * g * y * -2 : nil, needs[1] ? tanhBackward(output: y, gradient: up) : nil]
    }
}

/// g · y(1 - y), the gradient through y = sigmoid(x).
func sigmoidBackward(output y: Tensor, gradient g: Tensor) -> Tensor {
    struct K: BinaryKernel { @inline(__always) func callAsFunction(_ y: Float, _ g: Float) -> Float { g * y * (1 - y) } }
    return Tensor.result(binary(y, g, K()), [y, g]) { up, _, needs in
        [needs[0] ? up * g * (1 - 2 * y) : nil, needs[1] ? sigmoidBackward(output: y, gradient: up) : nil]
    }
}

/// g where x > 0, slope·g elsewhere; x is a constant (the second derivative is 0).
func leakyReluBackward(input x: Tensor, gradient g: Tensor, slope: Float) -> Tensor {
    struct K: BinaryKernel {
        let slope: Float
        @inline(__always) func callAsFunction(_ x: Float, _ g: Float) -> Float { x > 0 ? g : slope * g }
    }
    return Tensor.result(binary(x, g, K(slope: slope)), [g]) { up, _, _ in
        [leakyReluBackward(input: x, gradient: up, slope: slope)]
    }
}
