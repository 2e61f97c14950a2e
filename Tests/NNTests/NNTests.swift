import Formats
import Testing
import Tensor
@testable import NN

@Suite("Layers, optimisers and losses")
struct NNTests {
    @Test func sgdWithMomentumMatchesHandComputedSteps() {
        let p = Tensor(shape: [2], values: [1, -1], requiresGrad: true)
        let sgd = SGD([p], learningRate: 0.1, momentum: 0.9)
        sgd.step([Tensor(shape: [2], values: [1, 2])])
        #expect(p.values == [0.9, -1.2])            // v = g
        sgd.step([Tensor(shape: [2], values: [1, 2])])
        // v = 0.9·1 + 1 = 1.9, 0.9·2 + 2 = 3.8
        #expect(abs(p.values[0] - (0.9 - 0.19)) < 1e-6 && abs(p.values[1] - (-1.2 - 0.38)) < 1e-6)
    }

    @Test func adamMatchesHandComputedSteps() {
        let p = Tensor(shape: [1], values: [1], requiresGrad: true)
        let adam = Adam([p], learningRate: 0.1, beta1: 0.5, beta2: 0.9, epsilon: 0)
        adam.step([Tensor(shape: [1], values: [2])])
        // m̂ = 2, v̂ = 4: the first step is lr·sign(g).
        #expect(abs(p.values[0] - 0.9) < 1e-6)
        adam.step([Tensor(shape: [1], values: [1])])
        // m = 0.5·1 + 0.5·1 = 1 (m1 = 1), v = 0.9·0.4 + 0.1·1 = 0.46
        // m̂ = 1/0.75, v̂ = 0.46/0.19
        let expected = 0.9 - 0.1 * (1 / 0.75) / (0.46 / 0.19).squareRoot()
        #expect(abs(Double(p.values[0]) - expected) < 1e-6)
        #expect(adam.stepCount == 2)
    }

    @Test func rmspropMatchesHandComputedSteps() {
        let p = Tensor(shape: [1], values: [1], requiresGrad: true)
        let rms = RMSprop([p], learningRate: 0.01, alpha: 0.9, epsilon: 0)
        rms.step([Tensor(shape: [1], values: [2])])
        // v = 0.1·4 = 0.4; p = 1 − 0.01·2/√0.4
        let first = 1 - 0.01 * 2 / 0.4.squareRoot()
        #expect(abs(Double(p.values[0]) - first) < 1e-6)
        rms.step([Tensor(shape: [1], values: [-1])])
        // v = 0.9·0.4 + 0.1·1 = 0.46
        #expect(abs(Double(p.values[0]) - (first + 0.01 / 0.46.squareRoot())) < 1e-6)
    }

    @Test func weightClippingChangesTheStoredParameters() {
        var g = SeededGenerator(seed: 1)
        let critic = Sequential(Linear(4, 8, using: &g), Activation.leakyRelu(), Linear(8, 1, using: &g))
        clipValues(of: critic.parameters, to: 0.01)
        for p in critic.parameters { #expect(p.values.allSatisfy { abs($0) <= 0.01 }) }
        // The layer computes with the clipped values (not a copy).
        let w = (critic.layers[0] as! Linear).weight
        #expect(w.values.contains { abs($0) == 0.01 })
    }

    @Test func bceOnLogitsIsStableForHugeLogits() {
        let logits = Tensor(shape: [4], values: [-500, -120, 120, 500])
        let loss = binaryCrossEntropy(logits: logits, targets: Tensor(shape: [4], values: [1, 1, 0, 0]))
        // Each term equals |x| for a confidently wrong logit.
        #expect(abs(loss.item - (500 + 120 + 120 + 500) / 4) < 1e-3)
        let right = binaryCrossEntropy(logits: logits, targets: Tensor(shape: [4], values: [0, 0, 1, 1]))
        #expect(right.item >= 0 && right.item < 1e-6)
        // The gradient is sigmoid(x) − y: finite, in [−1, 1].
        let x = logits.requiringGradient()
        let g = gradients(of: binaryCrossEntropy(logits: x, target: 1), wrt: [x])[0].values
        #expect(g.allSatisfy { $0.isFinite && abs($0) <= 0.25 + 1e-6 })
        #expect(abs(g[0] + 0.25) < 1e-6)
    }

    @Test func bceMatchesTheDefinition() {
        let x: Float = 0.3, y: Float = 0.9
        let s = 1 / (1 + Foundation.exp(-x))
        let expected = -(y * Foundation.log(s) + (1 - y) * Foundation.log(1 - s))
        let loss = binaryCrossEntropy(logits: Tensor(shape: [1], values: [x]), target: y).item
        #expect(abs(loss - expected) < 1e-6)
        #expect(abs(meanSquaredError(Tensor(shape: [2], values: [1, 3]), Tensor(shape: [2], values: [0, 0])).item - 5) < 1e-6)
    }

    @Test func linearUsesPyTorchNamesLayoutsAndInitBounds() {
        var g = SeededGenerator(seed: 3)
        let net = Sequential(Linear(100, 256, using: &g), Activation.relu, Linear(256, 1, using: &g))
        #expect(net.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(net.namedParameters.map(\.tensor.shape) == [[256, 100], [256], [1, 256], [1]])
        #expect(net.parameters[0].values.allSatisfy { abs($0) <= 0.1 })
        #expect(net.parameterCount == 100 * 256 + 256 + 256 + 1)
    }

    @Test func dcganInitialisationIsNarrowNormal() {
        var g = SeededGenerator(seed: 4)
        let layer = Linear(200, 300, using: &g)
        initializeDCGAN(layer, using: &g)
        let w = layer.weight.values
        let mean = w.reduce(0, +) / Float(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(w.count)).squareRoot()
        #expect(abs(mean) < 0.002 && abs(std - 0.02) < 0.002)
        #expect(layer.bias!.values.allSatisfy { $0 == 0 })
    }

    @Test func dropoutScalesInTrainingAndIsIdentityInEvaluation() {
        let drop = Dropout(0.5, seed: 1)
        let x = Tensor.ones([10_000])
        let y = drop(x).values
        #expect(Set(y) == [0, 2])
        #expect(abs(y.reduce(0, +) / 10_000 - 1) < 0.05)
        #expect(evaluating { drop(x) }.values == x.values)
    }

    @Test func trainingAnMLPReducesItsLoss() {
        var g = SeededGenerator(seed: 5)
        let net = Sequential(Linear(2, 16, using: &g), Activation.tanh, Linear(16, 1, using: &g))
        let x = Tensor.randomNormal([64, 2], using: &g)
        let y = (x.slice(0..<1, alongAxis: 1) * x.slice(1..<2, alongAxis: 1)).sign()  // XOR-like labels ±1
        let target = (y + 1) * 0.5
        let adam = Adam(net.parameters, learningRate: 0.02)
        func loss() -> Tensor { binaryCrossEntropy(logits: net(x), targets: target) }
        let before = loss().item
        for _ in 0..<300 { adam.step(gradients(of: loss(), wrt: net.parameters)) }
        #expect(loss().item < before * 0.5)
    }

    /// d2l's block-by-block check: each layer's name and output shape, computed in
    /// evaluation mode, so a BatchNorm's statistics do not move even inside training.
    @Test func outputShapesListEachLayerWithoutTouchingBatchStatistics() {
        var generator = SeededGenerator(seed: 1)
        let norm = BatchNorm(5)
        let network = Sequential(Linear(3, 5, using: &generator), norm, Activation.leakyRelu(0.2), Unflatten([5, 1]), Flatten())
        let listing = network.outputShapes(forInput: [2, 3])
        #expect(listing.rows.map(\.layer) == ["Linear(3 → 5)", "BatchNorm(5)", "LeakyReLU(0.2)", "Unflatten(5×1)", "Flatten"])
        #expect(listing.rows.map(\.shape) == [[2, 5], [2, 5], [2, 5], [2, 5, 1], [2, 5]])
        #expect(listing.output == [2, 5])
        #expect(norm.batchesTracked.item == 0, "the listing ran BatchNorm in training mode")
        #expect(listing.description.split(separator: "\n").dropFirst(2).prefix(2)
            == ["| | input | [2, 3] |", "| 0 | Linear(3 → 5) | [2, 5] |"])
        let convolution = Conv2d(1, 4, kernelSize: 4, stride: 2, padding: 1, using: &generator)
        #expect(Sequential(convolution).outputShapes(forInput: [1, 1, 8, 8]).output == [1, 4, 4, 4])
        #expect(layerName(convolution) == "Conv2d(1 → 4, 4×4, stride 2, padding 1)")
    }
}

import Foundation

@Suite struct StateDictTests {
    @Test func stateDictLoadsAllOrNothing() throws {
        var random = SeededGenerator(seed: 1)
        let source = Linear(3, 2, using: &random), target = Linear(3, 2, using: &random)
        let file = SafetensorsFile(entries: Dictionary(uniqueKeysWithValues: source.stateDict.map {
            ($0.name, SafetensorsEntry(name: $0.name, tensor: $0.tensor)) }), metadata: [:])
        #expect(file.load(into: target.stateDict) == nil)
        #expect(target.weight.values == source.weight.values && target.bias!.values == source.bias!.values)

        // A missing bias and a misshapen weight are named, and nothing is copied.
        let fresh = Linear(3, 2, using: &random), before = fresh.weight.values
        var partial = file
        partial.entries["bias"] = nil
        #expect(partial.load(into: fresh.stateDict) == .init(name: "bias", found: nil, needed: [2]))
        #expect(fresh.weight.values == before)
        #expect(file.load(into: Linear(4, 2, using: &random).stateDict, prefix: "")
            == .init(name: "weight", found: [2, 3], needed: [2, 4]))
        #expect(file.load(into: fresh.stateDict, prefix: "generator.")?.name == "generator.weight")
    }
}
