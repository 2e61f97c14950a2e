import CBLAS

/// Kernel Inception Distance (Bińkowski et al. 2018): the unbiased estimate of the
/// squared maximum mean discrepancy between two feature sets under the cubic polynomial
/// kernel k(x, y) = (x·y / d + 1)³, averaged over `subsets` random subsets of
/// `subsetSize` samples from each set (drawn without replacement).
///
/// This is torch-fidelity's definition (`metric_kid.py`: degree 3, gamma 1/d, coef0 1,
/// `mmd_est="unbiased"`, 100 subsets of 1000, mean and `np.std` over subsets):
///
///     MMD² = (Σ_{i≠j} k(xᵢ,xⱼ) + Σ_{i≠j} k(yᵢ,yⱼ)) / (m(m−1)) − 2 Σ_{i,j} k(xᵢ,yⱼ) / m²
///
/// Unlike torch-fidelity, which refuses sets smaller than the subset size, we clip the
/// subset size to the smaller set, so small classroom runs still get a number.
/// Unbiased means it can come out slightly negative when the sets match.
// snippet.kernel-distance
public func kernelInceptionDistance(
    real: FeatureMatrix, generated: FeatureMatrix,
    subsets: Int = 100, subsetSize: Int = 1000, seed: UInt64 = 0
) throws -> ScoreEstimate {
    try requireSameDimension(real, generated)
    guard subsets >= 1 else { throw MetricsError.invalidArgument("subsets is \(subsets); use at least 1 subset") }
    let m = min(subsetSize, real.rows, generated.rows)
    guard m >= 2 else {
        throw MetricsError.tooFewSamples(have: m, need: 2, purpose: "KID (subset size, clipped to the smaller set)")
    }
    var generator = SplitMix64(seed: seed)
    var estimates: [Double] = []
    for _ in 0..<subsets {
        let x = real.selectingRows(generator.sample(m, from: real.rows))
        let y = generated.selectingRows(generator.sample(m, from: generated.rows))
        let offDiagonalXX = polynomialKernelSumWithinSet(x)
        let offDiagonalYY = polynomialKernelSumWithinSet(y)
        let acrossSets = polynomialKernelSumAcrossSets(x, y)
        let pairs = Double(m), distinctPairs = Double(m * (m - 1))
        estimates.append((offDiagonalXX + offDiagonalYY) / distinctPairs - 2 * acrossSets / (pairs * pairs))
    }
    return ScoreEstimate(of: estimates)
}

/// The cubic polynomial kernel applied to a dot product of d-dimensional features.
private func cubicKernel(dot: Double, dimension: Int) -> Double {
    let base = dot / Double(dimension) + 1
    return base * base * base
}
// snippet.end

/// Σ_{i≠j} k(xᵢ, xⱼ). The Gram matrix is symmetric, so dsyrk computes only its upper
/// triangle (half the work of a GEMM) and the strict upper part is counted twice.
private func polynomialKernelSumWithinSet(_ x: FeatureMatrix) -> Double {
    let m = x.rows, d = x.columns
    var gram = [Double](repeating: 0, count: m * m)
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(m), Int32(d),
                1, x.values, Int32(d), 0, &gram, Int32(m))
    var strictUpper = 0.0
    gram.withUnsafeBufferPointer { gram in
        for i in 0..<m {
            for j in (i + 1)..<m { strictUpper += cubicKernel(dot: gram[i * m + j], dimension: d) }
        }
    }
    return 2 * strictUpper
}

/// Σ_{i,j} k(xᵢ, yⱼ) from the cross Gram matrix X Yᵀ.
private func polynomialKernelSumAcrossSets(_ x: FeatureMatrix, _ y: FeatureMatrix) -> Double {
    let m = x.rows, d = x.columns
    var gram = [Double](repeating: 0, count: m * m)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(m), Int32(d),
                1, x.values, Int32(d), y.values, Int32(d), 0, &gram, Int32(m))
    return gram.withUnsafeBufferPointer { gram in
        gram.reduce(0) { $0 + cubicKernel(dot: $1, dimension: d) }
    }
}
