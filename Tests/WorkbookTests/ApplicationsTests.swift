import Testing
import NN
import Tensor
@testable import Workbook

@Suite struct ApplicationsTests {
    @Test func aurocMatchesAHandComputedCase() {
        // Positives {3, 4, 1} against negatives {1, 2, 2}: 3 and 4 beat all three, 1 ties
        // one and loses two, so (3 + 3 + 0.5) of 9 pairs.
        #expect(abs(areaUnderROC(positives: [3, 4, 1], negatives: [1, 2, 2]) - 6.5 / 9) < 1e-12)
        #expect(areaUnderROC(positives: [5, 6], negatives: [1, 2]) == 1)
        #expect(areaUnderROC(positives: [1, 2], negatives: [5, 6]) == 0)
        #expect(areaUnderROC(positives: [1, 1], negatives: [1, 1]) == 0.5)
        let curve = rocCurve(positives: [3, 4, 1], negatives: [1, 2, 2])
        #expect(curve.falsePositiveRate.first == 0 && curve.truePositiveRate.first == 0)
        #expect(curve.falsePositiveRate.last == 1 && curve.truePositiveRate.last == 1)
    }

    @Test func latentSearchNeverRaisesItsObjectiveAndFindsAReachableImage() {
        var weights = SeededGenerator(seed: 4)
        let G = Sequential(Linear(3, 16, using: &weights), Activation.tanh, Linear(16, 10, using: &weights))
        var random = SeededGenerator(seed: 5)
        let trueNoise = Tensor.randomNormal([4, 3], using: &random)
        let targets = withoutGradients { G(trueNoise) }
        let search = LatentSearch(steps: 80, prior: 0)
        let result = search.run(generator: { G($0) }, targets: targets, mask: Tensor.ones(targets.shape), latent: 3, using: &random)
        #expect(result.objective.count > 10)
        for (before, after) in zip(result.objective, result.objective.dropFirst()) { #expect(after <= before) }
        #expect(result.objective.last! < result.objective.first! * 0.05, "the search gets close to an image G can make")
        #expect(result.residuals.count == 4 && result.images.shape == [4, 10])
    }

    @Test func hiddenPixelsDoNotPullTheSearch() {
        // With every pixel hidden, only the prior acts: z shrinks towards 0 and the residuals are 0.
        var weights = SeededGenerator(seed: 6)
        let G = Linear(2, 5, using: &weights)
        var random = SeededGenerator(seed: 7)
        let targets = Tensor.randomNormal([3, 5], using: &random)
        let result = LatentSearch(steps: 40, prior: 1).run(generator: { G($0) }, targets: targets,
                                                          mask: Tensor.zeros([3, 5]), latent: 2, using: &random)
        #expect(result.residuals.allSatisfy { $0 == 0 })
        #expect(result.objective.last! < 0.05 * result.objective.first!)
    }

    @Test func seedSpreadGivesMeanAndSampleSpread() {
        let x = SeedSpread([1, 2, 3])
        #expect(x.mean == 2 && abs(x.standardDeviation - 1) < 1e-12)
        #expect(SeedSpread([0.5]).standardDeviation == 0)
    }
}
