/*:
 # 11.3 WGAN-GP: a gradient penalty instead of clipping

 A differentiable function is 1-Lipschitz exactly when its gradient has norm at most 1
 everywhere. The optimal WGAN critic has gradient norm 1 almost everywhere on the lines
 between real and generated samples, so Gulrajani et al. (2017) replace weight clipping
 with a soft constraint on those lines:

     L_C = E[C(G(z))] − E[C(x)] + λ · E[(‖∇ₓ̂ C(x̂)‖₂ − 1)²],   x̂ = εx + (1 − ε)G(z)

 The penalty involves a gradient, so training the critic differentiates a gradient:
 double backpropagation. Run it with `swift run Ch11_3_WGANGP`; add `--compare` to train
 weight clipping and the penalty side by side on the same data and budget.
 */
import ArgumentParser
import NN
import Tensor
import Workbook

// snippet.hide
enum Defaults: ChapterDefaults {
    static let epochs = 5
    static let batchSize = 64
    static let learningRate: Float = 1e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_3_WGANGP", abstract: "Wasserstein GAN with gradient penalty (double backprop); --compare trains weight clipping too.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Weight λ of the gradient penalty.")
    var lambda: Float = 10

    @Option(help: "Critic updates per generator update.")
    var nCritic: Int = 5

    @Flag(help: "Also train WGAN with weight clipping (c = 0.01, RMSprop 5e-5) on the same data and budget, and compare.")
    var compare = false

    func validate() throws {
        try requirePositive(lambda, "--lambda")
        try requirePositive(nCritic, "--n-critic")
    }
}
// snippet.show

let options = Options.parseCommandLine()
let settings = options.training.settings
let latent = settings.latentDimension

/*:
 ## One recipe, two constraints
 Both runs use the same networks (the minimax chapter's MLPs; no BatchNorm in the critic,
 since the penalty is per sample and batch normalisation would couple the samples), the
 same seed and the same number of iterations. Only the Lipschitz constraint and its
 optimiser differ: WGAN-GP uses Adam(1e-4, β = (0, 0.9)) as in its paper.
 */
// snippet.wgangp-setup
@MainActor func trainWasserstein(_ constraint: LipschitzConstraint, name: String, title: String) -> TrainingRun {
    let run = TrainingRun(name: name, title: title, settings: settings)
    let images = run.loadImages(from: options.data.data)
    var weights = run.generator("weights")
    let G = mlpGenerator(latent: latent, pixels: images.imageSize, using: &weights)
    let critic = mlpDiscriminator(pixels: images.imageSize, using: &weights)
    let (optimizerG, optimizerC): (any Optimizer, any Optimizer) = switch constraint {
    case .gradientPenalty:
        (Adam(G.parameters, learningRate: settings.learningRate, beta1: 0, beta2: 0.9),
         Adam(critic.parameters, learningRate: settings.learningRate, beta1: 0, beta2: 0.9))
    case .weightClipping:
        (RMSprop(G.parameters, learningRate: 5e-5), RMSprop(critic.parameters, learningRate: 5e-5))
    }
    let wgan = WassersteinGAN(generator: G, critic: critic, generatorOptimizer: optimizerG,
                              criticOptimizer: optimizerC, constraint: constraint,
                              criticUpdates: options.nCritic, latent: latent)
    run.checkpointing(models: [("generator", G), ("critic", critic)],
                      optimizers: [("generator", optimizerG), ("critic", optimizerC)])
    var noise = run.generator("fixed noise")
    let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)
    run.train(wgan, on: run.batches(of: images, perStep: options.nCritic), snapshotNoise: fixedNoise)
    run.writeSampleFigures()
    return run
}
// snippet.end

let penaltyRun = trainWasserstein(.gradientPenalty(lambda: options.lambda), name: "ch11_3_wgangp",
                                  title: "Ch11.3 WGAN-GP (gradient penalty)")
penaltyRun.plotWassersteinCurves(label: "gradient penalty, λ = \(options.lambda)")
penaltyRun.plot("penalty", title: "Gradient penalty", yTitle: "E[(‖∇C(x̂)‖ − 1)²]",
                series: [("penalty", "penalty term, before λ")], logarithmicY: true)
penaltyRun.finish()

/*:
 ## Clipping against the penalty
 With `--compare`, the same budget goes to a weight-clipped critic. The figure puts the
 two Wasserstein estimates on one plot (they are on different scales: a clipped critic's
 Lipschitz constant is far below 1, so it underestimates W by a large factor) and the
 final samples next to each other.
 */
if options.compare {
    let clippingRun = trainWasserstein(.weightClipping(0.01), name: "ch11_3_wgangp_clipping",
                                       title: "Ch11.3 WGAN (weight clipping)")
    clippingRun.finish()
    let estimates = LinePlot(
        title: "Wasserstein estimate, same data and budget", xTitle: "generator iteration",
        yTitle: "E[C(x)] − E[C(G(z))]",
        series: [LinePlot.Series(name: "gradient penalty", values: penaltyRun.history["w_estimate"] ?? [], smoothing: 0.98),
                 LinePlot.Series(name: "weight clipping", values: clippingRun.history["w_estimate"] ?? [], smoothing: 0.98)],
        logarithmicY: false)
    let norms = LinePlot(
        title: "Critic gradient norm at interpolates", xTitle: "generator iteration", yTitle: "mean ‖∇C(x̂)‖",
        series: [LinePlot.Series(name: "gradient penalty", values: penaltyRun.history["grad_norm"] ?? [], smoothing: 0.98),
                 LinePlot.Series(name: "weight clipping", values: clippingRun.history["grad_norm"] ?? [], smoothing: 0.98)],
        logarithmicY: true)
    // Bottom row: the final samples, penalty left and clipping right.
    let samples: [any Figure] = [penaltyRun.snapshots.last, clippingRun.snapshots.last].compactMap { $0 }
    orExit {
        try FigureGrid(title: "Weight clipping vs gradient penalty, \(penaltyRun.totalSteps) generator iterations each",
                       cells: [[estimates, norms], samples])
            .write(to: penaltyRun.figurePath("clipping_vs_penalty"))
    }
}
