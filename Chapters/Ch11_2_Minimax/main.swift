/*:
 # 11.2 The minimax GAN

 A generator G turns noise z into images; a discriminator D scores how real an image
 looks. They play the game

     min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))]

 Both are small multi-layer perceptrons here, trained on Fashion-MNIST.
 Run it with `swift run Ch11_2_Minimax` (`--help` lists every option).
 */
import ArgumentParser
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 5
    static let batchSize = 64
    static let learningRate: Float = 2e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_2_Minimax", abstract: "The original (minimax) GAN with MLPs on Fashion-MNIST.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Generator loss: non-saturating, −log D(G(z)), or saturating, log(1 − D(G(z))).")
    var loss: GeneratorLossKind = .nonSaturating

    @Option(help: "One-sided label smoothing: the target for real images (1 = none; 0.9 is usual).")
    var labelSmoothing: Float = 1

    @Option(help: "Instance noise: initial std of Gaussian noise added to D's inputs, annealed to 0.")
    var instanceNoise: Float = 0

    func validate() throws {
        guard labelSmoothing > 0.5, labelSmoothing <= 1 else {
            throw ValidationError("--label-smoothing must be in (0.5, 1], got \(labelSmoothing); try 0.9")
        }
        guard instanceNoise >= 0, instanceNoise.isFinite else {
            throw ValidationError("--instance-noise must be 0 or more, got \(instanceNoise); try 0.1")
        }
    }
}
// snippet.show

let options = Options.parseCommandLine()
let run = TrainingRun(name: "ch11_2_minimax", title: "Ch11.2 minimax GAN", settings: options.training.settings)
let images = run.loadImages(from: options.data.data)
let pixels = images.imageSize          // 28 × 28 = 784
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 ## The two players
 G maps z ∈ ℝ¹⁰⁰ through three ReLU layers to 784 pixels squashed by tanh into [−1, 1],
 the range the real images are scaled to (the original chapter fed D real images in
 [0, 1] and fakes in [−1, 1], a giveaway D could learn in one step).
 D maps 784 pixels to a single logit: no sigmoid at the end, the loss applies it stably.
 Both are defined once in the library (`mlpGenerator`, `mlpDiscriminator`), because the
 WGAN chapters reuse them. Adam with β₁ = 0.5, as DCGAN recommends for GANs.
 */
// snippet.minimax-models
var weights = run.generator("weights")
let G = mlpGenerator(latent: latent, pixels: pixels, using: &weights)
let D = mlpDiscriminator(pixels: pixels, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.learningRate, beta1: 0.5)
let optimizerD = Adam(D.parameters, learningRate: run.settings.learningRate, beta1: 0.5)
// snippet.end

run.checkpointing(models: [("generator", G), ("discriminator", D)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerD)])
let batches = run.batches(of: images)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)

/*:
 ## One training iteration
 First D takes a step to tell real from generated images, with the fakes detached so
 that this step does not move G. Then G takes a step to make D call its images real;
 the gradient flows back through D into G, and only G's parameters are updated. The
 iteration lives in the library (`MinimaxGAN.trainStep`) because the DCGAN and toy
 chapters play the same game; the options of §11.3 switch on its tricks.
 */
// snippet.minimax-train
let gan = MinimaxGAN(generator: G, discriminator: D, generatorOptimizer: optimizerG,
                     discriminatorOptimizer: optimizerD, latent: latent)
gan.generatorLossKind = options.loss
gan.realTarget = options.labelSmoothing
gan.instanceNoise = InstanceNoise(initial: options.instanceNoise, totalSteps: run.totalSteps)
run.train(metrics: MinimaxStep.metrics, snapshot: { G(fixedNoise).reshaped([-1] + images.imageShape) }) { step, random in
    gan.trainStep(real: batches.next().reshaped([batchSize, pixels]), step: step, using: &random).values
}
// snippet.end

/*:
 ## What training looked like
 */
run.writeSampleFigures()
run.plot("losses", title: "Minimax GAN losses", yTitle: "binary cross-entropy",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("scores", title: "What the discriminator believes", yTitle: "mean D(·), probability of real",
         series: [("d_real", "D(x), real images"), ("d_fake", "D(G(z)), generated images")])
run.plot("generator_gradient", title: "Gradient reaching the generator", yTitle: "‖∇θ loss_G‖",
         series: [("g_grad_norm", "generator, --loss \(options.loss.rawValue)")], logarithmicY: true)
run.finish()
