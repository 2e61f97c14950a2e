/*:
 # 11.4 The conditional GAN

 An unconditional GAN draws *some* garment; a conditional one draws the garment you ask
 for. Both players get the class y: the generator learns G(z, y), and the discriminator
 D(x, y) learns whether x is a real image *of class y*. A sharp image of a shoe labelled
 "trouser" must now be rejected, so G has to obey y to win.

 This is the DCGAN chapter's pair of networks, conditioned, trained with the original
 chapter's relativistic average least-squares loss (`--loss bce` for the standard one).
 Run it with `swift run Ch11_4_CGAN`; `--conditioning projection` swaps how D sees y.
 */
import ArgumentParser
import Foundation
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 1
    static let batchSize = 64
    static let learningRate: Float = 2e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_4_CGAN", abstract: "Conditional DCGAN: one row of samples per class.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan

    @Option(help: "How D sees the class: channels (one-hot planes next to the image) or projection.")
    var conditioning: DiscriminatorConditioning = .channels
}
// snippet.show

let options = Options.parseCommandLine()
let run = TrainingRun(name: "ch11_4_cgan", title: "Ch11.4 conditional GAN", settings: options.training.settings)
let images = run.loadImages(from: options.data.data)
// snippet.hide
guard images.imageShape == [1, 28, 28] else {
    exitWithError("the conditional GAN takes 28×28 grey images, got \(images.imageShape) — pass --data with (Fashion-)MNIST-sized IDX files")
}
// snippet.show
let classes = images.classNames.count
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 ## The networks
 G is the DCGAN generator with `classes` more inputs: z with the one-hot label appended.
 D is the DCGAN discriminator with the label as extra input channels (ten constant planes,
 one of them all ones), or with a projection head (`--conditioning projection`).
 */
// snippet.cgan-setup
var weights = run.generator("weights")
let G = dcganGenerator(latent: latent + classes, using: &weights)
let D = conditionalDiscriminator(classes: classes, options.conditioning, using: &weights)
initializeDCGAN(G, using: &weights)
initializeDCGAN(D, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
let optimizerD = Adam(D.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
// snippet.end

run.checkpointing(models: [("generator", G), ("discriminator", D)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerD)])
let batches = run.batches(of: images)

/*:
 ## One training iteration
 Real images come with their own labels; generated images with the labels G was asked
 for, drawn uniformly. (The original chapter paired the real images with random labels, so
 its discriminator never saw what a class looks like, and fed G the label as a raw number.)
 */
var previewNoise = run.generator("preview noise")  // one sample per class above the progress bar
let previewInput = generatorInput(noise: .randomNormal([classes, latent], using: &previewNoise),
                                  labels: Array(0..<classes), classes: classes)
run.train(metrics: AdversarialStep.metrics, preview: { G(previewInput) }) { _, random in
    // snippet.cgan-step
    let (real, _) = batches.nextConditional(classes: classes, options.conditioning)
    let wanted = (0..<batchSize).map { _ in Int.random(in: 0..<classes, using: &random) }
    let z = Tensor.randomNormal([batchSize, latent], using: &random)
    let fakeImages = G(generatorInput(noise: z, labels: wanted, classes: classes))
    let fake = discriminatorInput(images: fakeImages, labels: wanted, classes: classes, options.conditioning)
    return options.loss.trainStep(real: real, fake: fake, discriminator: D, discriminatorOptimizer: optimizerD,
                                  generatorParameters: G.parameters, generatorOptimizer: optimizerG).values
    // snippet.end
}

/*:
 ## One row per class
 Ten noise vectors, one per column, each decoded once for every class: down a column the
 class changes and the "style" from z stays.
 */
// snippet.cgan-grid
var noise = run.generator("fixed noise")
let columnNoise = Tensor.randomNormal([10, latent], using: &noise)
let rowLabels = (0..<classes).flatMap { Array(repeating: $0, count: 10) }
let gridInput = generatorInput(noise: Tensor.concatenate(Array(repeating: columnNoise, count: classes)),
                               labels: rowLabels, classes: classes)
let samples = evaluating { G(gridInput) }
// snippet.end
orExit {
    try run.sampleGrid(samples, caption: "Ch11.4 conditional GAN (\(options.loss.rawValue), \(options.conditioning.rawValue)) — step \(run.step)",
                       rowLabels: images.classNames)
        .write(to: run.figurePath("samples"))
}
run.plot("losses", title: "Conditional GAN losses (\(options.loss.rawValue))", yTitle: "loss",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])

/*:
 ## Does G draw the class it is asked for?
 When the metrics chapter's classifier has been trained (`models/classifier.safetensors`),
 it labels 100 samples per class, and we count how often it names the class that G was given.
 */
if options.data.data != defaultFashionMNISTDirectory {
    print("class match: skipped (the classifier knows Fashion-MNIST only)")
} else if let classifier = try? FeatureClassifier.load() {
    // snippet.cgan-class-match
    var checkNoise = run.generator("class check")
    let asked = (0..<classes).flatMap { Array(repeating: $0, count: 100) }
    let drawn = evaluating {
        G(generatorInput(noise: Tensor.randomNormal([asked.count, latent], using: &checkNoise), labels: asked,
                         classes: classes))
    }
    let match = orExit { try classifier.accuracy(drawn, labels: asked) }
    print("class match: \(String(format: "%.1f", 100 * match))% of \(asked.count) samples classified as the class asked for")
    // snippet.end
} else {
    print("class match: skipped (no usable \(FeatureClassifier.defaultPath); `swift run Ch11_5_Metrics train-classifier` makes one)")
}
run.finish()
