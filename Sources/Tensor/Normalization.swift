// Batch and layer normalisation, composed from differentiable ops (sums, broadcasting
// arithmetic, sqrt), so their gradients of every order come from those ops' rules.

/// Batch normalisation with the batch's own statistics, as PyTorch's `batch_norm` in
/// training: x is [N, C] or [N, C, H, W]; each channel is normalised over every other axis
/// with the biased variance, then scaled by `weight` [C] and shifted by `bias` [C].
/// Also returns the per-channel mean and biased variance (for running statistics).
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5)
    -> (output: Tensor, mean: Tensor, variance: Tensor) {
    let (view, statsShape) = channelView(x)
    let perChannel = Float(x.count / x.shape[1])
    let mean = view.sum(to: statsShape) * (1 / perChannel)
    let centered = view - mean
    let variance = centered.squared().sum(to: statsShape) * (1 / perChannel)
    // Fold 1/σ into the affine scale: one full-size multiply instead of two.
    let scale = (weight.map { $0.reshaped(statsShape) } ?? Tensor(1)) / (variance + epsilon).sqrt()
    let output = affine(centered, scale: scale, shift: bias?.reshaped(statsShape)).reshaped(x.shape)
    let channels = x.shape[1]
    return (output, mean.reshaped([channels]), variance.reshaped([channels]))
}

/// Batch normalisation with given statistics, as PyTorch's `batch_norm` in evaluation:
/// (x − mean[c]) / √(variance[c] + ε) · weight[c] + bias[c].
public func batchNorm(_ x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?,
                      epsilon: Float = 1e-5) -> Tensor {
    let (view, statsShape) = channelView(x)
    let scale = (weight.map { $0.reshaped(statsShape) } ?? Tensor(1)) / (variance.reshaped(statsShape) + epsilon).sqrt()
    let shift = (bias.map { $0.reshaped(statsShape) } ?? Tensor(0)) - mean.reshaped(statsShape) * scale
    return affine(view, scale: scale, shift: shift).reshaped(x.shape)
}

/// Layer normalisation, as PyTorch's `layer_norm`: each sample is normalised over its last
/// `normalizedShape.count` axes (which must equal `normalizedShape`) with the biased
/// variance, then scaled by `weight` and shifted by `bias` (both of `normalizedShape`).
public func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor?, bias: Tensor?,
                      epsilon: Float = 1e-5) -> Tensor {
    precondition(x.rank >= normalizedShape.count && Array(x.shape.suffix(normalizedShape.count)) == normalizedShape,
                 "layerNorm: input \(x.shape) does not end in \(normalizedShape)")
    let features = normalizedShape.reduce(1, *)
    let rows = x.count / features
    let view = x.reshaped([rows, features])
    let centered = view - view.sum(to: [rows, 1]) * (1 / Float(features))
    let variance = centered.squared().sum(to: [rows, 1]) * (1 / Float(features))
    let normalized = centered / (variance + epsilon).sqrt()
    return affine(normalized, scale: weight?.reshaped([features]), shift: bias?.reshaped([features])).reshaped(x.shape)
}

/// x · scale + shift, skipping whichever is absent.
private func affine(_ x: Tensor, scale: Tensor?, shift: Tensor?) -> Tensor {
    let scaled = scale.map { x * $0 } ?? x
    return shift.map { scaled + $0 } ?? scaled
}

/// x as [N, C] (1-d batch norm) or [N, C, H·W], and the shape per-channel statistics take
/// in it ([C] or [C, 1]), chosen so that broadcasting runs over long contiguous rows.
private func channelView(_ x: Tensor) -> (view: Tensor, statsShape: [Int]) {
    precondition(x.rank == 2 || x.rank == 4, "batchNorm needs [N, C] or [N, C, H, W], got \(x.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    if x.rank == 2 { return (x, [c]) }
    return (x.reshaped([n, c, x.shape[2] * x.shape[3]]), [c, 1])
}
