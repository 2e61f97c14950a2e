/*:
 ### 11.2.2 The minimax GAN

 #### The game

 A GAN trains two networks against each other. The **generator** G turns a noise vector
 z ~ N(0, I) into an image; the **discriminator** D looks at an image and outputs the
 probability that it came from the data rather than from G. They play

 $$\min_G \max_D \; V(D, G) = \mathbb{E}_{x \sim p_\text{data}}[\log D(x)] + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z)))].$$

 For a fixed G the best discriminator is $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_G(x))$,
 and putting it back into V gives $V(D^*, G) = 2\,\mathrm{JS}(p_\text{data} \,\|\, p_G) - \log 4$:
 with a perfect discriminator, the generator minimises the Jensen–Shannon divergence between
 the data and its own distribution. The JS divergence is symmetric and bounded by log 2, and
 that bound is the root of the trouble later in this chapter: when the two distributions
 barely overlap, as they do at the start of training, JS sits at its maximum and its
 gradient with respect to G is zero. (The non-saturating loss G is trained with below does
 not minimise JS either: Arjovsky & Bottou 2017, Thm 2.5, show its expected gradient
 minimises KL(p_G ‖ p_data) − 2·JS. Reverse KL barely charges G for leaving out a mode of
 the data and heavily for putting mass where there is none, the asymmetry behind mode
 dropping; forward KL, which maximum likelihood minimises, does the opposite.)

 Both players here are small multi-layer perceptrons, trained on Fashion-MNIST. This section
 is the file `Chapters/Ch11_2_Minimax/main.swift`: `swift run Ch11_2_Minimax` runs it
 (`--help` lists every option; `Options.swift` beside it declares them as `options`).
 */
import NN
import Tensor
import Workbook

let run = TrainingRun(name: "ch11_2_minimax", title: "Ch11.2 minimax GAN", settings: options.training.settings)
let images = run.loadImages(from: options.data.data)
let pixels = images.imageSize          // 28 × 28 = 784
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize
run.writeRealImages(images)

/*:
 Before the generator draws anything, here is what it is asked to imitate: 64 training
 images, picked by the seed (the same 64 on every run), in the same grid that will show the
 samples. Fashion-MNIST has ten classes of clothing, each a 28×28 grey-level photo on a
 black background: T-shirts, trousers, pullovers, dresses, coats, sandals, shirts,
 sneakers, bags and ankle boots.

 ![64 Fashion-MNIST training images](figures/ch11_2_minimax_real.png)

 *`swift run Ch11_2_Minimax`: 64 images of the training set, the yardstick for every sample grid in this book.*
 */

/*:
 #### The networks

 The generator and discriminator are the original chapter's multi-layer perceptrons. G maps
 z ∈ ℝ¹⁰⁰ through three ReLU layers to 784 pixels squashed by tanh into [−1, 1], so the real
 images are scaled to the same range, [−1, 1]. D maps 784 pixels to a single logit: no
 sigmoid at the end, the loss applies it stably. Both are defined once in the library
 (`mlpGenerator` and `mlpDiscriminator` in `Sources/Workbook/GAN/Architectures.swift`),
 because the WGAN chapters reuse them:

 <!-- snippet: Sources/Workbook/GAN/Architectures.swift#mlp-models -->

 Each player gets Adam with β₁ = 0.5, as DCGAN recommends for GANs. The fixed noise batch
 is decoded after every epoch, so the sample grids show the same 64 vectors as training
 goes on.
 */
var weights = run.generator("weights")
let G = mlpGenerator(latent: latent, pixels: pixels, using: &weights)
let D = mlpDiscriminator(pixels: pixels, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.generatorLearningRate,
                      beta1: run.settings.beta1, beta2: run.settings.beta2)
let optimizerD = Adam(D.parameters, learningRate: run.settings.discriminatorLearningRate,
                      beta1: run.settings.beta1, beta2: run.settings.beta2)

run.checkpointing(models: [("generator", G), ("discriminator", D)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerD)])
let batches = run.batches(of: images)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)

/*:
 #### One iteration

 Each iteration updates D once and then G once. D's update uses the generated batch
 *detached* from G, so that it does not move G; G's update sends the gradient of its loss
 back through the (just updated) D into G, and only G's parameters change. Our
 `gradients(of:wrt:)` follows only the part of the graph that leads to the parameters it is
 asked for, so the generator's step never pays for gradients of D's weights. The iteration
 is written once, in `MinimaxGAN.trainStep` (`Sources/Workbook/GAN/MinimaxTraining.swift`),
 because the DCGAN and toy chapters play the same game (the `noisy` calls add §11.3's
 instance noise when it is switched on):

 <!-- snippet: Sources/Workbook/GAN/MinimaxTraining.swift#minimax-step -->

 #### Saturating and non-saturating generator losses

 The step's two losses live in `Sources/Workbook/GAN/Losses.swift`. Taken literally, the
 generator minimises $\mathbb{E}[\log(1 - D(G(z)))]$. Early on D
 rejects fakes with confidence, $D(G(z)) \approx 0$, where $\log(1 - D)$ is flat: the
 gradient reaching G vanishes. The usual remedy keeps the same fixed point but changes the
 generator's loss to $-\mathbb{E}[\log D(G(z))]$, which is steep exactly where the other is
 flat. Both are one line in our library, written on D's logits (its raw score before the
 sigmoid), so that no logarithm of an underflowed probability can ever appear:

 <!-- snippet: Sources/Workbook/GAN/Losses.swift#minimax-losses -->

 The chapter hands the step its networks, optimisers and options (`--loss` picks the
 generator's loss; §11.3's `--label-smoothing` and `--instance-noise` switch on its tricks),
 and the training harness calls it once per iteration:
 */
let gan = MinimaxGAN(generator: G, discriminator: D, generatorOptimizer: optimizerG,
                     discriminatorOptimizer: optimizerD, latent: latent)
gan.generatorLossKind = options.loss
gan.realTarget = options.labelSmoothing
gan.instanceNoise = InstanceNoise(initial: options.instanceNoise, over: run)
run.train(metrics: MinimaxStep.metrics, snapshot: { G(fixedNoise).reshaped([-1] + images.imageShape) }) { step, random in
    gan.trainStep(real: batches.next().reshaped([batchSize, pixels]), step: step, using: &random).values
}

/*:
 #### What the original code got wrong

 Two bugs in the original chapter's minimax code are fixed here, each pinned by a test that
 the original's version fails (`Tests/WorkbookTests/ErrataTests.swift`):

 * **Mismatched ranges.** It fed the discriminator real images in [0, 1] and generated
   images in [−1, 1] (tanh). Any pixel below 0 then proves an image fake, which D learns at
   once, and G is pushed toward the wrong range. We scale real pixels to [−1, 1].
 * **`sigmoid().log()`.** The original forms the probability D = σ(x) of a logit x first and
   takes logarithms after, in two places, and each fails at one end of single precision.
   `D(x).log()` is log 0 = −∞ once a logit falls below about −88, where e^(−x) overflows and
   σ(x) underflows to 0. `(1 − D(G(z))).log()` fails much sooner: σ(x) rounds to exactly 1
   once x passes about +17 (e^(−17) is below the 2⁻²⁴ spacing of Float32 numbers near 1), so
   a fake that D confidently calls real already gives log 0. Either way the loss becomes
   infinite and training dies. On logits neither can happen, as the code below shows.

 Since −log σ(x) = softplus(−x) and −log(1 − σ(x)) = softplus(x), binary cross-entropy with
 target y is softplus(x) − x·y, which our losses compute without ever forming σ(x)
 (`Sources/NN/Losses.swift`):

 <!-- snippet: Sources/NN/Losses.swift#bce-on-logits -->

 and softplus(x) = log(1 + eˣ) is computed as max(x, 0) + log1p(e^(−|x|)), which never
 overflows and stays exact to rounding for any logit (`Sources/Tensor/Elementwise.swift`):

 <!-- snippet: Sources/Tensor/Elementwise.swift#softplus -->

 A smaller change: samples are written as one grid per epoch (and an animation), not as 64
 separate PNG files.

 #### What a run looks like

 ```sh
 swift run Ch11_2_Minimax          # 5 epochs of Fashion-MNIST, 4,685 iterations of 64 images
 ```

 After training, the chapter draws the last sample grid, the two losses, and what D
 believes about real and generated images:
 */
run.writeSampleFigures()
run.plot("losses", title: "Minimax GAN losses", yTitle: "binary cross-entropy",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("scores", title: "What the discriminator believes", yTitle: "mean D(·), probability of real",
         series: [("d_real", "D(x), real images"), ("d_fake", "D(G(z)), generated images")])

/*:
 ![Samples from a fixed batch of noise after five epochs](figures/ch11_2_minimax_samples.png)

 *`swift run Ch11_2_Minimax`: 64 samples from the same fixed noise, after the last epoch.
 [`ch11_2_minimax_samples.gif`](figures/ch11_2_minimax_samples.gif) animates the grid over the epochs.*

 After five epochs the generator draws the silhouettes of pullovers and shirts, of narrow
 upright garments (dresses, trousers) and of low, wide shoes, but speckled with noise, pixel
 by pixel: a plain MLP has no notion that neighbouring pixels belong together, and it keeps
 improving slowly for many more epochs. A run of the same recipe in PyTorch, made for
 comparison, gave samples of the same kind; section 11.4's convolutional generator removes
 the speckle far sooner.

 ![Losses of D and G over training](figures/ch11_2_minimax_losses.png)

 ![Mean D(x) on real and D(G(z)) on generated images](figures/ch11_2_minimax_scores.png)

 *Both: `swift run Ch11_2_Minimax`. Faint lines are per iteration, bold ones smoothed.*

 The curves tell the story of the game (the averages below are over 100 iterations of the
 run's log, `figures/ch11_2_minimax_log.csv`). In the first few hundred iterations D wins
 easily: D(x) climbs to 0.90 and the generator's loss rises to 3.76 in the first 600
 iterations, then stays high, peaking at 4.92 around iteration 3,200. D(G(z)) keeps falling for
 longer: its average first drops below 0.2 at iteration 837 and is lowest, 0.11, around
 iteration 2,600. The non-saturating loss keeps G's gradient large all that time, and
 from about iteration 3,300 G catches up: D(G(z)) rises, D(x) falls, and the losses move toward the values
 of a discriminator that can no longer tell (log 4 ≈ 1.39 for D, log 2 ≈ 0.69 for G)
 without reaching them in five epochs: over the last 500 iterations D's loss averages 0.86,
 G's 2.06, D(x) 0.72 and D(G(z)) 0.29.

 #### Seeing the vanishing gradient

 ```sh
 swift run Ch11_2_Minimax --loss saturating --out figures/saturating --checkpoint-dir checkpoints/saturating
 ```

 The chapter logs the norm of the gradient that reaches G's parameters at every iteration,
 and plots it:
 */
run.plot("generator_gradient", title: "Gradient reaching the generator", yTitle: "‖∇θ loss_G‖",
         series: [("g_grad_norm", "generator, --loss \(options.loss.rawValue)")], logarithmicY: true)
// snippet.hide
if let otherLog = options.compareWith {
    let other: GeneratorLossKind = options.loss == .saturating ? .nonSaturating : .saturating
    orExit {
        try GeneratorLossComparison.figure([
            .init(name: "\(options.loss.rawValue): \(options.loss.formula)", logPath: run.logPath),
            .init(name: "\(other.rawValue): \(other.formula)", logPath: otherLog),
        ]).write(to: run.figurePath("loss_comparison"))
    }
}
// snippet.show
run.finish()

/*:
 ![The saturating and the non-saturating loss on shared axes](figures/ch11_2_minimax_loss_comparison.png)

 *`swift run Ch11_2_Minimax --loss saturating --out figures/saturating --checkpoint-dir checkpoints/saturating`,
 then `swift run Ch11_2_Minimax --compare-with figures/saturating/ch11_2_minimax_log.csv`: the
 same networks, seed and data, once with log(1 − D(G(z))) and once with −log D(G(z)); each
 curve is labelled with its loss.*

 With −log D(G(z)), G's gradient norm grows to 10.7 on average over 100 iterations (20.0 at
 its largest) as soon as D starts rejecting its samples.
 While D is winning (the first 2,000 iterations), the saturating loss delivers a gradient
 about a thirteenth of the non-saturating one's on average, below 0.05 in 87 of those
 iterations and below 0.01 in 18. That is the flat region of log(1 − D) at D ≈ 0, measured. The
 generator still learns, slowly, because Adam rescales small gradients; with plain SGD the
 difference would be starker.
 */

/*:
 #### Exercises for 11.2.2

 Exercise 11.2.7, in the exercises at the end of the chapter, starts from this section: the
 same GAN on MNIST digits, the saturating loss, label smoothing, instance noise and other
 settings, each scored with the metrics of §11.5.

 #### What 11.2.2 showed

 - With the best discriminator for a fixed generator, the minimax game asks the generator to
   minimise the Jensen–Shannon divergence to the data, which is stuck at its maximum, with no
   gradient, while the two distributions barely overlap.
 - Both players here are multi-layer perceptrons: G ends in tanh, so real pixels are scaled
   to the same [−1, 1], and D returns a raw logit for the loss to use.
 - Each iteration updates D on real images and on generated ones detached from G, then updates
   G through the freshly updated D; `MinimaxGAN.trainStep` is that iteration, shared with the
   DCGAN and toy chapters.
 - The non-saturating loss −log D(G(z)) is steep where log(1 − D(G(z))) is flat; the
   gradient-norm figures show the saturating loss delivering a much smaller gradient while D
   is winning.
 - Binary cross-entropy written on logits with a stable softplus never takes the logarithm of
   an underflowed probability, which removes the original code's `sigmoid().log()` failure.
 - After five epochs the generator draws garment silhouettes speckled with noise, and the losses move
   toward the values of an undecided discriminator without reaching them.
 */
