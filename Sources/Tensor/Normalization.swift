import CKernels

// Batch and layer normalisation. Layer normalisation and batch normalisation with given
// statistics are composed from differentiable ops (sums, broadcasting arithmetic, sqrt, and
// a per-channel affine op whose own backward is differentiable), so their gradients of
// every order come from those ops' rules; batch normalisation in training is one fused op.

/// Batch normalisation with the batch's own statistics, as PyTorch's `batch_norm` in
/// training: x is [N, C] or [N, C, H, W]; each channel is normalised over every other axis
/// with the biased variance, then scaled by `weight` [C] and shifted by `bias` [C].
/// Also returns the per-channel mean and biased variance (for running statistics; they are
/// constants as far as gradients go).
///
/// One fused kernel each way: the statistics and the output in two passes over x, the
/// first-order gradients in two passes over x and dL/dy. When the backward pass is itself
/// recorded (`createGraph: true`) the gradients are composed from differentiable ops
/// instead, so that second-order gradients exist.
public func batchNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5)
    -> (output: Tensor, mean: Tensor, variance: Tensor) {
    let (view, statsShape) = channelView(x)
    let (n, channels) = (x.shape[0], x.shape[1])
    let length = x.count / Swift.max(n * channels, 1)
    for parameter in [weight, bias].compactMap({ $0 }) {
        precondition(parameter.shape == [channels], "batchNorm: \(parameter.shape) parameter for \(channels) channels")
    }
    let mean = Tensor.empty([channels]), variance = Tensor.empty([channels])
    let perChannel = grain(valuesPerItem: n * length)
    inBlocks(of: channels, grain: perChannel) {
        gans_batch_norm_statistics(x.storage.pointer, n, channels, length, mean.storage.pointer,
                                   variance.storage.pointer, $0, $1)
    }
    // y = (x − μ)·scale + b with scale = w/√(σ² + ε): one pass over x.
    let inverseStd = Tensor.empty([channels]), scale = Tensor.empty([channels])
    for c in 0..<channels {
        let r = 1 / (variance.storage.pointer[c] + epsilon).squareRoot()
        inverseStd.storage.pointer[c] = r
        scale.storage.pointer[c] = (weight?.storage.pointer[c] ?? 1) * r
    }
    let out = Tensor.empty(x.shape)
    inBlocks(of: channels, grain: perChannel) {
        gans_batch_norm_apply(x.storage.pointer, out.storage.pointer, n, channels, length, mean.storage.pointer,
                              scale.storage.pointer, bias?.storage.pointer, $0, $1)
    }
    let inputs = [x] + (weight.map { [$0] } ?? []) + (bias.map { [$0] } ?? [])
    let output = Tensor.result(out, inputs) { g, _, needs in
        let wantsWeight = weight != nil && needs[1], wantsBias = bias != nil && needs[needs.count - 1]
        let grads: (input: Tensor?, weight: Tensor?, bias: Tensor?)
        if GradMode.isEnabled {
            grads = batchNormGradients(view, statsShape: statsShape, weight: weight, epsilon: epsilon,
                                       gradient: g.reshaped(view.shape))
        } else {
            let dx = needs[0] ? Tensor.empty(x.shape) : nil
            let dw = wantsWeight ? Tensor.empty([channels]) : nil, db = wantsBias ? Tensor.empty([channels]) : nil
            inBlocks(of: channels, grain: perChannel) {
                gans_batch_norm_backward(x.storage.pointer, g.storage.pointer, n, channels, length,
                                         mean.storage.pointer, inverseStd.storage.pointer, weight?.storage.pointer,
                                         dx?.storage.pointer, dw?.storage.pointer, db?.storage.pointer, $0, $1)
            }
            grads = (dx, dw, db)
        }
        return [needs[0] ? grads.input?.reshaped(x.shape) : nil]
            + (weight == nil ? [] : [wantsWeight ? grads.weight?.reshaped([channels]) : nil])
            + (bias == nil ? [] : [wantsBias ? grads.bias?.reshaped([channels]) : nil])
    }
    return (output, mean, variance)
}

/// The gradients of batch normalisation (batch statistics) given dL/dy, composed from
/// differentiable ops: with x̂ = (x − μ)/σ and M values per channel,
///     dL/db = Σ g,  dL/dw = Σ g·x̂,  dL/dx = (w/σ)·(g − Σg/M − x̂·Σ(g·x̂)/M).
/// The fused kernel computes the same; this form is what second-order gradients go through.
private func batchNormGradients(_ x: Tensor, statsShape: [Int], weight: Tensor?, epsilon: Float, gradient g: Tensor)
    -> (input: Tensor, weight: Tensor, bias: Tensor) {
    let perChannel = Float(x.count / x.shape[1])
    let centered = x - x.sum(to: statsShape) * (1 / perChannel)
    let inverseStd = 1 / ((centered.squared().sum(to: statsShape) * (1 / perChannel)) + epsilon).sqrt()
    let normalized = centered * inverseStd
    let biasGradient = g.sum(to: statsShape)
    let weightGradient = (g * normalized).sum(to: statsShape)
    let gain = weight.map { $0.reshaped(statsShape) * inverseStd } ?? inverseStd
    let inputGradient = gain * (g - biasGradient * (1 / perChannel) - normalized * (weightGradient * (1 / perChannel)))
    return (inputGradient, weightGradient, biasGradient)
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
