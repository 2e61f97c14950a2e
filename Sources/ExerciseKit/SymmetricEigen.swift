import CBLAS

/// The eigenvalues (ascending) and eigenvectors of a symmetric n × n matrix, row-major, in
/// Float64, from LAPACK's `dsyev`: `vectors` holds eigenvector i as row i, so that
/// S = Σᵢ λᵢ vᵢ vᵢᵀ. A tool for exercise 11.5, where a matrix square root is needed.
public func symmetricEigen(_ matrix: [Double], order n: Int) throws -> (values: [Double], vectors: [Double]) {
    guard n > 0, matrix.count == n * n else { throw EigenError.notSquare(count: matrix.count, order: n) }
    // A symmetric matrix reads the same row- or column-major, and LAPACK's column-major
    // eigenvector columns are our rows.
    var work = matrix
    var values = [Double](repeating: 0, count: n)
    var job = Int8(UInt8(ascii: "V")), triangle = Int8(UInt8(ascii: "U"))
    var size = Int32(n), leading = Int32(n), info: Int32 = 0
    var workspaceSize = Int32(max(1, 3 * n - 1) + 64 * n)
    var workspace = [Double](repeating: 0, count: Int(workspaceSize))
    dsyev_(&job, &triangle, &size, &work, &leading, &values, &workspace, &workspaceSize, &info)
    guard info == 0 else { throw EigenError.failed(info: Int(info)) }
    return (values, work)
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
