/*:
 ## 11.2 The adversarial game: minimax, Wasserstein and relativistic GANs

 ### 11.2.1 A warm-up with a known answer

 #### Why begin where we know the answer

 When a GAN trains on Fashion-MNIST, nobody can say what the right generator is. There is no
 formula for the distribution of sneakers; we can only look at samples and, in §11.5, score
 them against features of real images. If the samples look poor, the cause could be the loss,
 a sign error in an update, a network too small for the data, too few iterations, or bad
 luck with the seed, and the pictures do not say which.

 So before the image GANs we play the same game on data we made ourselves. Draw
 $z \sim \mathcal N(0, I_2)$ and set $x = A z + b$ for a fixed 2 × 2 matrix $A$ and vector
 $b$. Then $x$ is Gaussian with mean $b$ and covariance $A A^\top$, exactly. A generator that
 has learnt the data must reproduce those two numbers (a vector and a matrix), and we can
 check them to three decimals. If it does not, the fault lies in the training and not in the
 data or the model, because, as we see next, this model can represent the data exactly. The
 game is the one the image chapters play: the same `MinimaxGAN.trainStep`, the same losses,
 the same optimiser.

 This file is the section: `swift run Ch11_2_Warmup` runs it (`--help` lists every option).
 */
import Foundation
import NN
import Tensor
import Workbook

let study = Study(name: "ch11_2_warmup", options: options.study)
let steps = options.steps ?? (study.options.quick ? 150 : 10_000)

/*:
 #### The data

 We pick an $A$ that stretches, shears and tilts the noise, so that the target is neither
 round nor aligned with the axes, and an offset $b$ away from the origin, where an untrained
 generator starts:

 $$A = \begin{pmatrix} 1.2 & 0.4 \\ 0.6 & 0.7 \end{pmatrix}, \quad b = \begin{pmatrix} 2 \\ 1 \end{pmatrix}, \quad
   A A^\top = \begin{pmatrix} 1.6 & 1.0 \\ 1.0 & 0.85 \end{pmatrix}.$$

 The two coordinates have correlation $1.0 / \sqrt{1.6 \cdot 0.85} \approx 0.86$, and the
 cloud is a tilted ellipse about four times longer than it is wide. `AffineGaussian`
 (`Sources/Workbook/Toy/GaussianWarmup.swift`) holds $A$ and $b$, draws fresh batches of
 $x$, and computes the moments in closed form.
 */
let truth = AffineGaussian(matrix: [[1.2, 0.4], [0.6, 0.7]], offset: [2, 1])

/*:
 #### A generator that can be exactly right

 The generator is a single linear layer with two inputs and two outputs, $G(z) = W z + c$,
 fed the same kind of noise, $z \sim \mathcal N(0, I_2)$. Whatever $W$ and $c$ are, $G(z)$ is
 Gaussian with mean $c$ and covariance $W W^\top$. This is what a linear generator can and
 cannot do:

 - It can make **every** 2-D Gaussian: any covariance $\Sigma$ can be written as $W W^\top$
   (take $W$ to be $\Sigma$'s Cholesky factor). So the data lies inside the model family,
   and a perfect answer, $c = b$ and $W W^\top = A A^\top$, exists.
 - It can make **nothing else**. A ring, two moons, a garment: anything curved, skewed or
   with several modes is out of reach of a linear map of a Gaussian. That is what the hidden
   layers of the other chapters' generators are for.
 - Its weights are not **identifiable**. If $Q$ is orthogonal (a rotation or a reflection),
   $Q z$ is again $\mathcal N(0, I_2)$, so $W$ and $W Q$ make the same distribution, since
   $(W Q)(W Q)^\top = W W^\top$. Training can end at any of these, and nothing pulls it
   towards $W = A$. Comparing $W$ with $A$ would report an error where there is none. The
   right comparison is $c$ with $b$ and $W W^\top$ with $A A^\top$, the two things that
   decide the distribution.

 The discriminator is a small MLP, 2 → 32 → 32 → 1 with SiLU, ending in a logit; `toyMLP`
 builds it, as it builds §11.1's wider toy networks. Both players get Adam with β = (0.5, 0.9) and a learning rate of
 5 × 10⁻⁴.
 */
var weights = SeededGenerator(seed: study.options.seed, purpose: "weights")
let G = Linear(2, 2, using: &weights)                                // G(z) = W z + c
let D = toyMLP(inputs: 2, outputs: 1, width: 32, using: &weights)   // D(x) = σ(logit)
let game = MinimaxGAN(
    generator: G, discriminator: D,
    generatorOptimizer: Adam(G.parameters, learningRate: options.lr, beta1: 0.5, beta2: 0.9),
    discriminatorOptimizer: Adam(D.parameters, learningRate: options.lr, beta1: 0.5, beta2: 0.9),
    latent: 2)

/*:
 #### What the discriminator learns

 For a fixed generator, D's best answer at each point $x$ maximises
 $p_\text{data}(x) \log D + p_G(x) \log(1 - D)$, and setting the derivative in $D$ to zero gives
 $D^*(x) = p_\text{data}(x) / (p_\text{data}(x) + p_G(x))$. Its logit is therefore the log
 density ratio $\log p_\text{data}(x) - \log p_G(x)$. For two
 Gaussians that ratio is a quadratic function of $x$: D's boundary between "real" and "fake"
 is a conic, a straight line only when the two covariances agree. The MLP can approximate
 it, and its gradient tells G which way to move its mean and how to reshape its ellipse.
 When G is right, $p_G = p_\text{data}$ and $D^* = \tfrac12$ everywhere: at the end of a
 successful run D knows nothing. Its loss is then
 $-\log\tfrac12 - \log\tfrac12 = 2\log 2 \approx 1.386$ and G's non-saturating loss is
 $\log 2 \approx 0.693$, two more known answers to check.

 #### Training

 Each iteration draws a fresh batch of 256 real points, so the data is an endless stream
 and its moments are exactly $b$ and $A A^\top$, and plays one round of the minimax game.
 After the update, the learnt moments are read straight off G's weights:

 <!-- snippet: Sources/Workbook/Toy/GaussianWarmup.swift#warmup-iteration -->

 `GaussianWarmup.train` runs 10,000 such iterations and keeps four snapshots of the plane
 (G's points and D's view of them) along the way:
 */
let run = orExit {
    try GaussianWarmup.train(game, toMatch: truth, steps: steps, batchSize: options.batchSize,
                             snapshotSteps: [0, steps / 10, 3 * steps / 10, steps], seed: study.options.seed)
}
let table = orExit { try run.table() }
print(table)
study.writeTable(table, named: "table")
orExit {
    try run.pointsFigure(title: "A linear generator learning a 2-D Gaussian").write(to: study.path("samples.png"))
    try run.trainingFigure().write(to: study.path("losses.png"))
}

/*:
 #### Checking the answer

 This command makes the figures and the tables below:

 ```sh
 swift run Ch11_2_Warmup
 ```

 It trains for 10,000 iterations. On our shared 2-core machine, busy with other jobs,
 `/usr/bin/time .build/debug/Ch11_2_Warmup --out figures` took 11 s of wall-clock time and
 5.3 s of CPU.
 The tables go to `figures/ch11_2_warmup_table.md`.

 **The points.** One panel per snapshot, with the data's 2σ contour (from $b$ and
 $A A^\top$) and G's (from $c$ and $W W^\top$) over D's probability of "real":

 ![Real points (black) and generated points (orange) with their 2σ contours, before training and after 1,000, 3,000 and 10,000 iterations, over a heat map of D's probability of "real"](figures/ch11_2_warmup_samples.png)

 Before training, G's cloud sits at the origin and leans the wrong way. After 1,000
 iterations D has won for the moment: its map is saturated, close to 0 around G's points
 and to 1 over most of the data, and G's ellipse, now round, is drifting towards the data. After
 3,000 iterations the two ellipses share their tilt and G is still on the way. After
 10,000 the orange contour hides the black one, and D's map has faded to a flat ½ where the
 points are.

 **The losses and the errors.** The left panel shows the two losses; the right one the
 distance of $c$ from $b$ and the relative error of $W W^\top$, computed after every
 iteration from G's weights:

 ![The two losses against their equilibrium values 2 log 2 and log 2, and the distance of c from b and of W Wᵀ from A Aᵀ, per iteration](figures/ch11_2_warmup_losses.png)

 Here are the moments, the known answer first:

 | | μ₁ | μ₂ | Σ₁₁ | Σ₁₂ | Σ₂₂ | ‖μ − b‖ | ‖Σ − A Aᵀ‖_F / ‖A Aᵀ‖_F |
 |---|---:|---:|---:|---:|---:|---:|---:|
 | truth: b and A Aᵀ | 2.000 | 1.000 | 1.600 | 1.000 | 0.850 | — | — |
 | 10,000 real points, measured | 2.011 | 1.003 | 1.577 | 0.982 | 0.836 | 0.011 | 0.016 |
 | G before training: c and W Wᵀ | -0.116 | 0.140 | 0.536 | -0.547 | 0.656 | 2.284 | 1.062 |
 | G after 10,000 iterations: c and W Wᵀ | 1.996 | 0.996 | 1.572 | 0.985 | 0.820 | 0.006 | 0.020 |
 | 10,000 points of G after 10,000 iterations, measured | 2.006 | 1.003 | 1.602 | 0.999 | 0.824 | 0.006 | 0.012 |

 G found the answer. Its mean is 0.006 from $b$ and its covariance is 2.0 % off $A A^\top$
 in Frobenius norm. For scale, the second row measures 10,000 fresh real points the same
 way: their mean is 0.011 from $b$ and their covariance 1.6 % off. The GAN's answer is about
 as good as what we would estimate from 10,000 samples of the data itself, although G never
 saw the data's formula, only D's opinion of its points. The last row measures 10,000 of G's own
 points, and they agree with $c$ and $W W^\top$ to sampling noise, so the closed form
 describes what G really outputs.

 The weights themselves are another matter:

 | matrix | [1, 1] | [1, 2] | [2, 1] | [2, 2] |
 |---|---:|---:|---:|---:|
 | A, the data's | 1.200 | 0.400 | 0.600 | 0.700 |
 | W, G's after 10,000 iterations | -1.082 | 0.634 | -0.449 | 0.786 |
 | Q = A⁻¹W | -0.962 | 0.216 | 0.183 | 0.938 |
 | Q Qᵀ | 0.973 | 0.026 | 0.026 | 0.913 |

 $W$ looks nothing like $A$: its first column points the other way. But $Q = A^{-1} W$ is
 nearly orthogonal, with $Q Q^\top$ within 0.09 of the identity, and its determinant is
 −0.94, close to −1: G has learnt $A$ followed by a reflection of the noise, one of the
 many weight matrices that make the same distribution. Any test that compared $W$ with $A$
 would call this run a failure.

 The run does not end on a lucky iteration. Over its last fifth:

 | last 2,000 iterations | mean | smallest | largest |
 |---|---:|---:|---:|
 | D's loss | 1.387 | 1.382 | 1.396 |
 | G's loss | 0.694 | 0.649 | 0.753 |
 | D(x) on real batches | 0.500 | 0.477 | 0.525 |
 | D(G(z)) on generated batches | 0.500 | 0.476 | 0.525 |
 | ‖c − b‖ | 0.010 | 0.000 | 0.022 |
 | ‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F | 0.023 | 0.003 | 0.056 |
 | D(x) on the plotted plane, before training | 0.442 | 0.393 | 0.492 |
 | D(x) on the plotted plane, after 1,000 iterations | 0.498 | 0.000 | 1.000 |
 | D(x) on the plotted plane, after 3,000 iterations | 0.472 | 0.044 | 0.920 |
 | D(x) on the plotted plane, after 10,000 iterations | 0.490 | 0.299 | 0.575 |
 | D(x) inside the data's 2σ contour, after 10,000 iterations | 0.502 | 0.499 | 0.506 |

 D's loss averages 1.387 against the predicted 2 log 2 = 1.386, G's 0.694 against
 log 2 = 0.693, and D scores real and generated batches 0.500 on average. The game has not
 stopped, though. Every iteration draws a new batch, D chases its noise and G follows, so
 the errors jitter around the answer instead of shrinking to zero: up to 0.022 for the mean
 and 5.6 % for the covariance. D's map tells the same story as the figure. After 1,000
 iterations it spans the whole range from 0 to 1; at the end it lies between 0.499 and 0.506
 inside the data's 2σ contour. Far from the points (0.299 to 0.575 over the whole plotted
 square) nothing trains it, and it is free to say anything.

 One more number can be predicted. Adam divides each gradient's running mean by its
 running size, so when a weight's gradient keeps its sign from one iteration to the next,
 as it does while the data lies off to one side, the weight moves by about the learning
 rate per iteration, however large or small the gradient is. So $c_1$, which has to travel
 from −0.116 to 2, needs about (2 + 0.116) / 0.0005 ≈ 4,232 iterations.
 The run's milestones:

 | milestone | iteration |
 |---|---:|
 | ‖c − b‖ first below 0.05 | 4,192 |
 | ‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F first below 0.05 | 3,613 |

 The mean arrives when the step-size bound says it can, and not before. The long first
 phase of the loss curves is G walking at Adam's speed limit, not a slow or failing game.

 A test, `GaussianWarmupTests` in `Tests/WorkbookTests`, runs a shorter version of this
 game (1,500 iterations at a learning rate of 2 × 10⁻³) and demands that the mean and the
 covariance come within 0.15 and 15 % of the truth. It also checks that two broken
 versions fail that bar: a generator whose optimiser never steps, and a discriminator that
 climbs its loss instead of descending it.

 #### Exercises for 11.2.1

 ##### Exercise 11.2.1: a faster learning rate

     swift run Ch11_2_Warmup --lr 2e-3

 It writes to `runs/ch11_2_warmup-lr-2e-3/`. By the step-size argument above, the mean should
 arrive about four times sooner: does the milestone table agree? Then compare the last
 fifth's table with the one above. How much more do the errors jitter once G is there, and
 which of the two settings would you rather report as "the answer"?

 ##### Exercise 11.2.2: bigger batches

     swift run Ch11_2_Warmup --batch-size 1024

 Every gradient now averages four times as many points (`runs/ch11_2_warmup-batch-size-1024/`).
 Does the jitter of the errors over the last 2,000 iterations shrink, and by about how much
 would you expect it to, if it comes from the noise of each batch's estimate?

 ##### Exercise 11.2.3: a discriminator that can only draw straight lines

 Replace D in `Chapters/Ch11_2_Warmup/main.swift` by a linear discriminator,
 `Linear(2, 1, using: &weights)`, and run the chapter again. Its logit can only be a linear
 function of $x$, while the log ratio of two Gaussians with different covariances is
 quadratic. Before you run it, predict which of the two moments G will still get right, and
 check your prediction against the first table and the ellipses in
 `ch11_2_warmup_samples.png`.

 #### What 11.2.1 showed

 - With data made as $x = A z + b$ from Gaussian noise, the target is known exactly: mean
   $b$, covariance $A A^\top$. A GAN trained on it can be checked to three decimals instead of
   judged by eye.
 - A linear generator $G(z) = W z + c$ makes exactly the Gaussians, $\mathcal N(c, W W^\top)$,
   and nothing else. Its weights are fixed only up to an orthogonal $Q$ acting on $z$, so the
   learnt $c$ and $W W^\top$ are what to compare, never $W$ itself.
 - For two Gaussians the best discriminator's logit is a quadratic function of $x$; when G is
   right it is ½ everywhere, and the losses are 2 log 2 for D and log 2 for G.
 - The chapter's `MinimaxGAN.trainStep` recovered the mean to 0.006 and the covariance to
   2.0 %, about as well as 10,000 real samples would estimate them, with a $W$ that is a
   reflection away from $A$.
 - The game never comes to rest: batch noise keeps the errors jittering around the answer,
   and D is ½ only where there are points.
 - Adam moves a weight about one learning rate per iteration while its gradient keeps its
   sign, which predicted when the mean would arrive to within 1 %.
 - A short version of the run is a test: it passes, and a frozen generator or a
   discriminator with the wrong sign fails it.
 */
// snippet.hide
study.finish(run.summaryFields + [("seconds", "\(study.seconds)")])
// snippet.show
