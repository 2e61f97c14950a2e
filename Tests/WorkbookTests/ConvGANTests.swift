import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

@Suite("Convolutional GANs: relativistic losses, conditioning, architectures")
struct ConvGANTests {
    // Scores of two real and two generated images: E C(x_r) = 2, E C(x_f) = −1.
    let real = Tensor(shape: [2, 1], values: [1, 3])
    let fake = Tensor(shape: [2, 1], values: [0, -2])

    func softplus(_ x: Double) -> Double { log(1 + exp(x)) }

    @Test func relativisticAverageLeastSquaresMatchesHandComputedValues() {
        // D: mean((1 − 0)², (3 − 0)²) + mean((0 − 1)², (−2 − 1)²) = 5 + 5.
        #expect(abs(AdversarialLoss.ralsgan.discriminatorLoss(realScores: real, fakeScores: fake).item - 10) < 1e-5)
        // G: mean((0 − 3)², (−2 − 3)²) + mean((1 + 2)², (3 + 2)²) = 17 + 17.
        #expect(abs(AdversarialLoss.ralsgan.generatorLoss(realScores: real, fakeScores: fake).item - 34) < 1e-5)
    }

    @Test func relativisticStandardLossesMatchHandComputedValues() {
        // RSGAN compares pairs: C(x_r) − C(x_f) = 1 and 5.
        let rsganD = (softplus(-1) + softplus(-5)) / 2, rsganG = (softplus(1) + softplus(5)) / 2
        #expect(abs(Double(AdversarialLoss.rsgan.discriminatorLoss(realScores: real, fakeScores: fake).item) - rsganD) < 1e-5)
        #expect(abs(Double(AdversarialLoss.rsgan.generatorLoss(realScores: real, fakeScores: fake).item) - rsganG) < 1e-5)
        // RaSGAN: C(x_r) − E C(x_f) = 2, 4 (target 1) and C(x_f) − E C(x_r) = −2, −4 (target 0).
        let rasganD = (softplus(-2) + softplus(-4)) / 2 + (softplus(-2) + softplus(-4)) / 2
        let rasganG = (softplus(2) + softplus(4)) / 2 + (softplus(2) + softplus(4)) / 2
        #expect(abs(Double(AdversarialLoss.rasgan.discriminatorLoss(realScores: real, fakeScores: fake).item) - rasganD) < 1e-5)
        #expect(abs(Double(AdversarialLoss.rasgan.generatorLoss(realScores: real, fakeScores: fake).item) - rasganG) < 1e-5)
        // The standard GAN: −log σ(C(x_r)) − log(1 − σ(C(x_f))), and −log σ(C(x_f)) for G.
        let bceD = (softplus(-1) + softplus(-3)) / 2 + (softplus(0) + softplus(-2)) / 2
        #expect(abs(Double(AdversarialLoss.bce.discriminatorLoss(realScores: real, fakeScores: fake).item) - bceD) < 1e-5)
        #expect(abs(Double(AdversarialLoss.bce.generatorLoss(realScores: real, fakeScores: fake).item)
            - (softplus(-0) + softplus(2)) / 2) < 1e-5)
    }

    /// A relativistic generator learns from the real images' term too: with fixed fake
    /// scores, moving only E C(x_r) changes its loss (a standard GAN's G loss ignores it).
    @Test func relativisticGeneratorLossDependsOnRealScores() {
        let shifted = real + 1
        let relativistic = AdversarialLoss.ralsgan
        #expect(relativistic.generatorLoss(realScores: shifted, fakeScores: fake).item
            != relativistic.generatorLoss(realScores: real, fakeScores: fake).item)
        #expect(AdversarialLoss.bce.generatorLoss(realScores: shifted, fakeScores: fake).item
            == AdversarialLoss.bce.generatorLoss(realScores: real, fakeScores: fake).item)
    }

    // MARK: Erratum 5: real images are paired with their own labels

    /// 40 tiny images whose pixels all equal their label / 10, so a batch shows its pairing.
    func labelledImages() -> ImageDataset {
        let labels = (0..<40).map { $0 % 10 }
        return ImageDataset(count: 40, channels: 1, height: 4, width: 4,
                            pixels: labels.flatMap { Array(repeating: Float($0) / 10, count: 16) },
                            labels: labels, classNames: (0..<10).map(String.init))
    }

    /// Whether every image in a channels-conditioned D input carries the label its pixels encode.
    func labelsMatchImages(_ input: Tensor) -> Bool {
        let (n, planes, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let values = input.values, plane = height * width
        return (0..<n).allSatisfy { i in
            let imageLabel = Int((values[i * planes * plane] * 10).rounded())
            let labelPlane = (1..<planes).first { values[(i * planes + $0) * plane] == 1 }.map { $0 - 1 }
            return labelPlane == imageLabel
        }
    }

    @Test func realImagesArePairedWithTheirTrueLabels() throws {
        let batches = try ImageBatches(labelledImages(), batchSize: 16, seed: 3, startBatch: 0)
        for _ in 0..<5 {  // across an epoch boundary and reshuffles
            let (input, labels) = batches.nextConditional(classes: 10, .channels)
            #expect(input.shape == [16, 11, 4, 4])
            #expect(labelsMatchImages(input))
            #expect(Set(labels).count > 1)
        }
    }

    @Test func theOriginalsRandomLabelsFailThePairingCheck() throws {
        let batches = try ImageBatches(labelledImages(), batchSize: 16, seed: 3, startBatch: 0)
        let (images, _) = batches.nextWithLabels()
        // The original drew the real batch's labels at random instead of reading them.
        var random = SeededGenerator(seed: 11)
        let randomLabels = (0..<16).map { _ in Int.random(in: 0..<10, using: &random) }
        #expect(!labelsMatchImages(discriminatorInput(images: images, labels: randomLabels, classes: 10, .channels)))
    }

    @Test func projectionInputCarriesTheImageThenItsOneHotLabel() throws {
        let batches = try ImageBatches(labelledImages(), batchSize: 8, seed: 5, startBatch: 0)
        let (input, labels) = batches.nextConditional(classes: 10, .projection)
        #expect(input.shape == [8, 16 + 10])
        let values = input.values
        for (i, label) in labels.enumerated() {
            let row = Array(values[(i * 26)..<((i + 1) * 26)])
            #expect(Int((row[0] * 10).rounded()) == label)
            #expect(Array(row[16...]) == (0..<10).map { $0 == label ? 1 : 0 })
        }
    }

    @Test func generatorInputAppendsOneHotLabelsNotRawIntegers() {
        let input = generatorInput(noise: Tensor.zeros([2, 3]), labels: [7, 2], classes: 10)
        #expect(input.shape == [2, 13])
        #expect(Array(input.values[3..<13]) == (0..<10).map { $0 == 7 ? 1 : 0 })
        #expect(Array(input.values[16..<26]) == (0..<10).map { $0 == 2 ? 1 : 0 })
    }

    @Test(arguments: DiscriminatorConditioning.allCases)
    func conditionalDiscriminatorScoresDependOnTheLabel(conditioning: DiscriminatorConditioning) {
        var weights = SeededGenerator(seed: 1)
        let D = conditionalDiscriminator(classes: 10, conditioning, using: &weights)
        initializeDCGAN(D, using: &weights)
        let images = Tensor.randomUniform([2, 1, 28, 28], in: -1..<1, using: &weights)
        let scores = { (labels: [Int]) in
            evaluating { D(discriminatorInput(images: images, labels: labels, classes: 10, conditioning)) }
        }
        let asShirts = scores([6, 6]), asBags = scores([8, 8])
        #expect(asShirts.shape == [2, 1])
        #expect(zip(asShirts.values, asBags.values).allSatisfy { abs($0 - $1) > 1e-7 })
    }

    // MARK: Architectures and the transposed-convolution formula

    @Test func dcganNetworksHaveTheDocumentedShapes() throws {
        var weights = SeededGenerator(seed: 2)
        let G = dcganGenerator(latent: 100, using: &weights), D = dcganDiscriminator(using: &weights)
        let images = evaluating { G(Tensor.randomNormal([3, 100], using: &weights)) }
        #expect(images.shape == [3, 1, 28, 28])
        #expect(images.values.allSatisfy { abs($0) <= 1 })
        #expect(evaluating { D(images) }.shape == [3, 1])
        // The PyTorch examples' 64×64 networks (narrow here, to keep the test fast).
        let G64 = dcgan64Generator(latent: 16, width: 4, using: &weights)
        let D64 = dcgan64Discriminator(width: 4, using: &weights)
        let photos = evaluating { G64(Tensor.randomNormal([2, 16], using: &weights)) }
        #expect(photos.shape == [2, 3, 64, 64])
        #expect(evaluating { D64(photos) }.shape == [2, 1])
    }

    @Test func dcganNetworksRejectOtherImageSizes() {
        var weights = SeededGenerator(seed: 0)
        let odd = ImageDataset(count: 1, channels: 1, height: 32, width: 32, pixels: Array(repeating: 0, count: 1024),
                               labels: [0], classNames: ["x"])
        #expect(throws: DataError.self) { try dcganNetworks(latent: 8, for: odd, using: &weights) }
    }

    @Test(arguments: [(3, 4, 2, 1, 0), (7, 4, 2, 1, 0), (14, 4, 2, 1, 0), (1, 4, 1, 0, 0), (5, 3, 2, 1, 1), (4, 5, 3, 2, 2)])
    func diagramFormulaMatchesTheLayersOutputSize(input: Int, kernel: Int, stride: Int, padding: Int, extra: Int) throws {
        let diagram = try TransposedConvolutionDiagram(inputSize: input, kernelSize: kernel, stride: stride,
                                                       padding: padding, outputPadding: extra)
        let output = convTranspose2d(.zeros([1, 1, input, input]), weight: .zeros([1, 1, kernel, kernel]),
                                     stride: stride, padding: padding, outputPadding: extra)
        #expect(output.shape == [1, 1, diagram.outputSize, diagram.outputSize])
        // The construction the figure draws: a stride-1 k×k convolution over the spread grid.
        #expect(diagram.spreadSize - kernel + 1 == diagram.outputSize)
    }

    @Test func diagramRendersAndRejectsImpossibleLayers() throws {
        let picture = try TransposedConvolutionDiagram(inputSize: 3, kernelSize: 4, stride: 2, padding: 1).render()
        #expect(picture.width == 1400 && picture.height == 760)
        #expect(throws: FigureError.self) { try TransposedConvolutionDiagram(inputSize: 3, kernelSize: 2, stride: 2, padding: 2) }
    }

    @Test func sphericalInterpolationKeepsEndpointsAndNorm() {
        let start: [Float] = [3, 0, 0], end: [Float] = [0, 0, 3]
        let path = sphericalInterpolation(from: start, to: end, steps: 5)
        #expect(path.shape == [5, 3])
        let rows = (0..<5).map { Array(path.values[($0 * 3)..<($0 * 3 + 3)]) }
        #expect(rows.first == start)
        #expect(zip(rows.last!, end).allSatisfy { abs($0 - $1) < 1e-5 })
        // On the great circle every point keeps the norm 3; a straight line would dip to 2.12.
        #expect(rows.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 }.squareRoot() - 3) < 1e-4 })
    }

    // MARK: The DCGAN chapter's shape tables

    /// The DCGAN chapter's prose shows both networks layer by layer: the tables must be what
    /// `outputShapes` computes for the real networks at the chapter's defaults.
    @Test func theDCGANChaptersShapeTablesAreTheNetworks() throws {
        let chapter = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Chapters/Ch11_4_DCGAN")
        let defaults = try String(contentsOf: chapter.appendingPathComponent("Options.swift"), encoding: .utf8)
        #expect(defaults.contains("batchSize: 64") && defaults.contains("latentDimension: 100"),
                "the prose's tables are for a batch of 64 and z ∈ ℝ¹⁰⁰; remake them for new defaults")
        let source = try String(contentsOf: chapter.appendingPathComponent("main.swift"), encoding: .utf8)
        var weights = SeededGenerator(seed: 0)
        let networks = [(dcganGenerator(latent: 100, using: &weights), [64, 100]),
                        (dcganDiscriminator(using: &weights), [64, 1, 28, 28])]
        for (network, input) in networks {
            // As the prose holds it: each line indented by the prose block's one space.
            let table = network.outputShapes(forInput: input).description
                .split(separator: "\n").map { " \($0)" }.joined(separator: "\n")
            #expect(source.contains(table), "Chapters/Ch11_4_DCGAN/main.swift lacks the table\n\(table)")
        }
    }

}
