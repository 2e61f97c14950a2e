import CBLAS

/// The mean and covariance of a set of feature vectors: everything the Fréchet distance
/// needs, and what pytorch-fid stores in its `.npz` statistics files.
public struct GaussianStats: Sendable, Equatable {
    /// Mean feature vector, length d.
    public let mu: [Double]
    /// Unbiased (N - 1) covariance, d x d, row-major.
    public let sigma: [Double]
    /// How many samples the statistics summarise; nil when loaded from an `.npz`
    /// file, since pytorch-fid's layout does not record it.
    public let count: Int?

    public var dimension: Int { mu.count }

    public init(mu: [Double], sigma: [Double], count: Int? = nil) throws {
        guard !mu.isEmpty else { throw MetricsError.invalidArgument("mu is empty; statistics need at least one feature dimension") }
        guard sigma.count == mu.count * mu.count else {
            throw MetricsError.invalidArgument("sigma has \(sigma.count) values but mu has \(mu.count) dimensions, so sigma must be \(mu.count) x \(mu.count); pass the covariance of the same features")
        }
        guard mu.allSatisfy(\.isFinite), sigma.allSatisfy(\.isFinite) else {
            throw MetricsError.notFinite(what: "mu or sigma")
        }
        self.mu = mu
        self.sigma = sigma
        self.count = count
    }

    /// Mean and unbiased covariance (divide by N - 1, like numpy's `np.cov` in pytorch-fid).
    public init(features: FeatureMatrix) throws {
        let n = features.rows, d = features.columns
        guard n >= 2 else { throw MetricsError.tooFewSamples(have: n, need: 2, purpose: "a covariance") }
        var mean = [Double](repeating: 0, count: d)
        var centred = features.values
        mean.withUnsafeMutableBufferPointer { mean in
            centred.withUnsafeMutableBufferPointer { rows in
                for row in 0..<n {
                    for column in 0..<d { mean[column] += rows[row * d + column] }
                }
                for column in 0..<d { mean[column] /= Double(n) }
                // Centre first, then multiply: E[xxᵀ] - μμᵀ would cancel catastrophically.
                for row in 0..<n {
                    for column in 0..<d { rows[row * d + column] -= mean[column] }
                }
            }
        }
        // Σ = Xcᵀ Xc / (N - 1); dsyrk fills the upper triangle only, so mirror it.
        var covariance = [Double](repeating: 0, count: d * d)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(n),
                    1 / Double(n - 1), centred, Int32(d), 0, &covariance, Int32(d))
        for row in 0..<d {
            for column in 0..<row { covariance[row * d + column] = covariance[column * d + row] }
        }
        try self.init(mu: mean, sigma: covariance, count: n)
    }
}
