import Testing
@testable import Tensor

/// Every op that splits its work over threads must give the same bits at every thread
/// count: products are cut by shape alone, and the other kernels split into blocks of
/// independent outputs computed in the same order.
@Suite("Results do not depend on the thread count")
struct ThreadCountTests {
    /// The values `body` computes at 1, 2 and 3 threads, which must be equal bit for bit.
    private func expectSameAtEveryThreadCount(_ label: String, sourceLocation: SourceLocation = #_sourceLocation,
                                              _ body: () -> [Float]) {
        let one = withComputeThreads(1, body)
        for threads in [2, 3] {
            let other = withComputeThreads(threads, body)
            #expect(other.count == one.count, "\(label): \(threads) threads", sourceLocation: sourceLocation)
            let differing = zip(one, other).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(label): \(differing) values differ at \(threads) threads",
                    sourceLocation: sourceLocation)
        }
    }

    @Test func productBlocksCoverTheOutputInWholeSIMDWidths() {
        for (m, n, k) in [(1, 1, 1), (64, 6272, 100), (128, 3136, 1024), (1024, 3136, 128), (3136, 16, 64),
                          (64, 1, 6272), (50, 1000, 30), (7, 4099, 999), (4099, 7, 999)] {
            let cut = ProductBlocks(m: m, n: n, k: k)
            #expect(cut.alongColumns == (n >= m))
            #expect((1...ProductBlocks.maximumCount).contains(cut.count))
            let ranges = (0..<cut.count).map(cut.range(of:))
            // Contiguous, in order, and covering the long side exactly.
            #expect(ranges.first?.start == 0)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.start + $0.size == $1.start })
            #expect(ranges.reduce(0) { $0 + $1.size } == cut.length)
            #expect(ranges.allSatisfy { $0.size > 0 })
            if cut.count > 1 {
                #expect(ranges.dropLast().allSatisfy { $0.size % 16 == 0 })
                // Every block but the last is big enough to be worth a thread.
                let flopsPerItem = 2 * Double(m) * Double(n) * Double(k) / Double(cut.length)
                #expect(ranges.dropLast().allSatisfy { Double($0.size) * flopsPerItem >= ProductBlocks.minimumFlops })
            }
        }
        // Large products are cut, small ones are not.
        #expect(ProductBlocks(m: 128, n: 3136, k: 1024).count == ProductBlocks.maximumCount)
        #expect(ProductBlocks(m: 64, n: 64, k: 64).count == 1)
        #expect(!ProductBlocks(m: 3136, n: 16, k: 64).alongColumns)
    }

    @Test func matrixProductsMatchTheDefinitionAtEveryThreadCount() {
        var random = SeededGenerator(seed: 7)
        // Products cut along columns and along rows, each operand either way round, with and
        // without accumulation into a bias (linear).
        for (m, n, k) in [(96, 1200, 300), (1200, 96, 300), (33, 2051, 257), (5, 7, 3)] {
            for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = Tensor.randomNormal(transposeA ? [k, m] : [m, k], using: &random)
                let b = Tensor.randomNormal(transposeB ? [n, k] : [k, n], using: &random)
                let label = "\(m)×\(k)·\(k)×\(n) \(transposeA ? "ᵀ" : "")\(transposeB ? "ᵀ" : "")"
                expectSameAtEveryThreadCount(label) {
                    matmul(a, b, transposeA: transposeA, transposeB: transposeB).values
                }
                let product = withComputeThreads(2) { matmul(a, b, transposeA: transposeA, transposeB: transposeB) }
                let (av, bv) = (a.values, b.values)
                var worst: Float = 0
                for i in Swift.stride(from: 0, to: m, by: Swift.max(1, m / 9)) {
                    for j in Swift.stride(from: 0, to: n, by: Swift.max(1, n / 9)) {
                        var total: Float = 0
                        for p in 0..<k {
                            total += av[transposeA ? p * m + i : i * k + p] * bv[transposeB ? j * k + p : p * n + j]
                        }
                        worst = Swift.max(worst, abs(product.values[i * n + j] - total) / Swift.max(1, abs(total)))
                    }
                }
                #expect(worst < 1e-4, "\(label): largest relative difference \(worst)")
            }
        }
        let x = Tensor.randomNormal([64, 300], using: &random), w = Tensor.randomNormal([700, 300], using: &random)
        let bias = Tensor.randomNormal([700], using: &random)
        expectSameAtEveryThreadCount("linear") { linear(x, weight: w, bias: bias).values }
    }

    @Test func convolutionsNormalisationAndElementwiseOpsAtEveryThreadCount() {
        var random = SeededGenerator(seed: 11)
        let x = Tensor.randomNormal([9, 13, 15, 11], using: &random)
        let window = ConvWindow(kernelHeight: 4, kernelWidth: 3, stride: 2, padding: 1)
        let columns = im2col(x, window: window)
        expectSameAtEveryThreadCount("im2col") { im2col(x, window: window).values }
        let bias = Tensor.randomNormal([13], using: &random)
        expectSameAtEveryThreadCount("col2im") {
            col2im(columns, imageShape: x.shape, window: window, bias: bias).values
        }
        let weight = Tensor.randomNormal([13, 6, 4, 4], using: &random), outputBias = Tensor.randomNormal([6], using: &random)
        expectSameAtEveryThreadCount("convTranspose2d") {
            convTranspose2d(x, weight: weight, bias: outputBias, stride: 2, padding: 1).values
        }
        let y = Tensor.randomNormal([9, 13, 15, 11], using: &random)
        expectSameAtEveryThreadCount("elementwise") {
            (x * y + x.leakyRelu(0.2) - y.tanh() / (y.abs() + 1)).values
        }
        // Batch norm forward and its fused backward, on images and on [N, C] features.
        for shape in [[9, 13, 15, 11], [64, 2000]] {
            let input = Tensor.randomNormal(shape, using: &random, requiresGrad: true)
            let gamma = Tensor.randomNormal([shape[1]], using: &random, requiresGrad: true)
            let beta = Tensor.randomNormal([shape[1]], using: &random, requiresGrad: true)
            let upstream = Tensor.randomNormal(shape, using: &random)
            expectSameAtEveryThreadCount("batchNorm \(shape)") {
                let (out, mean, variance) = batchNorm(input, weight: gamma, bias: beta)
                let grads = gradients(of: (out * upstream).sum(), wrt: [input, gamma, beta])
                return out.values + mean.values + variance.values + grads.flatMap(\.values)
            }
        }
    }

    @Test func swappingLeadingAxesAtEveryThreadCount() {
        var random = SeededGenerator(seed: 5)
        let x = Tensor.randomNormal([37, 70, 49], using: &random)
        let bias = Tensor.randomNormal([37], using: &random)
        expectSameAtEveryThreadCount("swap") { swappingLeadingAxes(x, adding: bias).values }
    }
}
