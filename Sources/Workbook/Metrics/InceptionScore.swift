import Foundation

/// The Inception Score, exp(E_x KL(p(y|x) ‖ p(y))), computed over `splits` consecutive
/// equal parts of the sample, reported as mean and spread over the parts.
///
/// `probabilities` holds one class distribution p(y|x) per row (softmax outputs, n x k).
/// The marginal p(y) is the mean of *all rows of a split*: taking it per image (the
/// original chapter's erratum 6) makes p(y) = p(y|x) and the score always 1.
///
/// Splits are the rows [i·n/splits, (i+1)·n/splits), as in the original IS code and
/// torch-fidelity (`metric_isc.py`), which also report the population standard
/// deviation (`np.std`, dividing by the number of splits); we do the same. We do not
/// shuffle: pass the samples in random order, as a generator produces them.
// snippet.inception-score
public func inceptionScore(probabilities: FeatureMatrix, splits: Int = 10) throws -> ScoreEstimate {
    let n = probabilities.rows, k = probabilities.columns
    guard splits >= 1 else { throw MetricsError.invalidArgument("splits is \(splits); use at least 1 split") }
    guard n >= splits else { throw MetricsError.tooFewSamples(have: n, need: splits, purpose: "an Inception Score over \(splits) splits") }
    try probabilities.values.withUnsafeBufferPointer { p in
        for row in 0..<n {
            let entries = p[(row * k)..<((row + 1) * k)]
            let sum = entries.reduce(0, +)
            guard abs(sum - 1) < 1e-3, entries.allSatisfy({ $0 >= 0 }) else {
                throw MetricsError.notProbabilities(row: row, sum: sum)
            }
        }
    }
    // Keeps log(0) finite; terms with p = 0 contribute 0 · log ε = 0.
    let epsilon = 1e-12
    var scores: [Double] = []
    probabilities.values.withUnsafeBufferPointer { p in
        var marginal = [Double](repeating: 0, count: k)
        for split in 0..<splits {
            let rows = (split * n / splits)..<((split + 1) * n / splits)
            for column in 0..<k { marginal[column] = 0 }
            for row in rows {
                for column in 0..<k { marginal[column] += p[row * k + column] }
            }
            for column in 0..<k { marginal[column] /= Double(rows.count) }
            var klSum = 0.0
            for row in rows {
                for column in 0..<k {
                    let conditional = p[row * k + column]
                    klSum += conditional * (log(conditional + epsilon) - log(marginal[column] + epsilon))
                }
            }
            scores.append(exp(klSum / Double(rows.count)))
        }
    }
    return ScoreEstimate(of: scores)
}
// snippet.end
