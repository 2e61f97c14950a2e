import Testing
@testable import Tensor

@Suite("Spectral normalisation op: finite-difference gradients, first and second order")
struct SpectralNormGradientTests {
    /// Vectors from a few power-iteration steps, as the layer would hold them.
    func vectors(for weight: Tensor, outputDimension: Int) -> (u: Tensor, v: Tensor) {
        let matrix = spectralMatrix(weight, outputDimension: outputDimension)
        var u = normalizedToUnitLength(normal([1, matrix.shape[0]], seed: 40))
        var v = u
        for _ in 0..<3 { (u, v) = powerIteration(matrix, u: u) }
        return (u, v)
    }

    @Test func normalizedMatrix() {
        let w = normal([4, 3], seed: 41)
        let (u, v) = vectors(for: w, outputDimension: 0)
        checkGradients([w]) { spectrallyNormalized($0[0], u: u, v: v) }
        checkGradients([w]) { singularValueEstimate($0[0], u: u, v: v) }
    }

    @Test func normalizedConvolutionWeights() {
        // A Conv2d weight [out, in, k, k] (dim 0) and a ConvTranspose2d weight [in, out, k, k] (dim 1).
        let conv = normal([3, 2, 2, 2], seed: 42)
        let (u, v) = vectors(for: conv, outputDimension: 0)
        checkGradients([conv]) { spectrallyNormalized($0[0], u: u, v: v).tanh() }
        let transposed = normal([2, 3, 2, 2], seed: 43)
        let (ut, vt) = vectors(for: transposed, outputDimension: 1)
        checkGradients([transposed]) { spectrallyNormalized($0[0], u: ut, v: vt, outputDimension: 1).tanh() }
    }

    @Test func normalizedWeightInsideALayer() {
        // Second order through W/σ inside a product with an input, as in a critic's penalty.
        let x = normal([3, 4], seed: 44), w = normal([5, 4], seed: 45)
        let (u, v) = vectors(for: w, outputDimension: 0)
        checkGradients([x, w]) { linear($0[0], weight: spectrallyNormalized($0[1], u: u, v: v), bias: nil).tanh() }
    }
}
