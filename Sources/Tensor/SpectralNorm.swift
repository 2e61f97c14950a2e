import CBLAS

// Spectral normalisation (Miyato et al. 2018): a weight divided by an estimate of its
// largest singular value σ, so that the layer it feeds is (about) 1-Lipschitz.

/// A weight viewed as the matrix spectral normalisation works on: the `outputDimension`
/// first, everything else flattened, as `torch.nn.utils.spectral_norm` does (dim 0 for
/// Linear and Conv2d, dim 1 for ConvTranspose2d).
public func spectralMatrix(_ weight: Tensor, outputDimension: Int = 0) -> Tensor {
    var order = Array(0..<weight.rank)
    if outputDimension != 0 { order.swapAt(0, outputDimension) }
    let leading = order == Array(0..<weight.rank) ? weight : weight.permuted(order)
    return leading.reshaped([weight.shape[outputDimension], -1])
}

// snippet.power-iteration
/// One step of power iteration on the matrix W [h, w], from the left vector `u` [1, h]:
/// v = Wᵀu / ‖Wᵀu‖, then u = Wv / ‖Wv‖. Repeated, u and v converge to the top singular
/// vectors, and uᵀWv to the largest singular value. No gradients flow through it.
public func powerIteration(_ matrix: Tensor, u: Tensor) -> (u: Tensor, v: Tensor) {
    withoutGradients {
        let v = normalizedToUnitLength(matmul(u, matrix))
        return (normalizedToUnitLength(matmul(v, matrix, transposeB: true)), v)
    }
}

/// W / σ with σ = uᵀWv: `weight` spectrally normalised with the vectors of `powerIteration`.
/// u and v are constants here (as in PyTorch), so the gradient reaches W through σ's W
/// and through the division.
public func spectrallyNormalized(_ weight: Tensor, u: Tensor, v: Tensor, outputDimension: Int = 0) -> Tensor {
    weight / singularValueEstimate(weight, u: u, v: v, outputDimension: outputDimension)
}
// snippet.end

/// σ = uᵀWv, a scalar, differentiable in W.
public func singularValueEstimate(_ weight: Tensor, u: Tensor, v: Tensor, outputDimension: Int = 0) -> Tensor {
    (matmul(u, spectralMatrix(weight, outputDimension: outputDimension)) * v).sum()
}

/// x / max(‖x‖, 1e-12) over all elements, PyTorch's `normalize` with its epsilon.
public func normalizedToUnitLength(_ x: Tensor) -> Tensor {
    let norm = x.withUnsafeBufferPointer { cblas_snrm2(Int32($0.count), $0.baseAddress, 1) }
    return x * (1 / Swift.max(norm, 1e-12))
}
