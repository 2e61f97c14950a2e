import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Contiguous, row-major Float32 memory shared by a tensor and its reshaped views.
/// Optimisers update parameters in place through it.
public final class Storage {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    init(uninitializedCount count: Int) {
        _ = Storage.mallocTuned
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
    }

    /// Training allocates and frees the same large buffers every step. glibc would serve
    /// them with fresh mmap'd (zero-filled, page-faulting) memory and return it at once;
    /// keeping them in the heap makes an allocation cost what it should.
    private static let mallocTuned: Void = {
        #if canImport(Glibc)
        mallopt(M_MMAP_THRESHOLD, 256 << 20)
        mallopt(M_TRIM_THRESHOLD, 512 << 20)
        #endif
    }()

    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    deinit { pointer.deallocate() }

    public var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }
}

/// Computes the gradients of an op's inputs from the gradient of its output.
/// `needs[i]` says whether input `i`'s gradient is wanted, so rules can skip work.
/// Rules are written with differentiable tensor ops, so gradients can be differentiated
/// again. They receive their output as an argument instead of capturing it, so that a
/// node never holds itself (no retain cycles).
public typealias BackwardRule = (_ gradient: Tensor, _ output: Tensor, _ needs: [Bool]) -> [Tensor?]

/// An n-dimensional array of Float32 values that records, when gradients are enabled,
/// how it was computed, so that `gradients(of:wrt:)` can differentiate through it.
public final class Tensor {
    public let shape: [Int]
    public let storage: Storage
    /// Whether gradients flow to this tensor. Leaves set it (parameters, or a point where
    /// a gradient is wanted); results of ops inherit it from their inputs.
    public let requiresGrad: Bool
    private(set) var parents: [Tensor]
    private(set) var backward: BackwardRule?

    deinit {
        // Release long chains iteratively: the default recursive release of a deep graph
        // can overflow a thread's stack.
        guard !parents.isEmpty else { return }
        var pending = parents
        parents = []
        backward = nil
        while var node = pending.popLast() {
            if isKnownUniquelyReferenced(&node) {
                pending.append(contentsOf: node.parents)
                node.parents = []
                node.backward = nil
            }
        }
    }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    init(shape: [Int], storage: Storage, requiresGrad: Bool = false,
         parents: [Tensor] = [], backward: BackwardRule? = nil) {
        precondition(shape.reduce(1, *) == storage.count, "shape \(shape) does not match \(storage.count) values")
        self.shape = shape
        self.storage = storage
        self.requiresGrad = requiresGrad
        self.parents = parents
        self.backward = backward
    }

    /// A tensor holding `values` (row-major) in the given shape.
    public convenience init(shape: [Int], values: [Float], requiresGrad: Bool = false) {
        let storage = Storage(uninitializedCount: values.count)
        values.withUnsafeBufferPointer { storage.pointer.initialize(from: $0.baseAddress!, count: values.count) }
        self.init(shape: shape, storage: storage, requiresGrad: requiresGrad)
    }

    /// A scalar (rank 0) tensor.
    public convenience init(_ value: Float) {
        self.init(shape: [], storage: Storage(repeating: value, count: 1))
    }

    public convenience init(repeating value: Float, shape: [Int], requiresGrad: Bool = false) {
        self.init(shape: shape, storage: Storage(repeating: value, count: shape.reduce(1, *)),
                  requiresGrad: requiresGrad)
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(repeating: 0, shape: shape, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        Tensor(repeating: 1, shape: shape, requiresGrad: requiresGrad)
    }

    /// A new, uninitialised result tensor; the caller's kernel writes every element.
    static func empty(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: Storage(uninitializedCount: shape.reduce(1, *)))
    }

    /// The values, row-major.
    public var values: [Float] { Array(storage.buffer) }

    /// The value of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a one-element tensor, not shape \(shape)")
        return storage.pointer[0]
    }

    /// The same values, cut off from the graph (like PyTorch's `detach()`).
    public func detached() -> Tensor {
        requiresGrad ? Tensor(shape: shape, storage: storage) : self  // graph nodes all require grad
    }

    /// The same values as a new leaf that gradients can be taken with respect to
    /// (like PyTorch's `detach().requires_grad_()`).
    public func requiringGradient() -> Tensor {
        Tensor(shape: shape, storage: storage, requiresGrad: true)
    }

    /// Read-only access to the values without copying.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(storage.buffer))
    }

    /// In-place writes, for optimisers and weight clipping; never use on a tensor whose
    /// graph has not been differentiated yet.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    /// Overwrites the values in place with those of `other` (same count).
    public func assign(_ other: Tensor) {
        precondition(other.count == count, "assign: \(other.shape) into \(shape)")
        storage.pointer.update(from: other.storage.pointer, count: count)
    }

    /// Builds the result of an op: it records its inputs and backward rule only when
    /// gradients are enabled and some input needs them.
    static func result(_ out: Tensor, _ inputs: [Tensor], _ backward: @escaping BackwardRule) -> Tensor {
        guard GradMode.isEnabled, inputs.contains(where: \.requiresGrad) else { return out }
        return Tensor(shape: out.shape, storage: out.storage, requiresGrad: true,
                      parents: inputs, backward: backward)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = values.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), values: [\(shown)\(count > 8 ? ", …" : "")])"
    }
}

/// Threads for computation. They are the kernels' own: OpenBLAS stays on one thread, and
/// matrix products are cut into blocks that run on these threads (see `gemm`), so no
/// OpenBLAS worker spins on a core that the other kernels need, and every count gives the
/// same results bit for bit.
public func setComputeThreads(_ count: Int) {
    blasOnOneThread()
    setKernelThreads(count)
}

/// The name of the kernels OpenBLAS runs (its `openblas_get_corename`), for benchmark logs.
public var blasKernelName: String { String(cString: openblas_get_corename()) }

/// OpenBLAS's description of its build (`openblas_get_config`: version, threading, kernels), for run records.
public var blasConfiguration: String { String(cString: openblas_get_config()) }
