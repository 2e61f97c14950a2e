import CBLAS

/// The matrix product op(a)·op(b), where op transposes when asked, computed by
/// `cblas_sgemm` straight from the stored layout (no transposed copies).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs matrices, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0], k = transposeA ? a.shape[0] : a.shape[1]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition((transposeB ? b.shape[1] : b.shape[0]) == k, "matmul shapes \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "") do not match")
    let out = Tensor.empty([m, n])
    gemm(a, transposeA, b, transposeB, into: out, m: m, n: n, k: k, accumulate: false)
    return Tensor.result(out, [a, b]) { g, _, needs in
        // d(op(a)) = g·op(b)ᵀ and d(op(b)) = op(a)ᵀ·g, written back in a's and b's layouts.
        let da: Tensor? = !needs[0] ? nil : transposeA
            ? matmul(b, g, transposeA: transposeB, transposeB: true)
            : matmul(g, b, transposeB: !transposeB)
        let db: Tensor? = !needs[1] ? nil : transposeB
            ? matmul(g, a, transposeA: true, transposeB: transposeA)
            : matmul(a, g, transposeA: !transposeA)
        return [da, db]
    }
}

/// out (m×n) = op(a)·op(b) (+ out when accumulating).
///
/// OpenBLAS runs on one thread (see `setComputeThreads`); a large product is cut into
/// blocks of output columns (or rows, when it has more rows than columns) that run on the
/// kernels' threads, one single-threaded `cblas_sgemm` each. The cut depends on the shape
/// alone, never on the thread count, so every thread count computes the same calls and
/// gets the same bits.
func gemm(_ a: Tensor, _ transposeA: Bool, _ b: Tensor, _ transposeB: Bool, into out: Tensor,
          m: Int, n: Int, k: Int, accumulate: Bool) {
    guard m > 0, n > 0 else { return }
    guard k > 0 else {
        if !accumulate { out.storage.pointer.update(repeating: 0, count: m * n) }
        return
    }
    MatrixProducts.recorder?.append(MatrixProductShape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB))
    blockedProduct(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                   a.storage.pointer, leadingA: a.shape[1], b.storage.pointer, leadingB: b.shape[1],
                   accumulate: accumulate, into: out.storage.pointer)
}

/// c (m×n, row-major, leading dimension n) = op(a)·op(b) (+ c when accumulating), as the
/// blocks of `ProductBlocks` on the kernels' threads: every matrix product of the library,
/// and what a benchmark times as the floor.
public func blockedProduct(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           _ a: UnsafePointer<Float>, leadingA: Int, _ b: UnsafePointer<Float>, leadingB: Int,
                           accumulate: Bool, into c: UnsafeMutablePointer<Float>) {
    blasOnOneThread()
    let cut = ProductBlocks(m: m, n: n, k: k)
    inBlocks(of: cut.count, grain: 1) { first, end in
        for block in first..<end {
            let (start, size) = cut.range(of: block)
            // A block of columns reads the same columns of op(b); a block of rows, the same rows of op(a).
            let aBlock = cut.alongColumns ? a : a + (transposeA ? start : start * leadingA)
            let bBlock = cut.alongColumns ? b + (transposeB ? start * leadingB : start) : b
            let cBlock = c + (cut.alongColumns ? start : start * n)
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(cut.alongColumns ? m : size), Int32(cut.alongColumns ? size : n), Int32(k), 1,
                        aBlock, Int32(leadingA), bBlock, Int32(leadingB), accumulate ? 1 : 0, cBlock, Int32(n))
        }
    }
}

/// OpenBLAS on one thread, from the first product on, whether or not a program calls
/// `setComputeThreads` (a library user, a test).
func blasOnOneThread() { _ = oneBLASThread }
private let oneBLASThread: Void = openblas_set_num_threads(1)

/// How a product's output is cut into blocks: along its longer side, into at most
/// `maximumCount` blocks of at least `minimumFlops` work each, in multiples of 16 (a whole
/// number of the widest SIMD register's floats, so no block adds edge cases of its own).
struct ProductBlocks {
    static let maximumCount = 4
    static let minimumFlops = 4_000_000.0

    let alongColumns: Bool
    let count: Int
    let width: Int
    let length: Int

    init(m: Int, n: Int, k: Int) {
        alongColumns = n >= m
        length = alongColumns ? n : m
        let flops = 2 * Double(m) * Double(n) * Double(k)
        let wanted = Swift.max(1, Swift.min(Self.maximumCount, Int(flops / Self.minimumFlops), length / 16))
        width = ((length + wanted - 1) / wanted + 15) / 16 * 16  // ⌈length / wanted⌉, rounded up to 16
        count = (length + width - 1) / width
    }

    /// The first row or column of a block and how many it has.
    func range(of block: Int) -> (start: Int, size: Int) {
        let start = block * width
        return (start, Swift.min(width, length - start))
    }
}

/// x·wᵀ + b for x [n, in], w [out, in] (PyTorch's layout), b [out]: one GEMM that
/// starts from the bias instead of adding it in a second pass.
public func linear(_ x: Tensor, weight w: Tensor, bias b: Tensor?) -> Tensor {
    precondition(x.rank == 2 && w.rank == 2 && x.shape[1] == w.shape[1], "linear: input \(x.shape) with weight \(w.shape)")
    let n = x.shape[0], outFeatures = w.shape[0]
    let out = Tensor.empty([n, outFeatures])
    if let b {
        precondition(b.shape == [outFeatures], "linear: bias \(b.shape) for \(outFeatures) outputs")
        for r in 0..<n { (out.storage.pointer + r * outFeatures).update(from: b.storage.pointer, count: outFeatures) }
    }
    gemm(x, false, w, true, into: out, m: n, n: outFeatures, k: x.shape[1], accumulate: b != nil)
    let inputs = b.map { [x, w, $0] } ?? [x, w]
    return Tensor.result(out, inputs) { g, _, needs in
        [needs[0] ? matmul(g, w) : nil,
         needs[1] ? matmul(g, x, transposeA: true) : nil,
         needs.count > 2 && needs[2] ? g.sum(to: [outFeatures]) : nil]
    }
}

/// The shape of one `cblas_sgemm` call: (m×k)·(k×n), either operand stored transposed.
public struct MatrixProductShape: Hashable, Sendable {
    public let m: Int, n: Int, k: Int
    public let transposeA: Bool, transposeB: Bool

    public init(m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
        (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
    }

    /// Multiply-adds count two floating-point operations each.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
}

/// Records the matrix products of a piece of work, so that a benchmark can count its
/// GEMM work and time `cblas_sgemm` alone at the same shapes.
public enum MatrixProducts {
    final class Recorder: @unchecked Sendable {  // only touched by the task that records
        var shapes: [MatrixProductShape] = []
        func append(_ shape: MatrixProductShape) { shapes.append(shape) }
    }
    @TaskLocal static var recorder: Recorder?

    /// The shape of every matrix product that `body` computes, in order.
    public static func recorded(_ body: () throws -> Void) rethrows -> [MatrixProductShape] {
        let recorder = Recorder()
        try $recorder.withValue(recorder, operation: body)
        return recorder.shapes
    }
}

/// Eigenvalues (ascending) of a symmetric n × n Float64 matrix and, if asked, its
/// eigenvectors one per row, from LAPACK's `dsyev`. (LAPACK returns them as columns of a
/// column-major matrix, the same memory as rows of a row-major one; a symmetric matrix
/// reads the same in either order, so none is transposed.) `info` is LAPACK's: 0 on
/// success, so that each caller can report a failure in its own terms.
public func symmetricEigenDecomposition(_ matrix: [Double], order n: Int, wantVectors: Bool)
    -> (values: [Double], vectorRows: [Double], info: Int32)
{
    var work = matrix
    var values = [Double](repeating: 0, count: n)
    var job = Int8(UInt8(ascii: wantVectors ? "V" : "N"))
    var triangle = Int8(UInt8(ascii: "U"))
    var size = Int32(n)
    var leading = Int32(max(1, n))
    var info: Int32 = 0
    // The first call asks LAPACK for the optimal workspace size, the second does the work.
    var workspaceQuery = 0.0
    var querySize: Int32 = -1
    dsyev_(&job, &triangle, &size, &work, &leading, &values, &workspaceQuery, &querySize, &info)
    var workspaceSize = Int32(max(workspaceQuery, Double(3 * n)))
    var workspace = [Double](repeating: 0, count: Int(workspaceSize))
    dsyev_(&job, &triangle, &size, &work, &leading, &values, &workspace, &workspaceSize, &info)
    return (values, wantVectors ? work : [], info)
}
