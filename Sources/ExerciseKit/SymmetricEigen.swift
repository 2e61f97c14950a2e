import Tensor

/// The eigenvalues (ascending) and eigenvectors of a symmetric n × n matrix, row-major, in
/// Float64, from LAPACK's `dsyev`: `vectors` holds eigenvector i as row i, so that
/// S = Σᵢ λᵢ vᵢ vᵢᵀ. A tool for exercise 11.5, where a matrix square root is needed.
public func symmetricEigen(_ matrix: [Double], order n: Int) throws -> (values: [Double], vectors: [Double]) {
    guard n > 0, matrix.count == n * n else { throw EigenError.notSquare(count: matrix.count, order: n) }
    let result = symmetricEigenDecomposition(matrix, order: n, wantVectors: true)
    guard result.info == 0 else { throw EigenError.failed(info: Int(result.info)) }
    return (result.values, result.vectorRows)
}

public enum EigenError: Error, CustomStringConvertible {
    case notSquare(count: Int, order: Int)
    case failed(info: Int)

    public var description: String {
        switch self {
        case .notSquare(let count, let order): "\(count) values do not make a \(order) × \(order) matrix"
        case .failed(let info): "the eigen-decomposition did not converge (LAPACK info \(info))"
        }
    }
}
