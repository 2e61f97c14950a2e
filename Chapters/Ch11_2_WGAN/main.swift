/*:
 # 11.2 The Wasserstein GAN, with weight clipping

 The minimax GAN's discriminator is a classifier; when real and generated images are
 easy to tell apart its loss saturates and the generator learns nothing. The WGAN
 replaces it with a *critic* C that scores images, and trains it to estimate the
 Wasserstein (earth mover's) distance

     W(p_data, p_G) = sup over 1-Lipschitz f of  E_x[f(x)] − E_z[f(G(z))]

 (the Kantorovich–Rubinstein duality). The supremum is over 1-Lipschitz functions, so
 the critic must be kept Lipschitz: the original WGAN clips every weight to [−c, c]
 after each update. Run it with `swift run Ch11_2_WGAN`.
 */
import ArgumentParser
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 5
    static let batchSize = 64
    static let learningRate: Float = 5e-5
    static let latentDimension = 100
}

enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    case rmsprop, adam
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_2_WGAN", abstract: "Wasserstein GAN with weight clipping.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Clip every critic weight to [−c, c] after each critic update.")
    var clip: Float = 0.01

    @Option(help: "Critic updates per generator update.")
    var nCritic: Int = 5

    @Option(help: "rmsprop (the WGAN paper's choice) or adam (the original chapter's).")
    var optimizer: OptimizerChoice = .rmsprop

    func validate() throws {
        try requirePositive(clip, "--clip")
        try requirePositive(nCritic, "--n-critic")
    }
}
// snippet.show

let options = Options.parseCommandLine()
let run = TrainingRun(name: "ch11_2_wgan", title: "Ch11.2 WGAN (weight clipping)", settings: options.training.settings)
let images = run.loadImages(from: options.data.data)
let latent = run.settings.latentDimension

/*:
 ## Critic and generator
 The networks are the minimax chapter's; the critic's last layer is already linear,
 so its score is unbounded, as a critic's must be. RMSprop with a small learning rate
 is the WGAN paper's choice (momentum-based optimisers made clipped critics unstable).
 */
// snippet.wgan-setup
var weights = run.generator("weights")
let G = mlpGenerator(latent: latent, pixels: images.imageSize, using: &weights)
let critic = mlpDiscriminator(pixels: images.imageSize, using: &weights)
@MainActor func makeOptimizer(_ parameters: [Tensor]) -> any Optimizer {
    switch options.optimizer {
    case .rmsprop: RMSprop(parameters, learningRate: run.settings.learningRate)
    case .adam: Adam(parameters, learningRate: run.settings.learningRate)
    }
}
let wgan = WassersteinGAN(generator: G, critic: critic,
                          generatorOptimizer: makeOptimizer(G.parameters),
                          criticOptimizer: makeOptimizer(critic.parameters),
                          constraint: .weightClipping(options.clip),
                          criticUpdates: options.nCritic, latent: latent)
// snippet.end

run.checkpointing(models: [("generator", G), ("critic", critic)],
                  optimizers: [("generator", wgan.generatorOptimizer), ("critic", wgan.criticOptimizer)])
let batches = run.batches(of: images, perStep: options.nCritic)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)

/*:
 ## Training
 Each iteration makes `--n-critic` critic updates, each on a fresh real batch and each
 followed by clipping the stored weights, then one generator update (see
 `WassersteinGAN.trainStep` in the library).
 */
run.train(wgan, on: batches, snapshotNoise: fixedNoise)

/*:
 ## What clipping does to the critic
 After training, about half of the critic's weights sit at exactly ±c: clipping does not
 make the critic Lipschitz in a smart way, it pushes the weights to the box's corners and
 limits what the critic can represent.
 */
run.writeSampleFigures()
run.plotWassersteinCurves(label: "weight clipping, c = \(options.clip)")
let weightsFigure = Histogram(
    title: "Critic weights after training (clipped to ±\(options.clip))", xTitle: "weight value",
    values: weightValues(of: critic), bins: 60, logarithmicY: true)
orExit { try weightsFigure.write(to: run.figurePath("critic_weights")) }
run.finish()
