import CBLAS
import Tensor

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
/// one per row; a LAPACK failure is a metrics error.
func symmetricEigen(_ matrix: [Double], order n: Int, wantVectors: Bool) throws
    -> (values: [Double], vectorRows: [Double])
{
    let result = symmetricEigenDecomposition(matrix, order: n, wantVectors: wantVectors)
    guard result.info == 0 else { throw MetricsError.eigenDecompositionFailed(info: result.info) }
    return (result.values, result.vectorRows)
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
