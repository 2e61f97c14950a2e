// Batch and layer normalisation, composed from differentiable ops (sums, broadcasting
// arithmetic, sqrt, and a per-channel affine op whose own backward is differentiable), so
// their gradients of every order come from those ops' rules.

/// Batch normalisation with the batch's own statistics, as PyTorch's `batch_norm` in
/// training: x is [N, C] or [N, C, H, W]; each channel is normalised over every other axis
/// with the biased variance, then scaled by `weight` [C] and shifted by `bias` [C].
/// Also returns the per-channel mean and biased variance (for running statistics).
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5)
    -> (output: Tensor, mean: Tensor, variance: Tensor) {
    let (view, statsShape) = channelView(x)
    let perChannel = Float(x.count / x.shape[1])
    let mean = view.sum(to: statsShape) * (1 / perChannel)
    let centered = channelAffine(view, scale: nil, shift: -mean)
    let variance = centered.squared().sum(to: statsShape) * (1 / perChannel)
    // Fold 1/σ into the affine scale: one full-size pass instead of two.
    let scale = (weight.map { $0.reshaped(statsShape) } ?? Tensor(1)) / (variance + epsilon).sqrt()
    let output = channelAffine(centered, scale: scale, shift: bias?.reshaped(statsShape)).reshaped(x.shape)
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
    return channelAffine(view, scale: scale, shift: shift).reshaped(x.shape)
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
    let scaled = weight.map { normalized * $0.reshaped([features]) } ?? normalized
    return (bias.map { scaled + $0.reshaped([features]) } ?? scaled).reshaped(x.shape)
}

/// x · scale[c] + shift[c] for x [N, C] or [N, C, L] and per-channel scale and shift in the
/// statistics' shape ([C] or [C, 1]), either optional: scale and shift in one fused pass
/// over x instead of two broadcast ops.
private func channelAffine(_ x: Tensor, scale: Tensor?, shift: Tensor?) -> Tensor {
    let (n, channels) = (x.shape[0], x.shape[1])
    let length = x.count / Swift.max(n * channels, 1)
    let out = Tensor.empty(x.shape)
    let scales = scale?.values ?? Array(repeating: 1, count: channels)
    let shifts = shift?.values ?? Array(repeating: 0, count: channels)
    var src = UnsafePointer(x.storage.pointer), dst = out.storage.pointer
    for _ in 0..<n {
        if length == 1 {  // [N, C]: each sample is a row of channels
            for c in 0..<channels { dst[c] = src[c] * scales[c] + shifts[c] }
        } else {
            for c in 0..<channels {
                let a = scales[c], b = shifts[c]
                for j in 0..<length { dst[c * length + j] = src[c * length + j] * a + b }
            }
        }
        src += channels * length
        dst += channels * length
    }
    let inputs = [x] + (scale.map { [$0] } ?? []) + (shift.map { [$0] } ?? [])
    return Tensor.result(out, inputs) { g, _, needs in
        var grads: [Tensor?] = [needs[0] ? channelAffine(g, scale: scale, shift: nil) : nil]
        if let scale { grads.append(needs[grads.count] ? (g * x).sum(to: scale.shape) : nil) }
        if let shift { grads.append(needs[grads.count] ? g.sum(to: shift.shape) : nil) }
        return grads
    }
}

/// x as [N, C] (1-d batch norm) or [N, C, H·W], and the shape per-channel statistics take
/// in it ([C] or [C, 1]), chosen so that broadcasting runs over long contiguous rows.
private func channelView(_ x: Tensor) -> (view: Tensor, statsShape: [Int]) {
    precondition(x.rank == 2 || x.rank == 4, "batchNorm needs [N, C] or [N, C, H, W], got \(x.shape)")
    let (n, c) = (x.shape[0], x.shape[1])
    if x.rank == 2 { return (x, [c]) }
    return (x.reshaped([n, c, x.shape[2] * x.shape[3]]), [c, 1])
}
