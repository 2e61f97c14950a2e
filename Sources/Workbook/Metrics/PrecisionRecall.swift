import CBLAS

/// Improved precision and recall (Kynkäänniemi et al. 2019).
public struct PrecisionRecall: Sendable, Equatable {
    /// Fraction of generated samples that land inside the real manifold (realism).
    public let precision: Double
    /// Fraction of real samples that land inside the generated manifold (coverage).
    public let recall: Double
}

/// Each set's manifold is the union of balls around its samples, each ball reaching the
/// sample's `neighbourhood`-th nearest neighbour in the same set (itself excluded).
/// Precision counts generated samples inside some real ball, recall counts real samples
/// inside some generated ball. Same convention as torch-fidelity's `metric_prc.py`
/// (k = 3, a point on a ball's boundary counts as inside).
public func precisionRecall(
    real: FeatureMatrix, generated: FeatureMatrix, neighbourhood: Int = 3
) throws -> PrecisionRecall {
    try precisionRecall(real: real, generated: generated, neighbourhood: neighbourhood, blockEntries: 4_000_000)
}

/// `blockEntries` bounds the distances held at once (4 M doubles = 32 MB by default, so
/// 10,000 x 10,000 samples never need the full 800 MB matrix); tests make it tiny.
// snippet.precision-recall
func precisionRecall(
    real: FeatureMatrix, generated: FeatureMatrix, neighbourhood: Int, blockEntries: Int
) throws -> PrecisionRecall {
    try requireSameDimension(real, generated)
    guard neighbourhood >= 1 else {
        throw MetricsError.invalidArgument("neighbourhood is \(neighbourhood); use k >= 1 (3 is standard)")
    }
    for set in [real, generated] where set.rows <= neighbourhood {
        throw MetricsError.tooFewSamples(have: set.rows, need: neighbourhood + 1, purpose: "precision/recall with k = \(neighbourhood)")
    }
    // Everything is compared in squared distances: same order, no square roots.
    let realRadii = kthNeighbourSquaredDistances(real, k: neighbourhood, blockEntries: blockEntries)
    let generatedRadii = kthNeighbourSquaredDistances(generated, k: neighbourhood, blockEntries: blockEntries)
    let realCount = real.rows
    var realCovered = [Bool](repeating: false, count: realCount)
    var generatedInside = 0
    realRadii.withUnsafeBufferPointer { realRadii in
        realCovered.withUnsafeMutableBufferPointer { realCovered in
            // One pass over the generated x real distances answers both questions.
            forEachSquaredDistanceBlock(from: generated, to: real, blockEntries: blockEntries) { firstRow, rowCount, distances in
                for blockRow in 0..<rowCount {
                    let generatedRadius = generatedRadii[firstRow + blockRow]
                    let row = distances.baseAddress! + blockRow * realCount
                    var insideReal = false
                    for realIndex in 0..<realCount {
                        if row[realIndex] <= realRadii[realIndex] { insideReal = true }
                        if row[realIndex] <= generatedRadius { realCovered[realIndex] = true }
                    }
                    if insideReal { generatedInside += 1 }
                }
            }
        }
    }
    let realInside = realCovered.count { $0 }
    return PrecisionRecall(
        precision: Double(generatedInside) / Double(generated.rows),
        recall: Double(realInside) / Double(realCount))
}
// snippet.end

/// For every row, the squared distance to its k-th nearest other row.
private func kthNeighbourSquaredDistances(_ set: FeatureMatrix, k: Int, blockEntries: Int) -> [Double] {
    let n = set.rows
    var radii = [Double](repeating: 0, count: n)
    // The k smallest distances seen so far for the current row, ascending.
    var nearestStorage = [Double](repeating: 0, count: k)
    nearestStorage.withUnsafeMutableBufferPointer { nearest in
        forEachSquaredDistanceBlock(from: set, to: set, blockEntries: blockEntries) { firstRow, rowCount, distances in
            for blockRow in 0..<rowCount {
                let row = firstRow + blockRow
                let rowDistances = distances.baseAddress! + blockRow * n
                nearest.update(repeating: .infinity)
                for other in 0..<n where other != row {
                    let distance = rowDistances[other]
                    guard distance < nearest[k - 1] else { continue }
                    // Insertion into the short sorted list.
                    var slot = k - 1
                    while slot > 0 && nearest[slot - 1] > distance {
                        nearest[slot] = nearest[slot - 1]
                        slot -= 1
                    }
                    nearest[slot] = distance
                }
                radii[row] = nearest[k - 1]
            }
        }
    }
    return radii
}

/// Calls `body` with consecutive row blocks of the squared-distance matrix between the
/// rows of `queries` and of `references`, computed as ‖a‖² + ‖b‖² − 2 a·b with one GEMM
/// per block of whole rows holding at most `blockEntries` distances (at least one row).
private func forEachSquaredDistanceBlock(
    from queries: FeatureMatrix, to references: FeatureMatrix, blockEntries: Int,
    _ body: (_ firstRow: Int, _ rowCount: Int, _ distances: UnsafeBufferPointer<Double>) -> Void
) {
    let d = queries.columns, columns = references.rows
    let queryNorms = rowSquaredNorms(queries)
    let referenceNorms = rowSquaredNorms(references)
    let rowsPerBlock = max(1, min(queries.rows, blockEntries / max(columns, 1)))
    var block = [Double](repeating: 0, count: rowsPerBlock * columns)
    queries.values.withUnsafeBufferPointer { queryValues in
        block.withUnsafeMutableBufferPointer { block in
            for firstRow in stride(from: 0, to: queries.rows, by: rowsPerBlock) {
                let rowCount = min(rowsPerBlock, queries.rows - firstRow)
                // block = −2 Q_block Rᵀ, then add the norms.
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            Int32(rowCount), Int32(columns), Int32(d),
                            -2, queryValues.baseAddress! + firstRow * d, Int32(d),
                            references.values, Int32(d), 0, block.baseAddress!, Int32(columns))
                for blockRow in 0..<rowCount {
                    let queryNorm = queryNorms[firstRow + blockRow]
                    for column in 0..<columns {
                        let index = blockRow * columns + column
                        // Round-off can make a zero distance slightly negative.
                        block[index] = max(0, block[index] + queryNorm + referenceNorms[column])
                    }
                }
                body(firstRow, rowCount, UnsafeBufferPointer(rebasing: block[0..<(rowCount * columns)]))
            }
        }
    }
}

private func rowSquaredNorms(_ matrix: FeatureMatrix) -> [Double] {
    let d = matrix.columns
    return matrix.values.withUnsafeBufferPointer { values in
        (0..<matrix.rows).map { row in
            cblas_ddot(Int32(d), values.baseAddress! + row * d, 1, values.baseAddress! + row * d, 1)
        }
    }
}
