import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// Each bug of the original chapter's code (DESIGN.md, "Errata"), pinned: the test shows
/// the original's way failing and ours passing.
@Suite("Errata of the original chapter")
struct ErrataTests {
    static let fashionMNIST = FileManager.default.fileExists(atPath: defaultFashionMNISTDirectory)

    /// Erratum 1a: real images must share the generator's tanh range [−1, 1]; the original
    /// scaled them to [0, 1], so no real pixel was ever negative while most fakes were.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func realImagesAreScaledToTheGeneratorsRange() throws {
        let images = try loadIDXDataset(split: .test, limit: 200)
        let originalScaling = images.pixels.map { ($0 + 1) / 2 }  // x/255, the original's
        #expect(images.pixels.min() == -1 && images.pixels.max() == 1)
        #expect(originalScaling.min() == 0, "the original's range cannot reach the generator's −1")
    }

    /// Erratum 1b: `sigmoid().log()` underflows to log 0 = −∞ for a confident discriminator;
    /// binary cross-entropy on logits stays finite and exact.
    @Test func lossOnLogitsIsFiniteWhereSigmoidThenLogIsNot() {
        let logits = Tensor(shape: [2], values: [-120, 120])
        let original = -(logits.sigmoid().log()).mean()           // −log D(x) the original's way
        #expect(!original.item.isFinite)
        let ours = binaryCrossEntropy(logits: logits, target: 1)
        #expect(abs(ours.item - 60) < 1e-3)                        // (120 + 0) / 2
        #expect(discriminatorLoss(realLogits: logits, fakeLogits: -logits).item.isFinite)
    }

    /// Erratum 2: clipping must change the critic's stored weights. The original clamped a
    /// copy (`var.1 = clamped_var`), which left every weight as it was.
    @Test func weightClippingActsOnTheCriticItself() {
        var random = SeededGenerator(seed: 1)
        let critic = mlpDiscriminator(pixels: 16, using: &random)
        let generator = Sequential(Linear(4, 16, using: &random), Activation.tanh)
        let wgan = WassersteinGAN(generator: generator, critic: critic,
                                  generatorOptimizer: RMSprop(generator.parameters, learningRate: 5e-5),
                                  criticOptimizer: RMSprop(critic.parameters, learningRate: 5e-5),
                                  constraint: .weightClipping(0.01), criticUpdates: 5, latent: 4)
        // The original's way: clamp a copy of each weight and drop it.
        for p in critic.parameters { _ = p.clamped(to: -0.01...0.01) }
        #expect(critic.parameters.contains { $0.values.contains { abs($0) > 0.01 } },
                "clamping a copy leaves the critic unclipped")
        var data = SeededGenerator(seed: 11)
        _ = wgan.trainStep(nextRealBatch: { Tensor.randomUniform([8, 16], in: -1..<1, using: &data) }, using: &random)
        for p in critic.parameters { #expect(p.values.allSatisfy { abs($0) <= 0.01 }) }
    }

    /// `n_critic` critic updates per generator update, each on a fresh real batch.
    @Test func criticUpdatesCountAndDrawFreshBatches() {
        var random = SeededGenerator(seed: 2)
        let critic = mlpDiscriminator(pixels: 8, using: &random)
        let generator = Sequential(Linear(2, 8, using: &random))
        let criticOptimizer = Adam(critic.parameters)
        let generatorOptimizer = Adam(generator.parameters)
        let wgan = WassersteinGAN(generator: generator, critic: critic, generatorOptimizer: generatorOptimizer,
                                  criticOptimizer: criticOptimizer, constraint: .gradientPenalty(lambda: 10),
                                  criticUpdates: 3, latent: 2)
        var batchesDrawn = 0
        var data = SeededGenerator(seed: 12)
        _ = wgan.trainStep(nextRealBatch: { batchesDrawn += 1; return Tensor.randomNormal([4, 8], using: &data) },
                           using: &random)
        #expect(batchesDrawn == 3)
        #expect(criticOptimizer.stepCount == 3)
        #expect(generatorOptimizer.stepCount == 1)
    }

    /// Erratum 3: the gradient penalty must reach the critic's weights. Taking the inner
    /// gradient without a graph (the original's `backward()` + `.grad()`) makes the penalty
    /// a constant; with double backprop its gradient matches finite differences.
    @Test func gradientPenaltyReachesTheCriticsWeights() throws {
        var weights = SeededGenerator(seed: 3)
        let critic = Sequential(Linear(3, 5, using: &weights), Activation.tanh, Linear(5, 1, using: &weights))
        let real = Tensor.randomNormal([4, 3], using: &weights), fake = Tensor.randomNormal([4, 3], using: &weights)
        func penalty(createGraph: Bool) -> Tensor {
            var random = SeededGenerator(seed: 9)  // the same ε every time
            let points = interpolates(real: real, fake: fake, using: &random)
            let norms = criticGradientNorms(critic: { critic($0) }, at: points, createGraph: createGraph)
            return (norms - 1).squared().mean()
        }
        let w = critic.parameters[0]
        let original = gradients(of: penalty(createGraph: false), wrt: [w])[0]
        #expect(original.values.allSatisfy { $0 == 0 }, "without a graph the penalty has no gradient")

        let ours = gradients(of: penalty(createGraph: true), wrt: [w])[0]
        #expect(ours.values.contains { abs($0) > 1e-4 })
        let h: Float = 1e-2
        for i in [0, 4, 9, 14] {
            let saved = w.values
            var plus = saved, minus = saved
            plus[i] += h
            minus[i] -= h
            w.assign(Tensor(shape: w.shape, values: plus))
            let up = penalty(createGraph: false).item
            w.assign(Tensor(shape: w.shape, values: minus))
            let down = penalty(createGraph: false).item
            w.assign(Tensor(shape: w.shape, values: saved))
            let numeric = (up - down) / (2 * h)
            #expect(abs(ours.values[i] - numeric) < 2e-2 * max(1, abs(numeric)), "weight \(i): \(ours.values[i]) vs \(numeric)")
        }
    }

    /// The penalty's norm is per sample over all pixels: a critic C(x) = a·Σx has
    /// ‖∇C‖ = |a|·√(pixels) for every sample.
    @Test func penaltyNormIsPerSampleOverAllPixels() {
        var random = SeededGenerator(seed: 4)
        let a: Float = 0.25
        let critic = { (x: Tensor) in x.reshaped([x.shape[0], -1]).sum(alongAxes: 1) * a }
        let real = Tensor.randomNormal([3, 1, 4, 4], using: &random), fake = Tensor.randomNormal([3, 1, 4, 4], using: &random)
        let (penalty, meanNorm) = gradientPenalty(critic: critic, real: real, fake: fake, using: &random)
        #expect(abs(meanNorm - a * 4) < 1e-5)                   // √16 = 4
        #expect(abs(penalty.item - (a * 4 - 1) * (a * 4 - 1)) < 1e-5)
    }
}
