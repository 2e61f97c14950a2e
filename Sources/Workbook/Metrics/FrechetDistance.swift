/// The Fréchet distance between two Gaussians N(μ1, Σ1) and N(μ2, Σ2):
///
///     ‖μ1 − μ2‖² + Tr Σ1 + Tr Σ2 − 2 Tr (Σ1^½ Σ2 Σ1^½)^½
///
/// (FID when the features come from Inception; here they come from our own classifier.)
///
/// The last term needs a *matrix* square root; an elementwise square root of Σ1 Σ2 (the
/// original chapter's erratum 7) is a different number altogether. We take Σ1^½ from the
/// eigen-decomposition of Σ1, form the symmetric positive semi-definite M = Σ1^½ Σ2 Σ1^½,
/// and sum the square roots of its eigenvalues (negative round-off clamped to zero).
///
/// Why this equals pytorch-fid's `trace(sqrtm(Σ1 Σ2))`: for square A, B the products AB
/// and BA have the same eigenvalues. With A = Σ1^½ and B = Σ1^½ Σ2, AB = Σ1 Σ2 and
/// BA = M. So Σ1 Σ2 has the eigenvalues λᵢ ≥ 0 of M, its principal square root has
/// eigenvalues √λᵢ, and the trace of that root is Σ √λᵢ. Unlike scipy's `sqrtm` of the
/// non-symmetric Σ1 Σ2, this path never meets complex round-off or needs pytorch-fid's
/// "add ε to the diagonal" retry.
// snippet.frechet-distance
public func frechetDistance(_ first: GaussianStats, _ second: GaussianStats) throws -> Double {
    let d = first.dimension
    guard second.dimension == d else { throw MetricsError.dimensionsDiffer(d, second.dimension) }
    var meanTerm = 0.0
    for i in 0..<d { meanTerm += (first.mu[i] - second.mu[i]) * (first.mu[i] - second.mu[i]) }
    var traceTerm = 0.0
    for i in 0..<d { traceTerm += first.sigma[i * d + i] + second.sigma[i * d + i] }

    let rootFirst = try symmetricSquareRoot(first.sigma, order: d)
    let middle = matrixProduct(matrixProduct(rootFirst, second.sigma, order: d), rootFirst, order: d)
    let eigenvalues = try symmetricEigen(middle, order: d, wantVectors: false).values
    let traceOfRoot = eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
    // A squared distance is never negative; round-off in the large, nearly cancelling trace
    // terms can leave identical sets slightly below zero (printed "-0.00" with "%.2f").
    return max(0, meanTerm + traceTerm - 2 * traceOfRoot)
}
// snippet.end

/// The Fréchet distance between the Gaussians fitted to two feature sets.
public func frechetDistance(_ first: FeatureMatrix, _ second: FeatureMatrix) throws -> Double {
    try requireSameDimension(first, second)
    return try frechetDistance(GaussianStats(features: first), GaussianStats(features: second))
}
