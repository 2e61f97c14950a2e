import CBLAS
import Formats
import Foundation
import Testing
import Tensor
@testable import NN

@Suite("Spectral normalisation layer")
struct SpectralNormTests {
    /// The largest singular value of a row-major [rows, columns] matrix, by LAPACK's dgesvd.
    func largestSingularValue(_ matrix: Tensor) -> Double {
        let rows = matrix.shape[0], columns = matrix.shape[1]
        // LAPACK is column-major: the row-major matrix is its transpose, with the same singular values.
        var a = matrix.values.map(Double.init)
        var m = Int32(columns), n = Int32(rows), lda = Int32(columns), one: Int32 = 1
        var none = Int8(UInt8(ascii: "N"))
        var singular = [Double](repeating: 0, count: min(rows, columns))
        var unusedU = [Double](repeating: 0, count: 1), unusedV = unusedU
        var info: Int32 = 0
        var workSize = Int32(max(1, 5 * max(rows, columns)))
        var work = [Double](repeating: 0, count: Int(workSize))
        dgesvd_(&none, &none, &m, &n, &a, &lda, &singular, &unusedU, &one, &unusedV, &one, &work, &workSize, &info)
        #expect(info == 0)
        return singular.max()!
    }

    @Test(arguments: [(8, 5, UInt64(1)), (20, 30, 2), (64, 16, 3), (1, 7, 4)])
    func powerIterationConvergesToTheLargestSingularValue(rows: Int, columns: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let layer = Linear(columns, rows, using: &generator)
        let normalized = SpectralNorm(layer, using: &generator)
        // One iteration per training-mode call, with u kept between calls.
        for _ in 0..<200 { _ = normalized(Tensor.zeros([1, columns])) }
        let exact = largestSingularValue(layer.weight)
        #expect(abs(Double(normalized.sigma) - exact) < 1e-4 * exact, "power iteration \(normalized.sigma), SVD \(exact)")
        // And the normalised weight's own largest singular value is 1.
        #expect(abs(largestSingularValue(normalized.normalizedWeight) - 1) < 1e-4)
    }

    @Test func oneIterationFromARandomStartIsAnUnderestimateThatImproves() {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(30, 20, using: &generator)
        let normalized = SpectralNorm(layer, using: &generator)
        let exact = largestSingularValue(layer.weight)
        var estimates: [Float] = []
        for _ in 0..<5 {
            _ = normalized(Tensor.zeros([1, 30]))
            estimates.append(normalized.sigma)
        }
        // uᵀWv with unit u, v never exceeds σ₁, and power iteration only climbs towards it.
        #expect(estimates.allSatisfy { Double($0) <= exact * (1 + 1e-5) })
        #expect(zip(estimates, estimates.dropFirst()).allSatisfy { $0 <= $1 * (1 + 1e-5) })
    }

    @Test func evaluationModeKeepsTheVectors() {
        var generator = SeededGenerator(seed: 6)
        let normalized = SpectralNorm(Linear(4, 3, using: &generator), using: &generator)
        let before = normalized.u.values
        _ = evaluating { normalized(Tensor.zeros([2, 4])) }
        #expect(normalized.u.values == before)
        _ = normalized(Tensor.zeros([2, 4]))
        #expect(normalized.u.values != before)
    }

    @Test func outputIsTheWrappedLayersWithTheNormalisedWeight() {
        var generator = SeededGenerator(seed: 7)
        let layer = Linear(4, 3, using: &generator)
        let normalized = SpectralNorm(layer, using: &generator)
        let x = Tensor.randomNormal([2, 4], using: &generator)
        let y = normalized(x)
        let sigma = normalized.sigma
        let expected = linear(x, weight: layer.weight * (1 / sigma), bias: layer.bias)
        for (a, b) in zip(y.values, expected.values) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func stateDictUsesPyTorchNamesAndRoundTrips() throws {
        var generator = SeededGenerator(seed: 8)
        let network = Sequential(Linear(4, 6, using: &generator), Activation.relu,
                                 Conv2d(1, 2, kernelSize: 3, using: &generator))
            .spectrallyNormalized(using: &generator)
        #expect(network.stateDict.map(\.name) == ["0.weight_orig", "0.bias", "2.weight_orig", "2.bias",
                                                  "0.weight_u", "0.weight_v", "2.weight_u", "2.weight_v"])
        #expect(network.stateDict.map(\.tensor.shape) == [[6, 4], [6], [2, 1, 3, 3], [2], [6], [4], [2], [9]])
        // The vectors persist in a checkpoint: a fresh copy loaded from the file has the same u and σ.
        _ = network.layers[0](Tensor.zeros([1, 4]))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("spectral-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try writeSafetensors(network.stateDict.map(SafetensorsEntry.init), metadata: ["format": "pt"], to: path)
        var other = SeededGenerator(seed: 9)
        let copy = Sequential(Linear(4, 6, using: &other), Activation.relu, Conv2d(1, 2, kernelSize: 3, using: &other))
            .spectrallyNormalized(using: &other)
        #expect(try readSafetensors(path).load(into: copy.stateDict) == nil)
        let (a, b) = (network.layers[0] as! SpectralNorm, copy.layers[0] as! SpectralNorm)
        #expect(a.u.values == b.u.values && a.v.values == b.v.values && a.sigma == b.sigma)
    }
}
