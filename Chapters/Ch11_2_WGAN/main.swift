/*:
 ### 11.2.3 The Wasserstein GAN

 #### Why a distance instead of a divergence

 When the data and the generator's samples live on thin, barely overlapping sets (and
 images do: they occupy a tiny part of pixel space), the Jensen–Shannon divergence is
 stuck at log 2 and tells the generator nothing about which way to move. The
 **Wasserstein-1** (earth mover's) distance does not have this problem: it is the least
 total "mass × distance" needed to move one distribution onto the other,

 $$W(p_\text{data}, p_G) = \inf_{\gamma \in \Pi(p_\text{data}, p_G)} \mathbb{E}_{(x, y) \sim \gamma}\,\|x - y\|,$$

 and it shrinks smoothly as the generated samples move toward the data, even when the two
 sets do not overlap at all.

 The infimum over couplings γ is intractable, but the **Kantorovich–Rubinstein duality**
 turns it into a supremum over functions:

 $$W(p_\text{data}, p_G) = \sup_{\|f\|_L \le 1} \; \mathbb{E}_{x \sim p_\text{data}}[f(x)] - \mathbb{E}_{z}[f(G(z))],$$

 where $\|f\|_L \le 1$ means f is 1-Lipschitz: $|f(a) - f(b)| \le \|a - b\|$. A neural
 network, the **critic** C, plays f. It is trained to maximise the gap between its mean
 score on real and on generated images, and the generator to raise the critic's score of
 its samples. The critic is not a classifier: it has no sigmoid, and its loss does not
 saturate.

 This section is the file `Chapters/Ch11_2_WGAN/main.swift`: `swift run Ch11_2_WGAN` runs it
 (`--help` lists every option; `Options.swift` beside it declares them as `options`).
 */
import NN
import Tensor
import Workbook

let run = TrainingRun(name: "ch11_2_wgan", title: "Ch11.2 WGAN (weight clipping)", settings: options.training.settings)
let images = run.loadImages(from: options.data.data)
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 #### Keeping the critic Lipschitz: weight clipping

 The duality only holds over Lipschitz functions. The original WGAN enforces this crudely:
 after every critic update, every weight is clipped to [−c, c] (c = 0.01, `--clip`). A
 network with bounded weights has a bounded Lipschitz constant K, so the best clipped critic
 estimates at most K·W, a scaled W and not W itself. It reaches K·W only if the clipped
 network can represent the optimal critic, and usually it cannot: a clipped critic
 underfits, as the weight histogram below and §11.3's comparison show.

 The networks are the minimax section's MLPs; the discriminator's last layer is already
 linear, so its score is unbounded, as a critic's must be. The WGAN paper
 trained them with RMSprop at learning rate 5·10⁻⁵, because momentum-based optimisers made
 clipped critics unstable; `--optimizer adam` tries the original chapter's choice.
 */
var weights = run.generator("weights")
let G = mlpGenerator(latent: latent, pixels: images.imageSize, using: &weights)
let critic = mlpDiscriminator(pixels: images.imageSize, using: &weights)
func makeOptimizer(_ parameters: [Tensor], learningRate: Float) -> any Optimizer {
    let settings = options.training.settings
    return switch options.optimizer {
    case .rmsprop: RMSprop(parameters, learningRate: learningRate)
    case .adam: Adam(parameters, learningRate: learningRate, beta1: settings.beta1, beta2: settings.beta2)
    }
}
let wgan = WassersteinGAN(generator: G, critic: critic,
                          generatorOptimizer: makeOptimizer(G.parameters, learningRate: run.settings.generatorLearningRate),
                          criticOptimizer: makeOptimizer(critic.parameters, learningRate: run.settings.discriminatorLearningRate),
                          constraint: .weightClipping(options.clip),
                          criticUpdates: options.nCritic, latent: latent)
run.checkpointing(models: [("generator", G), ("critic", critic)],
                  optimizers: [("generator", wgan.generatorOptimizer), ("critic", wgan.criticOptimizer)])

/*:
 #### One iteration

 The critic is trained more often than the generator (`--n-critic 5`), each time on a
 fresh real batch, so that it stays close to its optimum. The iteration,
 `WassersteinGAN.trainStep` in `Sources/Workbook/GAN/WassersteinTraining.swift`, is shared
 with WGAN-GP: `--n-critic` critic updates, then one generator update. Here is the critic's
 update (`criticStep`), where the two differ only in the constraint; under clipping, the
 stored weights are clipped after every update:

 <!-- snippet: Sources/Workbook/GAN/WassersteinTraining.swift#critic-step -->

 Its loss and the generator's are one line each, in `Sources/Workbook/GAN/Wasserstein.swift`:

 <!-- snippet: Sources/Workbook/GAN/Wasserstein.swift#wasserstein-losses -->

 After the critic's updates, the generator takes one step on a fresh noise batch, through
 the updated critic:

 <!-- snippet: Sources/Workbook/GAN/WassersteinTraining.swift#generator-step -->

 `run.train(_:on:snapshotNoise:)`, in the same file, is the loop: it calls `trainStep` once
 per generator iteration, handing it `--n-critic` fresh real batches, and logs the
 Wasserstein estimate, the generator's loss, the penalty (0 under clipping) and the
 critic's gradient norm to the run's CSV file:
 */
let batches = run.batches(of: images, perStep: options.nCritic)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomNormal([64, latent], using: &noise)
run.train(wgan, on: batches, snapshotNoise: fixedNoise)

/*:
 #### The original code clipped nothing

 The original chapter's WGAN computed each clamped weight and assigned it to a copy
 (`var.1 = clamped_var`), so the critic's weights were never clipped and its "Wasserstein
 estimate" could grow without bound. `clipValues(of:to:)` writes into the parameters'
 storage; `ErrataTests.weightClippingActsOnTheCriticItself` shows the copy-clipping leaving
 weights outside [−c, c] and ours pinning every one.

 #### What a run looks like

 ```sh
 swift run Ch11_2_WGAN             # 5 epochs: 935 generator iterations, 4,675 critic updates
 ```

 After training, the chapter draws the samples, the critic's estimate of W (with the
 generator's loss and the critic's gradient norm, which §11.3 compares with the penalty's),
 and a histogram of the critic's weights:
 */
run.writeSampleFigures()
run.plotWassersteinCurves(label: "weight clipping, c = \(options.clip)")
let weightsFigure = Histogram(
    title: "Critic weights after training (clipped to ±\(options.clip))", xTitle: "weight value",
    values: weightValues(of: critic), bins: 60, logarithmicY: true)
orExit { try weightsFigure.write(to: run.figurePath("critic_weights")) }

/*:
 Two measurements on one batch tell a collapsed generator from a merely blurry one
 (`CollapseDiagnostics` in `Sources/Workbook/GAN/CollapseDiagnostics.swift`): the **pixel
 spread**, each pixel's standard deviation across the batch averaged over the pixels, which
 is 0 when all images are the same; and the **alignment** of the critic's input gradients,
 the mean cosine between each image's ∇ₓC(x) and the batch's mean gradient, which is 1 when
 the critic pushes every image in the same direction. The chapter takes both for the fixed
 noise batch's samples and for 64 real training images:
 */
let generatedImages = evaluating { G(fixedNoise) }
let collapse = CollapseDiagnostics.table([
    ("64 generated images (fixed noise)", CollapseDiagnostics(critic: { critic($0) }, images: generatedImages)),
    ("64 real training images", CollapseDiagnostics(critic: { critic($0) }, images: batches.next().reshaped([batchSize, -1]))),
])
run.writeTable(collapse, named: "collapse")
print(collapse)
run.finish()

/*:
 ![Samples of the weight-clipped WGAN](figures/ch11_2_wgan_samples.png)

 *`swift run Ch11_2_WGAN`: samples from a fixed batch of noise after five epochs.*

 ![The critic's estimate of W](figures/ch11_2_wgan_wasserstein.png)

 ![Critic weights after training](figures/ch11_2_wgan_critic_weights.png)

 *Both: `swift run Ch11_2_WGAN`. The histogram's y axis is logarithmic.*

 Five epochs are not enough for a weight-clipped WGAN with the paper's small learning rate,
 and what goes wrong has a name: **mode collapse**, in its total form (§11.3 defines both
 forms). All 64 samples are the same blurred silhouette, whatever their z. The chapter's
 table, `figures/ch11_2_wgan_collapse.md`, measures it:

 | images | pixel spread across the batch | critic's gradient norm ‖∇ₓC‖ | alignment of the critic's gradients |
 |---|---:|---:|---:|
 | 64 generated images (fixed noise) | 0.065 | 0.651 | 1.000 |
 | 64 real training images | 0.541 | 0.492 | 0.773 |

 The generated images differ from each other about eight times less than real images do
 (pixel spread 0.065 against 0.541). Two of the chapter's figures and the table say why the game got
 stuck there:

 * **The critic keeps learning, the generator does not follow.** The estimate of W rises
   instead of falling, from 0.03 at the first iteration to 2.74 on average over the last
   100, swinging between −3.49 and 8.29 on the way: the critic tells this one silhouette
   from real garments better and better, and the generator never answers by spreading out.
 * **The critic is boxed in.** The histogram shows that clipping does not make the critic
   Lipschitz in a smart way: it pushes the weights to the box's walls. The two bins at ±0.01
   hold more than ten times as many weights as any bin between them, so a large part of the
   critic is pinned there rather than learned, which limits what it can represent.
 * **Its push is the same for every sample.** The critic's gradients at the 64 generated
   images all point in one direction (alignment 1.000, against 0.773 at real images). A push that is common to all z moves all samples together, towards the
   average garment; nothing in the generator's loss rewards moving them apart.

 This reads against a claim of §11.3: the critic is retrained five times before every
 generator step, so the generator should not be able to exploit a stale critic by piling
 its samples onto one point. That argument assumes each retraining brings the critic close
 to the best 1-Lipschitz function. Here it cannot: five RMSprop steps at 5·10⁻⁵, inside a
 ±0.01 box, leave the critic still climbing at the end of the run, so the generator always
 faces a critic far from the one the theory describes. More critic updates help a critic
 that can fit the answer; §11.3's mode-collapse table shows the same failure on 2-D mixtures
 (the clipped WGAN covers no mode of either), and §11.3's gradient penalty, with the same
 networks and budget, does not collapse. The WGAN paper trained for a hundred times as many
 iterations.
 */

/*:
 #### Exercises for 11.2.3

 Exercise 11.2.8, in the exercises at the end of the chapter, belongs to this section: fewer
 critic updates, another clipping constant and Adam instead of RMSprop, then the penalty of
 §11.3 and the relativistic losses, compared with the minimax GAN.

 #### What 11.2.3 showed

 - The Wasserstein-1 distance keeps shrinking as generated samples move toward the data even
   when the two distributions do not overlap, where the Jensen–Shannon divergence is stuck.
 - The Kantorovich–Rubinstein duality turns it into a contest over 1-Lipschitz functions: a
   critic without a sigmoid maximises the gap between its mean scores on real and generated
   images, and the generator raises the critic's score of its samples.
 - Weight clipping keeps the critic Lipschitz by clipping every stored weight to [−c, c]
   after each critic update; that bounds its Lipschitz constant, so the critic estimates a
   scaled W at best, and only as well as a clipped network can represent the optimal critic.
 - Each generator step follows `--n-critic` critic updates on fresh real batches, with RMSprop
   as in the WGAN paper; `WassersteinGAN.trainStep` is the iteration, shared with WGAN-GP,
   where only the constraint differs.
 - The original code assigned the clipped values to a copy, so nothing was clipped;
   `clipValues(of:to:)` writes into the parameters' own storage, and an errata test pins it.
 - With the WGAN paper's settings and five epochs, the clipped critic's generator collapses
   totally: its 64 samples differ from each other about eight times less than real images,
   while the critic is still improving at the end and its weights are pinned to the box.
   Repeated critic updates protect against collapse only when the critic can get near its
   optimum, which clipping prevents here.
 */
