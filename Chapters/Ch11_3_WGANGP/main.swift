/*:
 ## 11.3 Training GANs: a gradient penalty and other techniques

 ### 11.3.1 WGAN-GP: a gradient penalty instead of clipping

 #### From clipping to a gradient penalty

 Clipping keeps the critic Lipschitz by brute force, and it shows: the weights pile up at
 ±c, the critic can only represent simple functions, and the constant c trades vanishing
 gradients (c too small) against exploding ones (c too large). Gulrajani et al. (2017)
 observed that a differentiable f is 1-Lipschitz exactly when $\|\nabla f\| \le 1$
 everywhere, and that the optimal critic has gradient norm 1 on the straight lines between
 real and generated points that the optimal transport plan pairs (their Prop. 1). Pairing a
 real and a generated sample at random, as below, is a heuristic that does not follow from
 it, but works. So they **penalise** the critic's gradient norm there instead:

 $$L_C = \mathbb{E}_z[C(G(z))] - \mathbb{E}_x[C(x)] + \lambda\,\mathbb{E}_{\hat x}\big[(\|\nabla_{\hat x} C(\hat x)\|_2 - 1)^2\big],\qquad \hat x = \varepsilon x + (1-\varepsilon)G(z),\; \varepsilon \sim U[0,1],$$

 with λ = 10 (`--lambda`), one ε per sample, and the norm of each sample's gradient taken
 over all of its pixels. The critic must not use batch normalisation, which would make one
 sample's score (and so its gradient) depend on the others in the batch.

 This file is the section: `swift run Ch11_3_WGANGP` runs it (`--help` lists every option,
 `--compare` adds the weight-clipped run of the last part).
 */
import NN
import Tensor
import Workbook

let settings = options.training.settings
let latent = settings.latentDimension

/*:
 #### Double backpropagation

 The penalty contains a gradient, $\nabla_{\hat x} C(\hat x)$, and the critic's update needs
 the gradient *of the penalty* with respect to the critic's weights: a gradient of a
 gradient. Our `gradients(of:wrt:createGraph:)` records the backward pass itself when asked
 (`createGraph: true`), exactly like `torch.autograd.grad(..., create_graph=True)`; every
 backward rule in the library is written with differentiable tensor operations, and each
 operation's second derivative is checked against finite differences in the test suite.
 The penalty lives in `Sources/Workbook/GAN/Wasserstein.swift`:

 <!-- snippet: Sources/Workbook/GAN/Wasserstein.swift#gradient-penalty -->

 The original chapter called `backward()` and then read `.grad()` without `create_graph`.
 That yields the numbers of the gradient but not its dependence on the weights: the penalty
 enters the loss as a constant and never changes the critic.
 `ErrataTests.gradientPenaltyReachesTheCriticsWeights` shows that version's penalty having a
 zero gradient with respect to the critic's weights, while ours matches finite differences.

 The critic's step, shown in the WGAN section (`WassersteinGAN.criticStep` in
 `Sources/Workbook/GAN/WassersteinTraining.swift`), adds λ times this penalty to the
 Wasserstein loss in each of its `--n-critic` updates.

 #### One recipe, two constraints

 Both runs below use the same networks (the minimax chapter's MLPs, no batch normalisation
 in the critic), the same seed and the same number of iterations. Only the Lipschitz
 constraint and its optimiser differ: WGAN-GP uses Adam (lr 10⁻⁴, β = (0, 0.9)) as in its
 paper, weight clipping RMSprop (lr 5·10⁻⁵) as in the WGAN paper.
 */
// snippet.wgangp-setup
/// The 64 noise vectors whose images a run's sample grids show.
func fixedNoise(of run: TrainingRun) -> Tensor {
    var noise = run.generator("fixed noise")
    return Tensor.randomNormal([64, latent], using: &noise)
}

func trainWasserstein(_ constraint: LipschitzConstraint, name: String, title: String) -> TrainingRun {
    let run = TrainingRun(name: name, title: title, settings: settings)
    let images = run.loadImages(from: options.data.data)
    var weights = run.generator("weights")
    let G = mlpGenerator(latent: latent, pixels: images.imageSize, using: &weights)
    let critic = mlpDiscriminator(pixels: images.imageSize, using: &weights)
    let (optimizerG, optimizerC): (any Optimizer, any Optimizer) = switch constraint {
    case .gradientPenalty:
        (Adam(G.parameters, learningRate: settings.generatorLearningRate, beta1: settings.beta1, beta2: settings.beta2),
         Adam(critic.parameters, learningRate: settings.discriminatorLearningRate, beta1: settings.beta1, beta2: settings.beta2))
    case .weightClipping:
        (RMSprop(G.parameters, learningRate: 5e-5), RMSprop(critic.parameters, learningRate: 5e-5))
    }
    let wgan = WassersteinGAN(generator: G, critic: critic, generatorOptimizer: optimizerG,
                              criticOptimizer: optimizerC, constraint: constraint,
                              criticUpdates: options.nCritic, latent: latent)
    run.checkpointing(models: [("generator", G), ("critic", critic)],
                      optimizers: [("generator", optimizerG), ("critic", optimizerC)])
    run.train(wgan, on: run.batches(of: images, perStep: options.nCritic), snapshotNoise: fixedNoise(of: run))
    run.writeSampleFigures()
    return run
}
// snippet.end

/*:
 `run.train` is the harness's loop (`Sources/Workbook/Harness/TrainingRun.swift`): it calls
 the step once per generator iteration, logs its numbers to a CSV file, checkpoints after
 every epoch and keeps a sample grid of the fixed noise batch.

 #### What a run looks like

 ```sh
 swift run Ch11_3_WGANGP             # 5 epochs of WGAN-GP
 swift run Ch11_3_WGANGP --compare   # then weight clipping on the same budget, and both side by side
 ```
 */
let penaltyRun = trainWasserstein(.gradientPenalty(lambda: options.lambda), name: "ch11_3_wgangp",
                                  title: "Ch11.3 WGAN-GP (gradient penalty)")
penaltyRun.plotWassersteinCurves(label: "gradient penalty, λ = \(options.lambda)")
penaltyRun.plot("penalty", title: "Gradient penalty", yTitle: "E[(‖∇C(x̂)‖ − 1)²]",
                series: [("penalty", "penalty term, before λ")], logarithmicY: true)
penaltyRun.finish()

/*:
 ![Samples of WGAN-GP after five epochs](figures/ch11_3_wgangp_samples.png)

 *`swift run Ch11_3_WGANGP`: samples from a fixed batch of noise after 935
 generator iterations.*

 With the same networks, data and number of iterations that left the weight-clipped WGAN
 drawing one blurred silhouette, the penalised critic gives a generator that draws
 trousers, pullovers, shirts, sneakers and boots, smoother than the minimax GAN's
 after five times as many generator updates.

 ![The critic's estimate of W](figures/ch11_3_wgangp_wasserstein.png)

 ![The critic's gradient norm at interpolates](figures/ch11_3_wgangp_gradient_norm.png)

 *Both: `swift run Ch11_3_WGANGP`.*

 The estimate of W is what makes a Wasserstein GAN pleasant to train: after the critic's
 first rise (a fast one, with a dip, then a slower one to a peak near iteration 110) it
 falls as the samples improve, with one bump on the way, so the curve doubles as a
 progress bar for quality, something the minimax losses never were. The gradient norm at
 the interpolates settles a little above 1, where the penalty holds it.

 #### Clipping against the penalty, side by side

 With `--compare`, the same budget goes to a weight-clipped critic, and one figure puts the
 two runs side by side. That run is §11.2's `Ch11_2_WGAN` run: the same networks, optimiser,
 seed, data and budget, and a log identical to it byte for byte. So `--compare-log` and
 `--compare-generator` read that run's log and generator instead of training it a second
 time, which is what the book's figure does.
 */
let clippingRun: (any RecordedRun)?
if let log = options.compareLog, let generator = options.compareGenerator {
    clippingRun = orExit {
        try SavedRun(logPath: log, generatorPath: generator, metrics: ["w_estimate", "grad_norm"],
                     samplesOf: fixedNoise(of: penaltyRun), drawnBy: penaltyRun)
    }
} else if options.compare {
    let run = trainWasserstein(.weightClipping(0.01), name: "ch11_3_wgangp_clipping", title: "Ch11.3 WGAN (weight clipping)")
    run.finish()
    clippingRun = run
} else {
    clippingRun = nil
}
if let clippingRun {
    // snippet.hide
    let estimates = LinePlot(
        title: "Wasserstein estimate, same data and budget", xTitle: "generator iteration",
        yTitle: "E[C(x)] − E[C(G(z))]",
        series: [LinePlot.Series(name: "gradient penalty", values: orExit { try penaltyRun.values(of: "w_estimate") }, smoothing: 0.98),
                 LinePlot.Series(name: "weight clipping", values: orExit { try clippingRun.values(of: "w_estimate") }, smoothing: 0.98)],
        logarithmicY: false)
    let norms = LinePlot(
        title: "Critic gradient norm at interpolates", xTitle: "generator iteration", yTitle: "mean ‖∇C(x̂)‖",
        series: [LinePlot.Series(name: "gradient penalty", values: orExit { try penaltyRun.values(of: "grad_norm") }, smoothing: 0.98),
                 LinePlot.Series(name: "weight clipping", values: orExit { try clippingRun.values(of: "grad_norm") }, smoothing: 0.98)],
        logarithmicY: true)
    // Bottom row: the final samples, penalty left and clipping right.
    let samples: [any Figure] = [penaltyRun.finalSamples, clippingRun.finalSamples].compactMap { $0 }
    orExit {
        try FigureGrid(title: "Weight clipping vs gradient penalty, \(penaltyRun.totalSteps) generator iterations each",
                       cells: [[estimates, norms], samples])
            .write(to: penaltyRun.figurePath("clipping_vs_penalty"))
    }
    // snippet.show
}

/*:
 ![Weight clipping vs gradient penalty](figures/ch11_3_wgangp_clipping_vs_penalty.png)

 *`swift run Ch11_3_WGANGP --compare-log figures/ch11_2_wgan_log.csv --compare-generator models/ch11_2_wgan_generator.safetensors`
 (or `swift run Ch11_3_WGANGP --compare`, which trains the clipped run again and draws the same
 curves): both critics trained on the same data, seed and number of iterations. Top: the Wasserstein estimates and the critics' gradient norms;
 bottom: the final samples, penalty left and clipping right.*

 The clipped critic's estimate is smaller, peaking at 8.3 where the penalised critic's
 reaches 18.0, and it climbs over the run instead of falling (2.74 over the last 100
 iterations, against 5.46): its Lipschitz constant is set by c rather than learned, so it
 measures a scaled-down and noisy W that does not track the samples' progress. Its gradient norm
 stays below 1, which is the vanishing-gradient side of clipping; the penalised
 critic's sits near 1 by construction.
 */

/*:
 #### Exercises for 11.3.1

 ##### Exercise 11.3.1: a penalty too weak

     swift run Ch11_3_WGANGP --lambda 0.1 --out runs/wgangp-lambda0.1

 The penalty's weight is a hundredth of the default. In
 `ch11_3_wgangp_gradient_norm.png`, does the critic's gradient norm at the interpolates stay
 near 1? Does the estimate of W in `ch11_3_wgangp_wasserstein.png` still fall as the samples
 improve, and do the samples improve?

 ##### Exercise 11.3.2: a penalty too strong

     swift run Ch11_3_WGANGP --lambda 100 --out runs/wgangp-lambda100

 The penalty now weighs ten times the default. Compare `ch11_3_wgangp_penalty.png` and the
 gradient-norm figure with the default run's: how much closer to 1 is the norm held, and what
 does the critic give up for it (look at the estimate of W and at the samples)?

 ##### Exercise 11.3.3: one critic update per generator update

     swift run Ch11_3_WGANGP --n-critic 1 --out runs/wgangp-ncritic1

 Each generator iteration now costs one critic update instead of five, so the same five
 epochs give five times as many generator iterations. Is the estimate of W still a usable
 progress bar for sample quality, or does it stop tracking the samples when the critic is
 no longer kept near its optimum?

 #### What 11.3.1 showed

 - A differentiable function is 1-Lipschitz exactly when its gradient norm never exceeds 1,
   so WGAN-GP penalises the critic's gradient norm for straying from 1 at random points
   between real and generated samples, one interpolation weight and one norm over all pixels
   per sample, in a critic without batch normalisation.
 - The penalty contains a gradient, so training the critic needs the gradient of a gradient:
   `gradients(of:wrt:createGraph: true)` records the backward pass so that it can be
   differentiated again.
 - The original code's penalty entered the loss as a constant and never changed the critic;
   an errata test shows that version's zero gradient and ours matching finite differences.
 - The penalised and the clipped critic share networks, seed, data, budget and iteration;
   only the constraint and its optimiser differ (Adam with β = (0, 0.9) against RMSprop).
 - With the penalty, the estimate of W falls as the samples improve and the gradient norm at
   the interpolates settles a little above 1; the clipped critic on the same budget gives a
   smaller estimate that climbs instead, with a gradient norm well below 1.
 */
