import CBLAS

// The few dense Float64 matrix routines the metrics need, all on square or row-major
// matrices stored in plain arrays and handed to OpenBLAS / LAPACK.

/// C = A B for row-major n x n matrices.
func matrixProduct(_ a: [Double], _ b: [Double], order n: Int) -> [Double] {
    var product = [Double](repeating: 0, count: n * n)
    let size = Int32(n)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size,
                1, a, size, b, size, 0, &product, size)
    return product
}

/// Eigenvalues (ascending) of a symmetric n x n matrix and, if asked, its eigenvectors
/// one per row (LAPACK returns them as columns of a column-major matrix, which is the
/// same memory as rows of a row-major one). A symmetric matrix reads the same in
/// either storage order, so no transpose is needed on the way in.
func symmetricEigen(_ matrix: [Double], order n: Int, wantVectors: Bool) throws
    -> (values: [Double], vectorRows: [Double])
{
    var work = matrix
    var values = [Double](repeating: 0, count: n)
    var job = Int8(UInt8(ascii: wantVectors ? "V" : "N"))
    var triangle = Int8(UInt8(ascii: "U"))
    var size = Int32(n)
    var leading = Int32(max(1, n))
    var info: Int32 = 0
    // First call asks LAPACK for the optimal workspace size, the second does the work.
    var workspaceQuery = 0.0
    var querySize: Int32 = -1
    dsyev_(&job, &triangle, &size, &work, &leading, &values, &workspaceQuery, &querySize, &info)
    var workspaceSize = Int32(max(workspaceQuery, Double(3 * n)))
    var workspace = [Double](repeating: 0, count: Int(workspaceSize))
    dsyev_(&job, &triangle, &size, &work, &leading, &values, &workspace, &workspaceSize, &info)
    guard info == 0 else { throw MetricsError.eigenDecompositionFailed(info: info) }
    return (values, wantVectors ? work : [])
}

/// The principal square root of a symmetric positive semi-definite matrix,
/// S^½ = V diag(√λ) Vᵀ. Eigenvalues that round-off pushed slightly below zero are
/// treated as zero: a covariance has none that are truly negative.
func symmetricSquareRoot(_ matrix: [Double], order n: Int) throws -> [Double] {
    let (values, vectorRows) = try symmetricEigen(matrix, order: n, wantVectors: true)
    // With E holding eigenvectors as rows, S^½ = Eᵀ (diag(√λ) E).
    var scaledRows = vectorRows
    for row in 0..<n {
        let scale = max(values[row], 0).squareRoot()
        for column in 0..<n { scaledRows[row * n + column] *= scale }
    }
    var root = [Double](repeating: 0, count: n * n)
    let size = Int32(n)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, size, size, size,
                1, vectorRows, size, scaledRows, size, 0, &root, size)
    return root
}
