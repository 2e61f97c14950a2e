import NN
import Tensor
import Testing
@testable import Workbook

@Suite("Stabilisers of §11.3: feature matching and label flipping")
struct StabilizerTests {
    @Test func featureMatchingLossIsTheSquaredDistanceOfTheMeans() {
        // Means: real (2, 0), fake (0, 1) → ‖(0, 1) − (2, 0)‖² = 5.
        let real = Tensor(shape: [2, 2], values: [1, 0, 3, 0])
        let fake = Tensor(shape: [2, 2], values: [0, 2, 0, 0])
        #expect(abs(featureMatchingLoss(realFeatures: real, fakeFeatures: fake).item - 5) < 1e-6)
    }

    @Test func featureMatchingGradientMatchesFiniteDifferences() {
        // G's parameters → fake images → D's first layers → the loss, as in training.
        var generator = SeededGenerator(seed: 1)
        let G = Sequential(Linear(3, 6, using: &generator), Activation.tanh)
        let D = Sequential(Linear(6, 5, using: &generator), Activation.leakyRelu(0.2), Linear(5, 1, using: &generator))
        let features = D.prefix(2)
        let z = Tensor.randomNormal([4, 3], using: &generator)
        let real = Tensor.randomNormal([4, 6], using: &generator)
        func loss() -> Tensor { featureMatchingLoss(realFeatures: features(real), fakeFeatures: features(G(z))) }

        let analytic = gradients(of: loss(), wrt: G.parameters)
        #expect(gradients(of: loss(), wrt: D.parameters).allSatisfy { $0.values.allSatisfy { $0 == 0 } } == false,
                "the loss depends on D's features, so D's first layer gets a gradient (G's step ignores it)")
        let step: Float = 1e-2
        for (parameter, gradient) in zip(G.parameters, analytic) {
            for index in 0..<parameter.count {
                let original = parameter.values[index]
                func shifted(_ delta: Float) -> Float {
                    parameter.withUnsafeMutableBufferPointer { $0[index] = original + delta }
                    return withoutGradients { loss().item }
                }
                let numeric = (shifted(step) - shifted(-step)) / (2 * step)
                parameter.withUnsafeMutableBufferPointer { $0[index] = original }
                #expect(abs(gradient.values[index] - numeric) <= 2e-2 * max(1, abs(numeric)),
                        "parameter \(index): autodiff \(gradient.values[index]), finite difference \(numeric)")
            }
        }
        #expect(analytic.contains { $0.values.contains { abs($0) > 1e-4 } })
    }

    @Test(arguments: [(Float(0.05), 64), (0.1, 64), (0.3, 10), (0, 32), (1, 8)])
    func labelFlippingFlipsExactlyTheFraction(fraction: Float, count: Int) {
        var random = SeededGenerator(seed: 2)
        let targets = flippedTargets(count: count, target: 0.9, flippedTarget: 0, fraction: fraction, using: &random)
        #expect(targets.shape == [count, 1])
        #expect(targets.values.count { $0 == 0 } == Int((fraction * Float(count)).rounded()))
        #expect(targets.values.allSatisfy { $0 == 0 || $0 == 0.9 })
    }

    @Test func labelFlippingIsDeterministicPerSeed() {
        func flipped(seed: UInt64) -> [Float] {
            var random = SeededGenerator(seed: seed)
            return flippedTargets(count: 100, target: 1, flippedTarget: 0, fraction: 0.1, using: &random).values
        }
        #expect(flipped(seed: 3) == flipped(seed: 3))
        #expect(flipped(seed: 3) != flipped(seed: 4))
    }

    @Test func minimaxStepWithTheNewStabilisersTrainsAndStaysFinite() {
        var generator = SeededGenerator(seed: 5)
        let G = Sequential(Linear(2, 8, using: &generator), Activation.relu, Linear(8, 2, using: &generator))
        let D = Sequential(Linear(2, 8, using: &generator), Activation.relu, Linear(8, 1, using: &generator))
            .spectrallyNormalized(using: &generator)
        let gan = MinimaxGAN(generator: G, discriminator: D,
                             generatorOptimizer: Adam(G.parameters, learningRate: 1e-3),
                             discriminatorOptimizer: Adam(D.parameters, learningRate: 1e-3), latent: 2)
        gan.featureMatching = D.prefix(2)
        gan.labelFlipping = 0.25
        let before = G.parameters.map(\.values)
        var random = SeededGenerator(seed: 6)
        let real = Tensor.randomNormal([16, 2], using: &random)
        let step = gan.trainStep(real: real, using: &random)
        #expect(step.values.allSatisfy { $0.isFinite })
        #expect(G.parameters.map(\.values) != before)
    }
}
