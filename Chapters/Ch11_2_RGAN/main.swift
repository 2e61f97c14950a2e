/*:
 # 11.2 The relativistic GAN

 A standard discriminator rates each image on its own: "is x real?". Jolicoeur-Martineau
 (2018) noticed that this ignores something every observer knows: in a batch that is half
 real, if the fakes start to look more real, the real images should start to look *less*
 certain. A relativistic discriminator C therefore rates real against fake,
 "is x_r more real than x_f?", and the generator's loss then also involves the real images.

 The original chapter trains the relativistic *average* least-squares form (RaLSGAN):

     L_C = E[(C(x_r) − E C(x_f) − 1)²] + E[(C(x_f) − E C(x_r) + 1)²]
     L_G = E[(C(x_f) − E C(x_r) − 1)²] + E[(C(x_r) − E C(x_f) + 1)²]

 with DCGAN-style networks, z ~ U[−1, 1]¹²⁸, batches of 32 and Adam(10⁻⁴, β = (0.5, 0.999)).
 Run it with `swift run Ch11_2_RGAN`; `--loss rsgan|rasgan|bce` swaps the loss, and
 `--images DIR` trains the original's 64×64 RGB networks on a folder of photos.
 */
import ArgumentParser
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 1
    static let batchSize = 32
    static let learningRate: Float = 1e-4
    static let latentDimension = 128
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_2_RGAN", abstract: "Relativistic average least-squares GAN with DCGAN networks.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan
}
// snippet.show

let options = Options.parseCommandLine()
let run = TrainingRun(name: "ch11_2_rgan", title: "Ch11.2 relativistic GAN (\(options.loss.rawValue))",
                      settings: options.training.settings)
let images = run.loadImages(from: options.source)
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 ## The networks
 The original's 64×64 networks scaled down to Fashion-MNIST's 28×28: the DCGAN chapter's
 generator and discriminator (with `--images`, the original's 64×64 RGB pair). The
 discriminator's last layer is a plain score C(x), as every relativistic loss needs.
 */
// snippet.rgan-setup
var weights = run.generator("weights")
let (G, C) = orExit { try dcganNetworks(latent: latent, for: images, using: &weights) }
initializeDCGAN(G, using: &weights)
initializeDCGAN(C, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
let optimizerC = Adam(C.parameters, learningRate: run.settings.learningRate, beta1: 0.5, beta2: 0.999)
// snippet.end

run.checkpointing(models: [("generator", G), ("discriminator", C)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerC)])
let batches = run.batches(of: images)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomUniform([64, latent], in: -1..<1, using: &noise)
var progress: [(title: String, figure: any Figure)] = []
let progressSteps = Set((1...5).map { run.totalSteps * $0 / 5 })

/*:
 ## One training iteration
 The loop runs for `--epochs` or `--steps` and then stops. (The original chapter looped
 over 100,000,000 batches with no other way out.) C steps first, on
 real images and detached fakes; then G steps on the same batch scored by the updated C.
 */
run.train(metrics: AdversarialStep.metrics, snapshot: { G(fixedNoise) }) { step, random in
    // snippet.rgan-step
    let real = batches.next()
    let fake = G(Tensor.randomUniform([batchSize, latent], in: -1..<1, using: &random))
    let result = options.loss.trainStep(real: real, fake: fake, discriminator: C, discriminatorOptimizer: optimizerC,
                                        generatorParameters: G.parameters, generatorOptimizer: optimizerG)
    // snippet.end
    if progressSteps.contains(step + 1) {
        let samples = evaluating { G(fixedNoise.slice(0..<16)) }
        progress.append(("step \(step + 1)", orExit { try run.sampleGrid(samples, caption: "") }))
    }
    return result.values
}

/*:
 ## What training looked like
 The losses, how much more real C rates real images than fakes (the quantity the
 relativistic losses are built on), and the same 16 noise vectors decoded as training went on.
 */
run.writeSampleFigures()
run.plot("losses", title: "Relativistic GAN losses (\(options.loss.rawValue))", yTitle: "loss",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("realism_gap", title: "How much more real the real images look", yTitle: "E[C(x_r)] − E[C(x_f)]",
         series: [("realism_gap", "discriminator's score gap")])
if !progress.isEmpty {
    orExit {
        try FigureGrid.sideBySide(title: "Ch11.2 relativistic GAN (\(options.loss.rawValue)): the same noise during training",
                                  progress).write(to: run.figurePath("progress"))
    }
}
run.finish()
