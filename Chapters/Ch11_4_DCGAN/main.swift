/*:
 # 11.4 DCGAN: a GAN built from convolutions

 The minimax chapter's networks see an image as 784 unrelated numbers. A deep convolutional
 GAN (Radford, Metz & Chintala, 2016) gives both players the structure of images instead:
 the discriminator is a convolutional classifier, and the generator runs one backwards,
 growing a small feature map into an image with transposed convolutions. The game and the
 losses stay exactly those of the minimax chapter.

 Run it with `swift run Ch11_4_DCGAN`; add `--compare-mlp` to give the minimax chapter's
 MLP GAN the same wall-clock time, or `--images DIR` to train the 64×64 RGB networks on a
 folder of photos.
 */
import ArgumentParser
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 2
    static let batchSize = 64
    static let learningRate: Float = 2e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_4_DCGAN", abstract: "Deep convolutional GAN on Fashion-MNIST, or your own images with --images.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Flag(help: "Then train the minimax chapter's MLP GAN for the same wall-clock time and compare samples.")
    var compareMlp = false
}
// snippet.show

let options = Options.parseCommandLine()
let run = TrainingRun(name: "ch11_4_dcgan", title: "Ch11.4 DCGAN", settings: options.training.settings)
let images = run.loadImages(from: options.source)
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 ## How a transposed convolution grows an image
 A stride-s transposed convolution spreads its input's pixels s apart, surrounds them
 with a border of k − 1 − p zeros, and slides an ordinary k×k kernel over the result.
 Counting the positions the kernel fits gives the output size

     out = (in − 1)·s − 2p + k + output_padding

 With k = 4, s = 2, p = 1 that is exactly 2·in: the generator below doubles 7×7 to 14×14
 and then to 28×28. The library's layer agrees with the formula (checked here on the
 figure's example), and the figure draws the construction.
 */
// snippet.dcgan-size-formula
let diagram = orExit {
    try TransposedConvolutionDiagram(inputSize: 3, kernelSize: 4, stride: 2, padding: 1,
                                     note: "The DCGAN generator uses the same k, s and p twice: 7×7 → 14×14 → 28×28.")
}
let measured = convTranspose2d(.zeros([1, 1, 3, 3]), weight: .zeros([1, 1, 4, 4]), stride: 2, padding: 1)
precondition(measured.shape == [1, 1, diagram.outputSize, diagram.outputSize], "the layer disagrees with the formula")
// snippet.end
orExit { try diagram.write(to: run.figurePath("transposed_convolution")) }

/*:
 ## The two players
 The DCGAN recipe: strided convolutions instead of pooling, batch normalisation in both
 networks (but not on G's output or D's input), ReLU in G with tanh at the end,
 LeakyReLU(0.2) in D, weights drawn from N(0, 0.02), and Adam with lr 2·10⁻⁴ and β₁ = 0.5.
 */
// snippet.dcgan-setup
var weights = run.generator("weights")
let (G, D) = orExit { try dcganNetworks(latent: latent, for: images, using: &weights) }
initializeDCGAN(G, using: &weights)
initializeDCGAN(D, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
let optimizerD = Adam(D.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
// snippet.end

run.checkpointing(models: [("generator", G), ("discriminator", D)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerD)])
let batches = run.batches(of: images)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)

/*:
 ## One training iteration
 The minimax chapter's iteration (`MinimaxGAN`, written once for any pair of networks, so
 that the MLP comparison below trains with exactly the same code): D steps on real and
 (detached) generated images with binary cross-entropy on its logits, then G steps to
 make the updated D call its images real.
 */
// snippet.dcgan-step
let gan = MinimaxGAN(generator: G, discriminator: D, generatorOptimizer: optimizerG,
                     discriminatorOptimizer: optimizerD, latent: latent)
let started = ContinuousClock.now
run.train(metrics: ["d_loss", "g_loss", "d_real", "d_fake"], snapshot: { G(fixedNoise) }) { _, random in
    let step = gan.trainStep(real: batches.next(), using: &random)
    return [step.discriminatorLoss, step.generatorLoss, step.realScore, step.fakeScore]
}
// snippet.end
let trainingTime = ContinuousClock.now - started

/*:
 ## What training looked like
 */
run.writeSampleFigures()
run.plot("losses", title: "DCGAN losses", yTitle: "binary cross-entropy",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("scores", title: "What the discriminator believes", yTitle: "mean D(·), probability of real",
         series: [("d_real", "D(x), real images"), ("d_fake", "D(G(z)), generated images")])

/*:
 ## Walking through the latent space
 Each row decodes ten points on the way between two fixed noise vectors. A generator that
 has learned a smooth map from z to images morphs one garment into another; one that has
 memorised training images would jump between them.
 */
// snippet.dcgan-interpolation
var endpoints = run.generator("interpolation")
let paths = (0..<6).map { _ in
    sphericalInterpolation(from: Tensor.randomNormal([latent], using: &endpoints).values,
                           to: Tensor.randomNormal([latent], using: &endpoints).values, steps: 10)
}
let morphs = evaluating { G(Tensor.concatenate(paths)) }
// snippet.end
orExit {
    try SampleGrid(pixels: morphs.values, channels: images.channels, height: images.height, width: images.width,
                   columns: 10, caption: "Ch11.4 DCGAN — spherical interpolation between fixed z pairs, step \(run.step)")
        .write(to: run.figurePath("interpolation"))
}

/*:
 ## The MLP GAN on the same budget (exercise 11.2)
 With `--compare-mlp`, the minimax chapter's MLPs train with the same iteration, data and
 seed for as long as the DCGAN took, and their samples go next to the DCGAN's.
 */
if options.compareMlp {
    // snippet.dcgan-compare
    let mlpRun = TrainingRun(name: "ch11_4_dcgan_mlp", title: "Ch11.2 MLP GAN", settings: run.settings)
    var mlpWeights = mlpRun.generator("weights")
    let mlpG = mlpGenerator(latent: latent, pixels: images.imageSize, using: &mlpWeights)
    let mlpD = mlpDiscriminator(pixels: images.imageSize, using: &mlpWeights)
    let mlpGAN = MinimaxGAN(
        generator: mlpG, discriminator: mlpD,
        generatorOptimizer: Adam(mlpG.parameters, learningRate: run.settings.learningRate, beta1: 0.5),
        discriminatorOptimizer: Adam(mlpD.parameters, learningRate: run.settings.learningRate, beta1: 0.5),
        latent: latent)
    let mlpBatches = mlpRun.batches(of: images)
    var random = mlpRun.generator("noise")
    var mlpSteps = 0
    let deadline = ContinuousClock.now + trainingTime
    repeat {
        _ = mlpGAN.trainStep(real: mlpBatches.next().reshaped([batchSize, -1]), using: &random)
        mlpSteps += 1
    } while ContinuousClock.now < deadline
    // snippet.end
    let seconds = Int(trainingTime.components.seconds)
    print("MLP GAN: \(mlpSteps) steps in the DCGAN's \(seconds) s (DCGAN: \(run.step) steps)")
    orExit {
        let mlpSamples = evaluating { mlpG(fixedNoise) }.reshaped([-1] + images.imageShape)
        let dcganSamples = evaluating { G(fixedNoise) }
        try FigureGrid.sideBySide(title: "The same \(seconds) seconds of training, the same noise", [
            ("MLP GAN, \(mlpSteps) steps", try mlpRun.sampleGrid(mlpSamples, caption: "Ch11.2 minimax MLPs")),
            ("DCGAN, \(run.step) steps", try run.sampleGrid(dcganSamples, caption: "Ch11.4 DCGAN")),
        ]).write(to: run.figurePath("vs_mlp"))
    }
}
run.finish()
