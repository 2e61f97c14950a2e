import Testing
@testable import Tensor

/// A direct seven-loop convolution, the definition that the im2col + GEMM version must match.
private func referenceConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor, stride s: Int, padding p: Int) -> [Float] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
    let xv = x.values, wv = w.values, bv = b.values
    var out: [Float] = []
    for sample in 0..<n {
        for k in 0..<o {
            for i in 0..<oh {
                for j in 0..<ow {
                    var total = bv[k]
                    for ch in 0..<c {
                        for di in 0..<kh {
                            for dj in 0..<kw {
                                let y = i * s - p + di, xx = j * s - p + dj
                                guard y >= 0 && y < h && xx >= 0 && xx < wd else { continue }
                                total += xv[((sample * c + ch) * h + y) * wd + xx] * wv[((k * c + ch) * kh + di) * kw + dj]
                            }
                        }
                    }
                    out.append(total)
                }
            }
        }
    }
    return out
}

private func expectClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-4,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "largest relative difference \(worst)", sourceLocation: sourceLocation)
}

@Suite("Convolution, upsampling and normalisation ops")
struct ConvolutionTests {
    let image3x3 = Tensor(shape: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9])
    let kernel2x2 = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])

    @Test func conv2dHandComputed() {
        let bias = Tensor(shape: [1], values: [1])
        // Each output is the kernel's dot product with one 2x2 window, plus the bias.
        #expect(conv2d(image3x3, weight: kernel2x2, bias: bias).values == [38, 48, 68, 78])
        // Stride 2, padding 1: windows start at (-1, -1), (-1, 1), (1, -1), (1, 1); the
        // padding contributes zeros.
        #expect(conv2d(image3x3, weight: kernel2x2, stride: 2, padding: 1).values == [4, 18, 36, 77])
    }

    @Test func convTranspose2dHandComputed() {
        // Each input pixel adds a scaled copy of the kernel at its position.
        let x = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        #expect(convTranspose2d(x, weight: kernel2x2).values == [1, 4, 4, 6, 20, 16, 9, 24, 16])
        // Padding 1 crops one pixel from every side of that 3x3 result.
        #expect(convTranspose2d(x, weight: kernel2x2, padding: 1).values == [20])
        // With a bias [2] on an output channel pair, [C=1, O=2] weight.
        let twoOut = Tensor(shape: [1, 2, 1, 1], values: [1, -1])
        #expect(convTranspose2d(x, weight: twoOut, bias: Tensor(shape: [2], values: [10, 20])).values
                == [11, 12, 13, 14, 19, 18, 17, 16])
    }

    @Test func conv2dMatchesDirectLoops() {
        let x = normal([2, 3, 7, 6], seed: 1), w = normal([4, 3, 3, 3], seed: 2), b = normal([4], seed: 3)
        for (s, p) in [(1, 0), (2, 1), (3, 2)] {
            expectClose(conv2d(x, weight: w, bias: b, stride: s, padding: p).values,
                        referenceConv2d(x, w, b, stride: s, padding: p))
        }
    }

    @Test func outputSizesFollowPyTorchFormulas() {
        for (h, k, s, p) in [(28, 4, 2, 1), (14, 4, 2, 1), (7, 3, 1, 1), (9, 3, 2, 0), (5, 5, 1, 2), (8, 1, 3, 0)] {
            let x = Tensor.zeros([2, 3, h, h + 1])
            let conv = conv2d(x, weight: .zeros([5, 3, k, k]), stride: s, padding: p)
            #expect(conv.shape == [2, 5, (h + 2 * p - k) / s + 1, (h + 1 + 2 * p - k) / s + 1])
            for outputPadding in 0..<s {
                let up = convTranspose2d(x, weight: .zeros([3, 5, k, k]), stride: s, padding: p, outputPadding: outputPadding)
                #expect(up.shape == [2, 5, (h - 1) * s - 2 * p + k + outputPadding, h * s - 2 * p + k + outputPadding])
            }
        }
    }

    @Test func convTransposeIsTheAdjointOfConv() {
        // ⟨conv(x), y⟩ = ⟨x, convT(y)⟩ with the same weight; outputPadding 1 restores 7 from 3.
        let x = normal([2, 3, 7, 7], seed: 4), w = normal([4, 3, 4, 4], seed: 5), y = normal([2, 4, 3, 3], seed: 6)
        let forward = (conv2d(x, weight: w, stride: 2, padding: 1) * y).sum().item
        let adjoint = (x * convTranspose2d(y, weight: w, stride: 2, padding: 1, outputPadding: 1)).sum().item
        #expect(abs(forward - adjoint) <= 1e-4 * max(1, abs(forward)))
    }

    @Test func im2colAndCol2imAreAdjoint() {
        let window = ConvWindow(kernelHeight: 3, kernelWidth: 2, stride: 2, padding: 1)
        let x = normal([2, 2, 5, 4], seed: 7)
        let columns = im2col(x, window: window)
        #expect(columns.shape == [2 * 3 * 2, 2 * 3 * 3])
        let c = normal(columns.shape, seed: 8)
        let lhs = (columns * c).sum().item, rhs = (x * col2im(c, imageShape: x.shape, window: window)).sum().item
        #expect(abs(lhs - rhs) <= 1e-4 * max(1, abs(lhs)))
    }

    @Test func conv2dGradients() {
        let x = normal([2, 2, 5, 5], seed: 9), w = normal([3, 2, 3, 3], seed: 10, std: 0.3), b = normal([3], seed: 11)
        checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
        // Through a nonlinearity the gradient depends on x and w, so the second-order check
        // exercises the backward of the backward (im2col ↔ col2im, GEMMs).
        checkGradients([x, w]) { conv2d($0[0], weight: $0[1], stride: 2, padding: 1).tanh() }
    }

    @Test func convTranspose2dGradients() {
        let x = normal([2, 3, 3, 3], seed: 12), w = normal([3, 2, 4, 4], seed: 13, std: 0.3), b = normal([2], seed: 14)
        checkGradients([x, w, b]) { convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1) }
        checkGradients([x, w]) { convTranspose2d($0[0], weight: $0[1], stride: 2, padding: 1, outputPadding: 1).tanh() }
    }

    @Test func swappingLeadingAxesIsAPermuteWithBias() {
        // The fused op must give exactly what the permute and the broadcast add gave.
        for (a, b, length) in [(3, 5, 7), (1, 4, 1), (6, 1, 9), (2, 3, 16)] {
            let x = normal([a, b, length], seed: UInt64(a * 100 + b * 10 + length)), bias = normal([a], seed: 15)
            #expect(swappingLeadingAxes(x).values == x.permuted([1, 0, 2]).values)
            #expect(swappingLeadingAxes(x, adding: bias).values
                    == (x.permuted([1, 0, 2]) + bias.reshaped([a, 1])).values)
        }
        let x = normal([3, 4, 5], seed: 16), bias = normal([3], seed: 17)
        checkGradients([x, bias]) { swappingLeadingAxes($0[0], adding: $0[1]) }
        checkGradients([x, bias]) { swappingLeadingAxes($0[0], adding: $0[1]).tanh() }
    }

    @Test func col2imWithBiasAddsItPerChannel() {
        for (k, s, p) in [(3, 1, 0), (4, 2, 1), (3, 2, 2), (1, 1, 0)] {
            let window = ConvWindow(kernelHeight: k, kernelWidth: k, stride: s, padding: p)
            let shape = [2, 3, 7, 6]
            let columns = im2col(normal(shape, seed: 18), window: window)
            let c = normal(columns.shape, seed: 19), bias = normal([3], seed: 20)
            #expect(col2im(c, imageShape: shape, window: window, bias: bias).values
                    == (col2im(c, imageShape: shape, window: window).reshaped([2, 3, 42])
                        + bias.reshaped([3, 1])).values)
        }
        let window = ConvWindow(kernelHeight: 2, kernelWidth: 3, stride: 2, padding: 1)
        let c = normal([2 * 2 * 3, 2 * 3 * 2], seed: 21), bias = normal([2], seed: 22)
        checkGradients([c, bias]) { col2im($0[0], imageShape: [2, 2, 5, 4], window: window, bias: $0[1]).tanh() }
    }

    @Test func convolutionBiasSecondOrderGradients() {
        let x = normal([2, 2, 5, 5], seed: 23), w = normal([3, 2, 3, 3], seed: 24, std: 0.3), b = normal([3], seed: 25)
        checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1).tanh() }
        let y = normal([2, 3, 3, 3], seed: 26), v = normal([3, 2, 4, 4], seed: 27, std: 0.3), c = normal([2], seed: 28)
        checkGradients([y, v, c]) { convTranspose2d($0[0], weight: $0[1], bias: $0[2], stride: 2, padding: 1).tanh() }
    }

    @Test func upsampleNearestValuesAndGradients() {
        let x = Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        #expect(upsampleNearest(x, factor: 2).values == [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
        checkGradients([normal([2, 2, 3, 2], seed: 15)]) { upsampleNearest($0[0], factor: 3).tanh() }
    }

    @Test func batchNormNormalisesEachChannelOverTheBatch() {
        // Channel 0 holds 1, 3 (mean 2, biased variance 1); channel 1 holds 10, 14 (12, 4).
        let x = Tensor(shape: [2, 2], values: [1, 10, 3, 14])
        let (output, mean, variance) = batchNorm(x, weight: Tensor(shape: [2], values: [2, 1]),
                                                 bias: Tensor(shape: [2], values: [0, 5]), epsilon: 0)
        #expect(mean.values == [2, 12])
        #expect(variance.values == [1, 4])
        #expect(output.values == [-2, 4, 2, 6])
        let image = normal([3, 2, 4, 5], seed: 16, std: 3) + 7
        let normalized = batchNorm(image, weight: nil, bias: nil).output
        let perChannelMean = normalized.mean(alongAxes: 0, 2, 3).values
        let perChannelVariance = normalized.squared().mean(alongAxes: 0, 2, 3).values
        #expect(perChannelMean.allSatisfy { abs($0) < 1e-5 })
        #expect(perChannelVariance.allSatisfy { abs($0 - 1) < 1e-4 })
    }

    @Test func batchNormGradients() {
        let w = positive([3], seed: 17), b = normal([3], seed: 18)
        checkGradients([normal([4, 3], seed: 19), w, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2]).output }
        checkGradients([normal([2, 3, 2, 2], seed: 20), w, b]) { batchNorm($0[0], weight: $0[1], bias: $0[2]).output }
    }

    @Test func batchNormFusedGradientsMatchTheComposedOnes() {
        // First-order gradients come from the fused kernel; with createGraph they are
        // composed from differentiable ops (for second order). Both must agree.
        for shape in [[8, 5], [4, 3, 5, 6]] {
            let x = (normal(shape, seed: 30, std: 2) + 3).requiringGradient()
            let w = positive([shape[1]], seed: 31).requiringGradient(), b = normal([shape[1]], seed: 32).requiringGradient()
            let weights = normal(shape, seed: 33)
            func loss() -> Tensor { (batchNorm(x, weight: w, bias: b).output * weights).sum() }
            let fused = gradients(of: loss(), wrt: [x, w, b])
            let composed = gradients(of: loss(), wrt: [x, w, b], createGraph: true)
            for (f, c) in zip(fused, composed) { expectClose(f.values, c.values, tolerance: 1e-5) }
        }
    }

    @Test func batchNormWithGivenStatistics() {
        let x = Tensor(shape: [1, 2, 1, 2], values: [1, 2, 3, 4])
        let out = batchNorm(x, mean: Tensor(shape: [2], values: [1, 3]), variance: Tensor(shape: [2], values: [4, 1]),
                            weight: Tensor(shape: [2], values: [2, 1]), bias: Tensor(shape: [2], values: [0, 1]), epsilon: 0)
        #expect(out.values == [0, 1, 1, 2])
    }

    @Test func layerNormValuesAndGradients() {
        let x = Tensor(shape: [2, 2], values: [1, 3, 5, 9])
        #expect(layerNorm(x, normalizedShape: [2], weight: nil, bias: nil, epsilon: 0).values == [-1, 1, -1, 1])
        let w = positive([2, 3], seed: 21), b = normal([2, 3], seed: 22)
        checkGradients([normal([4, 2, 3], seed: 23), w, b]) {
            layerNorm($0[0], normalizedShape: [2, 3], weight: $0[1], bias: $0[2])
        }
    }
}
