/// Everything the metrics can refuse. Each description is one line that names the
/// problem and says how to fix it, so a chapter can print it and exit.
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(values: Int, rows: Int, columns: Int)
    case dimensionsDiffer(Int, Int)
    case tooFewSamples(have: Int, need: Int, purpose: String)
    case notFinite(what: String)
    case notProbabilities(row: Int, sum: Double)
    case invalidArgument(String)
    case eigenDecompositionFailed(info: Int32)
    case fileUnreadable(path: String, reason: String)
    case missingEntry(path: String, name: String)
    case wrongShape(path: String, entry: String, shape: [Int], expected: String)
    case invalidStatistics(path: String, problem: String)
    case sidesDiffer(first: String, firstDimension: Int, second: String, secondDimension: Int)

    public var description: String {
        switch self {
        case let .shapeMismatch(values, rows, columns):
            return "feature matrix has \(values) values but \(rows) x \(columns) needs \(rows * columns); pass the row count and feature dimension of the flat row-major array"
        case let .dimensionsDiffer(a, b):
            return "feature dimensions differ (\(a) vs \(b)); extract both sets with the same network layer"
        case let .tooFewSamples(have, need, purpose):
            return "\(purpose) needs at least \(need) samples but got \(have); evaluate more samples"
        case let .notFinite(what):
            return "\(what) contains NaN or infinity; check the model output before computing metrics"
        case let .notProbabilities(row, sum):
            return "row \(row) of the class probabilities sums to \(sum), not 1, or has a negative entry; apply softmax to the classifier's logits first"
        case let .invalidArgument(message):
            return message
        case let .eigenDecompositionFailed(info):
            return "LAPACK dsyev failed (info \(info)); the covariance matrix is probably not finite"
        case let .fileUnreadable(path, reason):
            return "cannot read \(path): \(reason); check the path and permissions"
        case let .missingEntry(path, name):
            return "\(path) has no '\(name)' array; FID statistics need both 'mu' and 'sigma' (pytorch-fid layout)"
        case let .wrongShape(path, entry, shape, expected):
            return "\(path): entry \(entry) has shape \(shape) but must be \(expected); save mu as a vector and sigma as its d x d covariance"
        case let .invalidStatistics(path, problem):
            return "\(path): \(problem); a covariance must be finite and symmetric, re-create the statistics"
        case let .sidesDiffer(first, firstDimension, second, secondDimension):
            return "\(first) has \(firstDimension)-dimensional features but \(second) has \(secondDimension); compare statistics of the same feature extractor (this workbook's classifier gives 128)"
        }
    }
}
