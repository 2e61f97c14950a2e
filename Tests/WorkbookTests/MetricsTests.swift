@testable import Formats
import Foundation
import NN
import Testing
@testable import Workbook

// MARK: - Helpers

/// n samples of N(mean, L Lᵀ), from a seeded Box–Muller transform.
private func gaussianSamples(
    _ n: Int, mean: [Double], cholesky: [Double]? = nil, seed: UInt64
) throws -> FeatureMatrix {
    let d = mean.count
    var generator = SplitMix64(seed: seed)
    func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) * 0x1p-53 }
    var values = [Double](repeating: 0, count: n * d)
    for row in 0..<n {
        let standard = (0..<d).map { _ in (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
        for i in 0..<d {
            var x = mean[i]
            for j in 0..<d { x += (cholesky?[i * d + j] ?? (i == j ? 1 : 0)) * standard[j] }
            values[row * d + i] = x
        }
    }
    return try FeatureMatrix(rows: n, columns: d, values: values)
}

private func naiveProduct(_ a: [Double], _ b: [Double], _ n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { for k in 0..<n { c[i * n + j] += a[i * n + k] * b[k * n + j] } } }
    return c
}

private func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0.0) { (sum: Double, pair: (Double, Double)) in sum + (pair.0 - pair.1) * (pair.0 - pair.1) }
}

private func trace(_ a: [Double], _ n: Int) -> Double { (0..<n).reduce(0) { $0 + a[$1 * n + $1] } }

/// Tr √(Σ1 Σ2) by the coupled Newton–Schulz iteration on the non-symmetric product
/// itself: no eigen-decomposition, so an independent check of our route.
private func newtonSchulzTraceOfRoot(_ sigma1: [Double], _ sigma2: [Double], _ n: Int) -> Double {
    let a = naiveProduct(sigma1, sigma2, n)
    let norm = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let identity = (0..<(n * n)).map { $0 % (n + 1) == 0 ? 1.0 : 0.0 }
    var y = a.map { $0 / norm }, z = identity
    for _ in 0..<100 {
        let t = zip(identity, naiveProduct(z, y, n)).map { 0.5 * (3 * $0 - $1) }
        (y, z) = (naiveProduct(y, t, n), naiveProduct(t, z, n))
    }
    return trace(y, n) * norm.squareRoot()
}

/// The original chapter's FID (erratum 7): an elementwise square root of Σ1 Σ2.
private func originalChapterFrechetDistance(_ a: GaussianStats, _ b: GaussianStats) -> Double {
    let d = a.dimension
    let meanTerm = squaredDistance(a.mu, b.mu)
    let elementwiseRoot = naiveProduct(a.sigma, b.sigma, d).map { $0.squareRoot() }
    return meanTerm + trace(a.sigma, d) + trace(b.sigma, d) - 2 * trace(elementwiseRoot, d)
}

/// The original chapter's IS (erratum 6): each image's marginal is its own prediction.
private func originalChapterInceptionScore(_ p: FeatureMatrix) -> Double {
    let k = p.columns
    var klSum = 0.0
    for row in 0..<p.rows {
        let conditional = Array(p.values[(row * k)..<((row + 1) * k)])
        let marginal = conditional  // the mean over a batch of one image
        klSum += zip(conditional, marginal).reduce(0) { $0 + ($1.0 > 0 ? $1.0 * (log($1.0) - log($1.1)) : 0) }
    }
    return exp(klSum / Double(p.rows))
}

/// n one-hot rows over k classes, cycling through the classes.
private func confidentPredictions(_ n: Int, classes k: Int) throws -> FeatureMatrix {
    try FeatureMatrix(rows: n, columns: k, values: (0..<(n * k)).map { (i: Int) -> Double in i / k % k == i % k ? 1 : 0 })
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory
        .appendingPathComponent("metrics-\(UUID().uuidString)-\(name)").path
}

/// Runs `body` and returns the MetricsError it throws, checking the message is one line.
private func metricsError(_ body: () throws -> Void) -> MetricsError? {
    do {
        try body()
        return nil
    } catch let error as MetricsError {
        #expect(!error.description.contains("\n"))
        return error
    } catch {
        return nil
    }
}

// MARK: - Statistics and Fréchet distance

@Suite struct MetricsTests {
    @Test func covarianceIsUnbiased() throws {
        let features = try FeatureMatrix(rows: 3, columns: 2, values: [1, 2, 3, 6, 5, 4] as [Float])
        let stats = try GaussianStats(features: features)
        #expect(stats.mu == [3, 4])
        // Deviations (-2,-2), (0,2), (2,0): sums of products 8, 4, 8, divided by N - 1 = 2.
        #expect(stats.sigma == [4, 2, 2, 4])
        #expect(stats.count == 3)
    }

    @Test func badFeatureMatricesAndSingleSamplesAreRejected() throws {
        let one = try FeatureMatrix(rows: 1, columns: 2, values: [1.0, 2])
        #expect(metricsError { _ = try GaussianStats(features: one) } == .tooFewSamples(have: 1, need: 2, purpose: "a covariance"))
        #expect(metricsError { _ = try FeatureMatrix(rows: 2, columns: 2, values: [1.0, 2, 3]) } == .shapeMismatch(values: 3, rows: 2, columns: 2))
        #expect(metricsError { _ = try FeatureMatrix(rows: 1, columns: 1, values: [Double.nan]) } == .notFinite(what: "feature matrix"))
        #expect(metricsError { _ = try FeatureMatrix(rows: 0, columns: 0, values: [Double]()) }
            == .invalidArgument("feature dimension is 0; each sample needs at least one feature"))
    }

    @Test func frechetDistanceOfDiagonalGaussiansIsClosedForm() throws {
        // Commuting (diagonal) covariances: Tr √(Σ1Σ2) = Σ √(aᵢbᵢ), so FD = ‖Δμ‖² + Σ (√aᵢ − √bᵢ)².
        let a = [1.0, 4, 9, 0.25], b = [4.0, 1, 16, 0.25]
        func diagonal(_ v: [Double]) -> [Double] { (0..<16).map { $0 % 5 == 0 ? v[$0 / 5] : 0 } }
        let first = try GaussianStats(mu: [0, 1, 2, 3], sigma: diagonal(a))
        let second = try GaussianStats(mu: [1, 1, 0, 3], sigma: diagonal(b))
        let expected = 1.0 + 4 + zip(a, b).reduce(0) { $0 + pow($1.0.squareRoot() - $1.1.squareRoot(), 2) }
        #expect(abs(try frechetDistance(first, second) - expected) < 1e-12)
    }

    @Test func frechetDistanceOfNonCommuting2x2MatchesClosedForm() throws {
        // For 2 x 2: eigenvalues λ1, λ2 of Σ1Σ2 give √λ1 + √λ2 = √(Tr Σ1Σ2 + 2 √(det Σ1 det Σ2)).
        let sigma1 = [2.0, 1, 1, 2], sigma2 = [3.0, 1, 1, 1]
        #expect(naiveProduct(sigma1, sigma2, 2) != naiveProduct(sigma2, sigma1, 2))
        let first = try GaussianStats(mu: [0, 0], sigma: sigma1)
        let second = try GaussianStats(mu: [1, 2], sigma: sigma2)
        let traceOfRoot = (trace(naiveProduct(sigma1, sigma2, 2), 2) + 2 * (3.0 * 2).squareRoot()).squareRoot()
        let expected = 5 + 4 + 4 - 2 * traceOfRoot
        #expect(abs(try frechetDistance(first, second) - expected) < 1e-12)
    }

    @Test func frechetDistanceMatchesNewtonSchulzOnCorrelatedFeatures() throws {
        let d = 5
        // Two different lower-triangular factors, so the covariances do not commute.
        func lowerTriangular(_ entry: (_ row: Int, _ column: Int) -> Double) -> [Double] {
            (0..<(d * d)).map { (i: Int) -> Double in i / d >= i % d ? entry(i / d, i % d) : 0 }
        }
        let cholesky1 = lowerTriangular { row, column in 1 / Double(1 + row - column) }
        let cholesky2 = lowerTriangular { row, column in Double((row + column) % 3) * 0.3 + 0.5 }
        let first = try GaussianStats(features: gaussianSamples(400, mean: [Double](repeating: 0, count: d), cholesky: cholesky1, seed: 1))
        let second = try GaussianStats(features: gaussianSamples(400, mean: [0.5, 0, 0, -1, 0], cholesky: cholesky2, seed: 2))
        let expected = squaredDistance(first.mu, second.mu) + trace(first.sigma, d) + trace(second.sigma, d)
            - 2 * newtonSchulzTraceOfRoot(first.sigma, second.sigma, d)
        let ours = try frechetDistance(first, second)
        #expect(abs(ours - expected) < 1e-9 * max(1, expected))
        #expect(ours > 0.5)
    }

    @Test func frechetDistanceOfASetToItselfIsZeroAndDistanceIsSymmetric() throws {
        let x = try gaussianSamples(500, mean: [Double](repeating: 0, count: 8), seed: 3)
        let y = try gaussianSamples(500, mean: [Double](repeating: 0.3, count: 8), seed: 4)
        #expect(abs(try frechetDistance(x, x)) < 1e-6)
        let forward = try frechetDistance(x, y), backward = try frechetDistance(y, x)
        #expect(abs(forward - backward) < 1e-9)
        #expect(forward > 0.5)  // ‖Δμ‖² alone is about 8 · 0.3² = 0.72
    }

    /// Round-off must never make a distance negative (issue 15: identical sets printed
    /// `FD -0.0001`). Large features make the trace terms large and their round-off visible.
    @Test func frechetDistanceOfIdenticalStatisticsIsNeverNegative() throws {
        let d = 32
        var cholesky = [Double](repeating: 0, count: d * d)
        for i in 0..<d { for j in 0...i { cholesky[i * d + j] = 300 / Double(1 + i - j) } }
        for seed: UInt64 in 0..<20 {
            let stats = try GaussianStats(features: gaussianSamples(200, mean: [Double](repeating: 50, count: d),
                                                                    cholesky: cholesky, seed: seed))
            let fd = try frechetDistance(stats, stats)
            #expect(fd >= 0 && fd < 1e-3, "seed \(seed): FD \(fd)")
        }
    }

    @Test func frechetDistanceRejectsDifferentDimensions() throws {
        let x = try gaussianSamples(10, mean: [0, 0], seed: 5)
        let y = try gaussianSamples(10, mean: [0, 0, 0], seed: 6)
        #expect(metricsError { _ = try frechetDistance(x, y) } == .dimensionsDiffer(2, 3))
    }

    /// Erratum 7: the elementwise square root is right only when Σ1Σ2 is diagonal.
    @Test func originalChapterElementwiseSquareRootGivesAWrongFrechetDistance() throws {
        let sigma1 = [2.0, 1, 1, 2], sigma2 = [3.0, 1, 1, 1]
        let first = try GaussianStats(mu: [0, 0], sigma: sigma1)
        let second = try GaussianStats(mu: [0, 0], sigma: sigma2)
        let closedForm = 4 + 4 - 2 * (10 + 2 * 6.0.squareRoot()).squareRoot()
        #expect(abs(try frechetDistance(first, second) - closedForm) < 1e-12)
        let original = originalChapterFrechetDistance(first, second)
        #expect(original.isFinite)
        #expect(abs(original - closedForm) > 1)
    }

    // MARK: - Inception Score

    @Test func inceptionScoreOfConstantPredictionsIsOne() throws {
        let row = [0.2, 0.3, 0.5]
        let p = try FeatureMatrix(rows: 50, columns: 3, values: Array([[Double]](repeating: row, count: 50).joined()))
        let score = try inceptionScore(probabilities: p, splits: 5)
        #expect(abs(score.mean - 1) < 1e-12)
        #expect(score.std < 1e-12)
    }

    @Test func inceptionScoreOfConfidentUniformPredictionsIsTheClassCount() throws {
        let score = try inceptionScore(probabilities: confidentPredictions(100, classes: 10))
        #expect(abs(score.mean - 10) < 1e-9)
        #expect(score.std < 1e-9)
    }

    @Test func inceptionScoreSpreadIsThePopulationStandardDeviation() throws {
        // Split 1 is confident over two classes (IS 2), split 2 always predicts class 0 (IS 1).
        let p = try FeatureMatrix(rows: 4, columns: 2, values: [1, 0, 0, 1, 1, 0, 1, 0] as [Double])
        let score = try inceptionScore(probabilities: p, splits: 2)
        #expect(abs(score.mean - 1.5) < 1e-9)
        #expect(abs(score.std - 0.5) < 1e-9)  // the sample (N − 1) std would be 0.707
    }

    /// Erratum 6: with the marginal taken per image, KL(p ‖ p) = 0 and the score is always 1.
    @Test func originalChapterPerImageMarginalGivesAWrongInceptionScore() throws {
        let p = try confidentPredictions(100, classes: 10)
        #expect(abs(originalChapterInceptionScore(p) - 1) < 1e-12)
        #expect(abs(try inceptionScore(probabilities: p).mean - 10) < 1e-9)
    }

    @Test func inceptionScoreRejectsLogitsAndTooFewSamples() throws {
        let logits = try FeatureMatrix(rows: 20, columns: 2, values: [Double](repeating: 2, count: 40))
        #expect(metricsError { _ = try inceptionScore(probabilities: logits) } == .notProbabilities(row: 0, sum: 4))
        let few = try confidentPredictions(5, classes: 5)
        #expect(metricsError { _ = try inceptionScore(probabilities: few) }
            == .tooFewSamples(have: 5, need: 10, purpose: "an Inception Score over 10 splits"))
    }

    // MARK: - Kernel Inception Distance

    @Test func kernelInceptionDistanceSeparatesShiftedDistributions() throws {
        let d = 16
        let real = try gaussianSamples(600, mean: [Double](repeating: 0, count: d), seed: 7)
        let same = try gaussianSamples(600, mean: [Double](repeating: 0, count: d), seed: 8)
        let shifted = try gaussianSamples(600, mean: [Double](repeating: 0.5, count: d), seed: 9)
        let null = try kernelInceptionDistance(real: real, generated: same, subsets: 20, subsetSize: 300)
        let apart = try kernelInceptionDistance(real: real, generated: shifted, subsets: 20, subsetSize: 300)
        #expect(abs(null.mean) < 0.02)
        #expect(apart.mean > 0.2)
        #expect(apart.mean > 20 * abs(null.mean))
        // Seeded: the same call gives the same subsets and the same number.
        #expect(try kernelInceptionDistance(real: real, generated: same, subsets: 20, subsetSize: 300) == null)
    }

    @Test func kernelInceptionDistanceMatchesTheUnbiasedEstimatorWrittenOut() throws {
        // With the subset size clipped to the whole (smaller) set, every subset is a
        // permutation of all rows, so each estimate equals the full-set statistic.
        let x = try gaussianSamples(30, mean: [0, 0, 0], seed: 10)
        let y = try gaussianSamples(30, mean: [1, 0, -1], seed: 11)
        func kernel(_ a: FeatureMatrix, _ i: Int, _ b: FeatureMatrix, _ j: Int) -> Double {
            let dot = (0..<3).reduce(0.0) { $0 + a.values[i * 3 + $1] * b.values[j * 3 + $1] }
            return pow(dot / 3 + 1, 3)
        }
        var within = 0.0, across = 0.0
        for i in 0..<30 {
            for j in 0..<30 {
                if i != j { within += kernel(x, i, x, j) + kernel(y, i, y, j) }
                across += kernel(x, i, y, j)
            }
        }
        let expected = within / (30 * 29) - 2 * across / (30 * 30)
        let kid = try kernelInceptionDistance(real: x, generated: y, subsets: 3)
        #expect(abs(kid.mean - expected) < 1e-9 * abs(expected))
        #expect(kid.std < 1e-9 * abs(expected))
    }

    @Test func kernelInceptionDistanceRejectsTinyOrMismatchedSets() throws {
        let one = try gaussianSamples(1, mean: [0, 0], seed: 12)
        let many = try gaussianSamples(10, mean: [0, 0], seed: 13)
        #expect(metricsError { _ = try kernelInceptionDistance(real: one, generated: many) }
            == .tooFewSamples(have: 1, need: 2, purpose: "KID (subset size, clipped to the smaller set)"))
        let wide = try gaussianSamples(10, mean: [0, 0, 0], seed: 14)
        #expect(metricsError { _ = try kernelInceptionDistance(real: wide, generated: many) } == .dimensionsDiffer(3, 2))
    }

    // MARK: - Precision and recall

    @Test func precisionAndRecallOfIdenticalSetsAreOne() throws {
        let x = try gaussianSamples(200, mean: [0, 0, 0, 0], seed: 15)
        #expect(try precisionRecall(real: x, generated: x) == PrecisionRecall(precision: 1, recall: 1))
    }

    @Test func precisionAndRecallOfDisjointSetsAreZero() throws {
        let real = try gaussianSamples(200, mean: [0, 0, 0, 0], seed: 16)
        let generated = try gaussianSamples(200, mean: [50, 0, 0, 0], seed: 17)
        #expect(try precisionRecall(real: real, generated: generated) == PrecisionRecall(precision: 0, recall: 0))
    }

    @Test func modeCollapseKeepsPrecisionButHalvesRecall() throws {
        // Real data has two far-apart modes; the generator only covers the first.
        let modeA = try gaussianSamples(150, mean: [0, 0, 0], seed: 18)
        let modeB = try gaussianSamples(150, mean: [40, 0, 0], seed: 19)
        let real = try FeatureMatrix(rows: 300, columns: 3, values: modeA.values + modeB.values)
        let generated = try gaussianSamples(300, mean: [0, 0, 0], seed: 20)
        let result = try precisionRecall(real: real, generated: generated)
        #expect(result.precision > 0.85)
        #expect(result.recall > 0.4 && result.recall <= 0.5)
    }

    @Test func blockedDistancesAgreeWithOneBlock() throws {
        let real = try gaussianSamples(97, mean: [0, 0, 0], seed: 21)
        let generated = try gaussianSamples(83, mean: [0.7, 0, 0], seed: 22)
        let oneBlock = try precisionRecall(real: real, generated: generated)
        // 500 entries per block: five or six rows at a time, last block ragged.
        let blocked = try precisionRecall(real: real, generated: generated, neighbourhood: 3, blockEntries: 500)
        #expect(blocked == oneBlock)
        #expect(oneBlock.precision > 0.2 && oneBlock.precision < 1)
    }

    @Test func precisionRecallNeedsMoreSamplesThanNeighbours() throws {
        let three = try gaussianSamples(3, mean: [0, 0], seed: 23)
        let many = try gaussianSamples(10, mean: [0, 0], seed: 24)
        #expect(metricsError { _ = try precisionRecall(real: many, generated: three) }
            == .tooFewSamples(have: 3, need: 4, purpose: "precision/recall with k = 3"))
    }

    // MARK: - .npz statistics files

    @Test func statisticsRoundTripThroughNPZ() throws {
        let stats = try GaussianStats(features: gaussianSamples(50, mean: [1, -2, 3], seed: 25))
        let path = temporaryPath("stats.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try stats.writeNPZ(to: path)
        let loaded = try GaussianStats(npzPath: path)
        #expect(loaded.mu == stats.mu)
        #expect(loaded.sigma == stats.sigma)
        #expect(loaded.count == nil)
        #expect(!FileManager.default.fileExists(atPath: "\(path).tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    @Test func npyHeaderIsPaddedTo64Bytes() throws {
        let bytes = encodeNPY([1, 2, 3], shape: [3])
        let headerLength = Int(bytes.readLittleEndian(UInt16.self, at: 8)!)
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == UInt8(ascii: "\n"))
        #expect(bytes.count == 10 + headerLength + 24)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }"))
    }

    @Test func readsNumpySavezCompressedAndFloat32Files() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let expectedMu = [0.5, -1.25, 2.0]
        let expectedSigma = [2.0, 0.5, 0.25, 0.5, 1.0, -0.125, 0.25, -0.125, 3.0]
        for name in ["pytorch_fid_stats_compressed.npz", "numpy_stats_float32.npz"] {
            let stats = try GaussianStats(npzPath: fixtures.appendingPathComponent(name).path)
            #expect(stats.mu == expectedMu)
            #expect(stats.sigma == expectedSigma)
        }
    }

    @Test func malformedNPZFilesGiveClearErrors() throws {
        let path = temporaryPath("bad.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        func matches<E: Error & Equatable>(_ error: (any Error)?, _ expected: E) -> Bool { (error as? E) == expected }
        func failure(writing bytes: [UInt8]) -> (any Error & CustomStringConvertible)? {
            #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
            do { _ = try GaussianStats(npzPath: path) } catch let error as any Error & CustomStringConvertible {
                #expect(!error.description.contains("\n"))
                return error
            } catch {}
            return nil
        }
        let mu = encodeNPY([1, 2], shape: [2])
        let sigma = encodeNPY([1, 0, 0, 1], shape: [2, 2])

        #expect(matches(failure(writing: Array("mu,sigma\n1,2\n".utf8)), ArchiveError.notAZip(path: path)))
        #expect(matches(failure(writing: storedZipArchive([("mu.npy", mu)])), MetricsError.missingEntry(path: path, name: "sigma")))
        #expect(matches(failure(writing: storedZipArchive([("mu.npy", mu), ("sigma.npy", encodeNPY([1, 0, 0, 1, 0, 0], shape: [2, 3]))])),
            MetricsError.wrongShape(path: path, entry: "sigma", shape: [2, 3], expected: "[2, 2] to match mu")))
        #expect(matches(failure(writing: storedZipArchive([("mu.npy", sigma), ("sigma.npy", sigma)])),
            MetricsError.wrongShape(path: path, entry: "mu", shape: [2, 2], expected: "[d] with d > 0")))
        let integers = encodeNPY(descr: "<i4", shape: [2], payload: [1, 0, 0, 0, 2, 0, 0, 0])
        #expect(matches(failure(writing: storedZipArchive([("mu.npy", integers), ("sigma.npy", sigma)])),
            ArchiveError.unsupportedDType(path: path, entry: "mu", descr: "<i4")))

        let valid = storedZipArchive([("mu.npy", mu), ("sigma.npy", sigma)])
        #expect(matches(failure(writing: Array(valid.prefix(valid.count / 2))),
            ArchiveError.corruptArchive(path: path, reason: "no end-of-central-directory record")))
        var flipped = valid
        flipped[valid.count / 4] ^= 0xFF  // inside the stored mu.npy
        #expect(matches(failure(writing: flipped), ArchiveError.corruptEntry(path: path, entry: "mu.npy", reason: "CRC32 mismatch")))
        let shortSigma = Array(sigma.dropLast(8))
        #expect(matches(failure(writing: storedZipArchive([("mu.npy", mu), ("sigma.npy", shortSigma)])),
            ArchiveError.corruptEntry(path: path, entry: "sigma", reason: "data holds 24 bytes but shape [2, 2] needs 32")))

        let missing = temporaryPath("missing.npz")
        #expect(metricsError { _ = try GaussianStats(npzPath: missing) }
            == .fileUnreadable(path: missing, reason: "missing, a folder, or not readable"))
        let stats = try GaussianStats(mu: [0], sigma: [1])
        // Under a regular file no folder can be made, even as root.
        let blocker = temporaryPath("not-a-folder")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data([1])))
        let unwritable = blocker + "/stats.npz"
        let writeError = try #require(throws: WorkbookFileError.self) { try stats.writeNPZ(to: unwritable) }
        #expect(writeError.path == unwritable && !writeError.description.contains("\n"))
    }
}
