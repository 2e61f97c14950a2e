import Formats
import Testing
import Tensor
@testable import NN

private func shapes(_ entries: [(name: String, tensor: Tensor)]) -> [String: [Int]] {
    Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0.tensor.shape) })
}

private func largestMagnitude(_ t: Tensor) -> Float { t.values.map(abs).max() ?? 0 }

@Suite("Convolutional and normalisation layers")
struct ConvLayerTests {
    @Test func parameterNamesAndShapesMatchPyTorch() {
        var g = SeededGenerator(seed: 1)
        #expect(shapes(Conv2d(3, 8, kernelSize: 4, using: &g).stateDict) == ["weight": [8, 3, 4, 4], "bias": [8]])
        #expect(shapes(ConvTranspose2d(3, 8, kernelSize: 4, using: &g).stateDict) == ["weight": [3, 8, 4, 4], "bias": [8]])
        #expect(shapes(Conv2d(3, 8, kernelSize: 3, bias: false, using: &g).stateDict) == ["weight": [8, 3, 3, 3]])
        #expect(shapes(BatchNorm(5).stateDict) == ["weight": [5], "bias": [5], "running_mean": [5], "running_var": [5],
                                                    "num_batches_tracked": []])
        #expect(BatchNorm(5).namedParameters.map(\.name) == ["weight", "bias"])
        #expect(shapes(LayerNorm([4, 2]).stateDict) == ["weight": [4, 2], "bias": [4, 2]])
        #expect(shapes(Embedding(10, 3, using: &g).stateDict) == ["weight": [10, 3]])
        let model = Sequential(Conv2d(1, 2, kernelSize: 3, using: &g), BatchNorm(2))
        #expect(model.stateDict.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias",
                                                 "1.running_mean", "1.running_var", "1.num_batches_tracked"])
    }

    @Test func defaultInitialisationUsesPyTorchFanIn() {
        var g = SeededGenerator(seed: 2)
        let conv = Conv2d(8, 16, kernelSize: 3, using: &g)
        let convBound = 1 / Float(8 * 9).squareRoot()
        #expect(largestMagnitude(conv.weight) <= convBound && largestMagnitude(conv.weight) > 0.9 * convBound)
        #expect(largestMagnitude(conv.bias!) <= convBound)
        // PyTorch takes a transposed convolution's fan-in from weight.size(1) = out channels:
        // the bound is 1/√(4·16), twice as wide as 1/√(16·16) from the in channels.
        let up = ConvTranspose2d(16, 4, kernelSize: 4, using: &g)
        let upBound = 1 / Float(4 * 16).squareRoot()
        #expect(largestMagnitude(up.weight) <= upBound && largestMagnitude(up.weight) > 0.9 * upBound)
        #expect(largestMagnitude(up.bias!) <= upBound && largestMagnitude(up.bias!) > 1 / Float(16 * 16).squareRoot())
        let embedding = Embedding(100, 20, using: &g).weight.values
        let mean = embedding.reduce(0, +) / Float(embedding.count)
        let variance = embedding.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(embedding.count)
        #expect(abs(mean) < 0.1 && abs(variance - 1) < 0.1)
    }

    @Test func layersComputeTheirOps() {
        var g = SeededGenerator(seed: 3)
        let x = Tensor.randomNormal([2, 3, 8, 8], using: &g)
        let conv = Conv2d(3, 4, kernelSize: 4, stride: 2, padding: 1, using: &g)
        #expect(conv(x).values == conv2d(x, weight: conv.weight, bias: conv.bias, stride: 2, padding: 1).values)
        #expect(conv(x).shape == [2, 4, 4, 4])
        let up = ConvTranspose2d(3, 5, kernelSize: 4, stride: 2, padding: 1, using: &g)
        #expect(up(x).shape == [2, 5, 16, 16])
        #expect(Flatten()(x).shape == [2, 192])
        #expect(Unflatten([3, 8, 8])(Flatten()(x)).values == x.values)
        #expect(UpsampleNearest(factor: 2)(x).shape == [2, 3, 16, 16])
    }

    @Test func batchNormTrainingUpdatesRunningStatisticsAsPyTorch() {
        let bn = BatchNorm(2)
        // Channel 0: 1, 2, 3, 6 (mean 3, unbiased variance 14/3); channel 1: 0, 0, 4, 4 (2, 16/3).
        let flat = Tensor(shape: [4, 2], values: [1, 0, 2, 0, 3, 4, 6, 4])
        let out = bn(flat)
        #expect(abs(out.values[0] - (1 - 3) / (3.5 + 1e-5).squareRoot()) < 1e-5)  // biased variance 3.5 normalises
        expectValues(bn.runningMean, [0.3, 0.2])
        expectValues(bn.runningVariance, [0.9 + 0.1 * 14 / 3, 0.9 + 0.1 * 16 / 3])
        // The same statistics from a [N, C, H, W] batch: channel 0 is 1, 2 | 3, 6 over two images.
        let image = Tensor(shape: [2, 2, 1, 2], values: [1, 2, 0, 0, 3, 6, 4, 4])
        _ = bn(image)
        expectValues(bn.runningMean, [0.9 * 0.3 + 0.3, 0.9 * 0.2 + 0.2])
        expectValues(bn.runningVariance, [0.9 * (0.9 + 0.1 * 14 / 3) + 0.1 * 14 / 3, 0.9 * (0.9 + 0.1 * 16 / 3) + 0.1 * 16 / 3])
        #expect(bn.batchesTracked.item == 2)
    }

    @Test func batchNormEvaluationUsesRunningStatistics() {
        let bn = BatchNorm(2)
        bn.runningMean.assign(Tensor(shape: [2], values: [1, -1]))
        bn.runningVariance.assign(Tensor(shape: [2], values: [4, 0.25]))
        bn.weight.assign(Tensor(shape: [2], values: [2, 1]))
        bn.bias.assign(Tensor(shape: [2], values: [0, 3]))
        let x = Tensor(shape: [1, 2, 1, 2], values: [3, 5, 0, 1])
        let out = evaluating { bn(x) }
        let eps: Float = 1e-5
        expectValues(out, [2 * 2 / (4 + eps).squareRoot(), 2 * 4 / (4 + eps).squareRoot(),
                           1 / (0.25 + eps).squareRoot() + 3, 2 / (0.25 + eps).squareRoot() + 3])
        expectValues(bn.runningMean, [1, -1])  // evaluation leaves the statistics alone
        #expect(bn.batchesTracked.item == 0)
    }

    @Test func embeddingLooksUpRowsAndAccumulatesGradients() {
        var g = SeededGenerator(seed: 4)
        let embedding = Embedding(4, 3, using: &g)
        let rows = embedding([2, 0, 2])
        #expect(rows.values == Array(embedding.weight.values[6..<9] + embedding.weight.values[0..<3] + embedding.weight.values[6..<9]))
        #expect(embedding(Tensor(shape: [3], values: [2, 0, 2])).values == rows.values)
        let grad = gradients(of: rows.sum(), wrt: [embedding.weight])[0]
        #expect(grad.values == [1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0])
    }

    @Test func layerNormNormalisesEachSample() {
        let norm = LayerNorm([2])
        norm.weight.assign(Tensor(shape: [2], values: [1, 2]))
        norm.bias.assign(Tensor(shape: [2], values: [0, 1]))
        expectValues(norm(Tensor(shape: [2, 2], values: [1, 3, 5, 9])), [-1, 3, -1, 3], tolerance: 1e-4)
    }

    private func expectValues(_ t: Tensor, _ expected: [Float], tolerance: Float = 1e-5,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(t.values.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(t.values, expected) {
            #expect(abs(a - e) <= tolerance, "\(a) vs \(e)", sourceLocation: sourceLocation)
        }
    }
}
