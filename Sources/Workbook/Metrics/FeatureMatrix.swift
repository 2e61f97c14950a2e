/// An n x d matrix of features (one sample per row), or of class probabilities (n x k),
/// stored row-major in Float64. Metrics need double precision: covariances of
/// thousands of samples and traces of matrix square roots lose digits in Float32.
public struct FeatureMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public let values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) throws {
        guard columns > 0 else {
            throw MetricsError.invalidArgument("feature dimension is \(columns); each sample needs at least one feature")
        }
        guard rows >= 0, values.count == rows * columns else {
            throw MetricsError.shapeMismatch(values: values.count, rows: rows, columns: columns)
        }
        guard values.allSatisfy(\.isFinite) else { throw MetricsError.notFinite(what: "feature matrix") }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Features usually come out of the network as Float32; widen them once here.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        try self.init(rows: rows, columns: columns, values: values.map(Double.init))
    }

    /// Rows `indices`, in that order, copied into a new matrix.
    func selectingRows(_ indices: [Int]) -> FeatureMatrix {
        var picked = [Double](repeating: 0, count: indices.count * columns)
        values.withUnsafeBufferPointer { source in
            picked.withUnsafeMutableBufferPointer { target in
                for (targetRow, sourceRow) in indices.enumerated() {
                    let from = source.baseAddress! + sourceRow * columns
                    (target.baseAddress! + targetRow * columns).update(from: from, count: columns)
                }
            }
        }
        return FeatureMatrix(trusted: picked, rows: indices.count, columns: columns)
    }

    /// For matrices built from already-validated values, skipping the checks.
    init(trusted values: [Double], rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// The metrics that compare two sets need both in the same feature space.
func requireSameDimension(_ a: FeatureMatrix, _ b: FeatureMatrix) throws {
    guard a.columns == b.columns else { throw MetricsError.dimensionsDiffer(a.columns, b.columns) }
}

/// Mean and population standard deviation (divide by n, numpy's default `np.std`),
/// the spread reported by the original IS code and by torch-fidelity for IS and KID.
public struct ScoreEstimate: Sendable, Equatable {
    public let mean: Double
    public let std: Double

    init(of samples: [Double]) {
        let count = Double(samples.count)
        mean = samples.reduce(0, +) / count
        let meanValue = mean
        std = (samples.reduce(0) { $0 + ($1 - meanValue) * ($1 - meanValue) } / count).squareRoot()
    }
}
