import ExerciseKit
import Foundation
import Tensor
import Workbook

// 11.5: both metrics against the library's (`frechetDistance` on `GaussianStats`,
// `inceptionScore` with one split), on cases whose answers are known and on random ones.

/// A random d × d covariance (of 3d samples) and mean.
private func randomGaussian(dimension d: Int, diagonal: Bool, using random: inout SeededGenerator) -> (mean: [Double], covariance: [Double]) {
    let samples = Tensor.randomNormal([3 * d, d], using: &random).values.map(Double.init)
    let mean = Tensor.randomNormal([d], using: &random).values.map(Double.init)
    var covariance = [Double](repeating: 0, count: d * d)
    for i in 0..<d {
        for j in 0..<d where !diagonal || i == j {
            covariance[i * d + j] = (0..<(3 * d)).reduce(0) { $0 + samples[$1 * d + i] * samples[$1 * d + j] } / Double(3 * d)
        }
    }
    return (mean, covariance)
}

func checkFrechetDistance(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    var random = SeededGenerator(seed: 115)
    func reference(_ a: (mean: [Double], covariance: [Double]), _ b: (mean: [Double], covariance: [Double])) throws -> Double {
        try frechetDistance(GaussianStats(mu: a.mean, sigma: a.covariance), GaussianStats(mu: b.mean, sigma: b.covariance))
    }
    func student(_ a: (mean: [Double], covariance: [Double]), _ b: (mean: [Double], covariance: [Double])) throws -> Double {
        try answers.frechetDistance(a.mean, a.covariance, b.mean, b.covariance)
    }
    func expectDistance(_ a: (mean: [Double], covariance: [Double]), _ b: (mean: [Double], covariance: [Double]),
                        _ what: String, extraHint: String = "") throws {
        let got = try student(a, b), expected = try reference(a, b)
        let scale = (0..<a.mean.count).reduce(0) { $0 + a.covariance[$1 * a.mean.count + $1] }
        if got.isNaN {
            throw CheckFailure("wrong value: the distance \(what) is NaN; a square root of a negative number? Round-off "
                               + "leaves eigenvalues slightly below 0: clamp them to 0\(extraHint)")
        }
        guard got.isFinite, abs(got - expected) <= 1e-6 * (1 + scale) else {
            throw CheckFailure("wrong value: the distance \(what) is \(got), expected \(expected)\(extraHint)")
        }
    }
    // Diagonal first: there an entrywise square root happens to be right, which the hint
    // of the full cases can then point out.
    let diagonal = (randomGaussian(dimension: 8, diagonal: true, using: &random), randomGaussian(dimension: 8, diagonal: true, using: &random))
    try expectDistance(diagonal.0, diagonal.1, "between two Gaussians with diagonal covariances (d = 8)")
    log.pass()
    let matrixRootHint = "; the diagonal case was right, so look at Tr (Σa Σb)^½: a matrix square root is not "
        + "the square root of each entry (the original chapter's bug)"
    let same = randomGaussian(dimension: 8, diagonal: false, using: &random)
    try expectDistance(same, same, "between a Gaussian with a full covariance and itself (d = 8)", extraHint: matrixRootHint)
    log.pass()
    let full = (randomGaussian(dimension: 16, diagonal: false, using: &random), randomGaussian(dimension: 16, diagonal: false, using: &random))
    try expectDistance(full.0, full.1, "between two Gaussians with full covariances (d = 16)", extraHint: matrixRootHint)
    log.pass()
    let large = (randomGaussian(dimension: 128, diagonal: false, using: &random), randomGaussian(dimension: 128, diagonal: false, using: &random))
    try expectFast("the distance at d = 128", theirs: { _ = try student(large.0, large.1) },
                   library: { _ = try reference(large.0, large.1) })
    log.pass()
}

func checkInceptionScore(_ answers: ExerciseAnswers, _ log: CheckLog) throws {
    var random = SeededGenerator(seed: 1150)
    func reference(_ rows: [[Double]]) throws -> Double {
        try inceptionScore(probabilities: FeatureMatrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 }), splits: 1).mean
    }
    func randomRows(_ n: Int, classes: Int) -> [[Double]] {
        let logits = Tensor.randomNormal([n, classes], std: 2, using: &random)
        let p = logits.softmax().values.map(Double.init)
        return (0..<n).map { row in
            let entries = p[(row * classes)..<((row + 1) * classes)]
            let sum = entries.reduce(0, +)
            return entries.map { $0 / sum }
        }
    }
    func expectScore(_ rows: [[Double]], _ what: String) throws {
        let got = try answers.inceptionScore(rows), expected = try reference(rows)
        if got.isNaN {
            throw CheckFailure("wrong value: the score \(what) is NaN; a term with p(y|x) = 0 contributes 0, not 0 · log 0")
        }
        if abs(got - 1) < 1e-9, expected > 1.5 {
            throw CheckFailure(String(format: "wrong value: the score %@ is 1, expected %.4f; the marginal p(y) is the mean over "
                                      + "all samples, not each image's own (the original chapter's bug)", what, expected))
        }
        guard close(got, expected, tolerance: 1e-6) else {
            throw CheckFailure("wrong value: the score \(what) is \(got), expected \(expected)")
        }
    }
    let one = randomRows(1, classes: 10)[0]
    try expectScore(Array(repeating: one, count: 50), "of 50 samples with the same class probabilities")
    log.pass()
    let oneHot = (0..<40).map { i in (0..<10).map { $0 == i % 8 ? 1.0 : 0.0 } }
    try expectScore(oneHot, "of 40 certain samples spread evenly over 8 of 10 classes")
    log.pass()
    try expectScore(randomRows(500, classes: 10), "of 500 random samples")
    log.pass()
    let large = randomRows(4_000, classes: 10)
    try expectFast("the score of 4,000 samples", theirs: { _ = try answers.inceptionScore(large) },
                   library: { _ = try reference(large) })
    log.pass()
}
