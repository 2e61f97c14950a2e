/*:
 ## 11.5 Evaluating GANs

 A GAN's two losses describe a contest, not a result: a discriminator loss that stays flat
 can mean two excellent players or two poor ones. To compare models we need numbers that are
 computed from the samples alone:

 * the **Inception Score** (IS): are the images confidently classifiable, and do they
   cover all the classes?
 * the **Fréchet distance** (FD, "FID" with Inception features): how far apart are the
   Gaussians fitted to real and generated features?
 * the **kernel distance** (KID): the same question without assuming Gaussians;
 * **precision and recall**: how many fakes look real, how much of the real data is covered?

 Every number in this section comes from one command,

     swift run Ch11_5_Metrics --help

 whose subcommands are

     swift run Ch11_5_Metrics sanity            the metrics on deliberately damaged real images (the default)
     swift run Ch11_5_Metrics score FILE        a generator checkpoint, a PNG folder, an IDX file or .npz stats
     swift run Ch11_5_Metrics leaderboard       every generator in models/ on the same N samples
     swift run Ch11_5_Metrics train-classifier  retrain the network the metrics look through

 This file is the section and runs that command line. Each subcommand's plumbing sits beside
 it in a file of its own (`TrainClassifier.swift`, `Score.swift`, `Sanity.swift`,
 `Leaderboard.swift`, the options in `Options.swift`); the metrics themselves live in the
 library, `Sources/Workbook/Metrics/`, and are shown below where they are explained.

 ### 11.5.1 Looking through a classifier

 Pixels are a poor space to compare images in: shifting a shirt by two pixels moves it far in
 pixel space and not at all in meaning. The usual metrics therefore compare images through a
 trained classifier: its class probabilities p(y|x) and the activations of its last hidden
 layer, a compact description of what it sees. The standard choice is Inception-v3
 trained on ImageNet. Its weights cannot be downloaded in our setting, and ImageNet
 features would be a strange lens for 28 × 28 grey clothing anyway, so we train our own
 (`FeatureClassifier` in `Sources/Workbook/Evaluation/FeatureClassifier.swift`):
 three 3 × 3 convolutions (two with stride 2 instead of pooling), batch normalisation, and a
 128-unit layer whose ReLU outputs are the **features**; a last linear layer maps them to
 the ten classes, and its softmax gives **p(y|x)**.

 <!-- snippet: Sources/Workbook/Evaluation/FeatureClassifier.swift#classifier -->

 It is trained with our own library on Fashion-MNIST's training split: two epochs of Adam,
 the second at a tenth of the learning rate (`TrainClassifier.swift`).

 <!-- snippet: Chapters/Ch11_5_Metrics/TrainClassifier.swift#train-classifier -->

     swift run Ch11_5_Metrics train-classifier

 rewrites `models/classifier.safetensors` (about 1 MB) bit for bit and prints the test
 accuracy: 91.2% after about two and a half minutes of CPU time on two cores (longer on a busy machine).

 **What this means for the numbers.** Every score below is measured through this small
 network. The scores rank the models of this workbook against each other and against real
 data; they are *not* FID or IS in the published sense, and must never be set beside
 Inception-based numbers from papers, which live on a different scale entirely. When we write
 FD and KID instead of FID and KID-with-Inception, that is the reason.

 ### 11.5.2 The Inception Score

 A good generator should produce images that the classifier finds easy to name (p(y|x)
 peaked on one class) while, taken together, covering all the classes (the marginal
 p(y) = E_x p(y|x) spread out). The KL divergence between the two measures both at once:

 $$\mathrm{IS} = \exp\Big(\mathbb{E}_{x \sim p_G}\, \mathrm{KL}\big(p(y\mid x)\,\|\,p(y)\big)\Big),\qquad p(y) = \frac{1}{N}\sum_{i=1}^N p(y\mid x_i).$$

 It runs from 1 (every image gets the same prediction, or every prediction is uniform) to
 the number of classes, 10 here (every image confidently named, all classes equally often).
 The score is computed on ten equal splits of the sample and reported as mean ± standard
 deviation over the splits, as the original IS code and torch-fidelity do
 (`inceptionScore` in `Sources/Workbook/Metrics/InceptionScore.swift`):

 <!-- snippet: Sources/Workbook/Metrics/InceptionScore.swift#inception-score -->

 **Erratum 6.** The original chapter's code took the marginal p(y) inside the loop over
 images, i.e. from one image. Then p(y) = p(y|x), every KL term is zero, and the "score"
 is exp(0) = 1 for any generator at all. The marginal must be the mean over the whole set
 (here, over each split); `ErrataTests` pins the difference.

 The Inception Score never looks at real data. A generator that draws one perfect image per
 class, ten thousand times, scores close to the maximum while being useless.

 ### 11.5.3 The Fréchet distance

 The Fréchet distance compares generated with real images. Fit a Gaussian to each set's
 features, N(μ_r, Σ_r) and N(μ_g, Σ_g), and measure the distance between the two Gaussians
 (the *squared* 2-Wasserstein distance, W₂², which has a closed form for Gaussians):

 $$\mathrm{FD} = \lVert \mu_r - \mu_g \rVert^2 + \operatorname{Tr}\Sigma_r + \operatorname{Tr}\Sigma_g - 2\operatorname{Tr}\big(\Sigma_r^{1/2}\,\Sigma_g\,\Sigma_r^{1/2}\big)^{1/2}.$$

 The first term sees a shift of the average image, the others a difference in spread and
 correlation, so a generator that repeats a few good images is punished through its small
 covariance. Lower is better; 0 means the two Gaussians coincide.

 **Erratum 7: a matrix square root.** The last term is the trace of the *matrix* square
 root of Σ_r Σ_g: the matrix S with S·S = Σ_r Σ_g. The original chapter called an
 elementwise `sqrt()` on the product, which takes the square root of each entry: a
 different number, and not even defined when an entry is negative (which off-diagonal
 covariance products often are). Our library computes it the stable way: Σ_r^½ from the
 eigen-decomposition of Σ_r, then the eigenvalues λ_i of the symmetric matrix
 Σ_r^½ Σ_g Σ_r^½, which are those of Σ_r Σ_g, and the trace of the root is Σ √λ_i, with
 round-off below zero clamped to 0. Everything runs in Float64: the trace terms are large
 and nearly cancel, and Float32 would lose the difference. The means and covariances
 (`GaussianStats`, divided by N − 1 like numpy's `np.cov`) are what pytorch-fid stores in
 its `.npz` files; `frechetDistance` in `Sources/Workbook/Metrics/FrechetDistance.swift`
 takes two of them:

 <!-- snippet: Sources/Workbook/Metrics/FrechetDistance.swift#frechet-distance -->

 ### 11.5.4 The kernel distance (KID)

 The Fréchet distance assumes Gaussian features and is biased: for a finite sample its
 expected value is above the true distance, by an amount that shrinks like 1/N. The kernel
 distance of Bińkowski et al. drops both problems. It estimates the squared maximum mean
 discrepancy between the two feature distributions with the kernel
 k(x, y) = (x·y/d + 1)³, without bias:

 $$\mathrm{KID} = \frac{1}{m(m-1)}\sum_{i\ne j}\big[k(r_i, r_j) + k(g_i, g_j)\big] - \frac{2}{m^2}\sum_{i,j} k(r_i, g_j),$$

 averaged over 100 random subsets of m = 1,000 from each set, with the standard deviation
 over subsets (`kernelInceptionDistance` in
 `Sources/Workbook/Metrics/KernelInceptionDistance.swift`; the kernel sums come from one
 matrix product of the features each, in the helpers below it):

 <!-- snippet: Sources/Workbook/Metrics/KernelInceptionDistance.swift#kernel-distance -->

 Being unbiased, it can come out slightly negative when the two sets agree.
 The kernel is cubic in the features, so KID's scale follows theirs: through our classifier
 the GANs below score in the tens, where Inception-based KIDs in papers are hundredths.
 Compare KIDs measured through the same network only.

 ### 11.5.5 Precision and recall

 FD and KID fold two different failures into one number: images that look wrong, and parts
 of the data the generator never produces. Kynkäänniemi et al. separate them. Around each
 real feature vector draw a ball reaching to its third-nearest real neighbour; the union of
 the balls approximates the region real images occupy. **Precision** is the fraction of
 generated samples inside that region (how many fakes look real); **recall** swaps the
 roles, the fraction of real samples inside the region of the generated ones (how much of the
 data the generator covers). A collapsed generator has high precision and low recall.
 `precisionRecall` in `Sources/Workbook/Metrics/PrecisionRecall.swift` answers both questions
 in one pass over the distances between the two sets, a block of rows at a time:

 <!-- snippet: Sources/Workbook/Metrics/PrecisionRecall.swift#precision-recall -->

 ### 11.5.6 Small samples are biased samples

 The estimates depend on N. With fewer samples the covariance estimates are noisier and FD
 rises; the Inception Score of a split depends on the split size; precision and recall
 depend on how densely N points fill their balls. A comparison is only fair at the same N,
 so every model is scored on N = 10,000 samples against the 10,000 test images, and every
 command prints beside each score what *real* data gets at the same N: 10,000 training
 images against the test set (and the test set's own Inception Score, the most a generator
 can hope for under this classifier). That is what a perfect generator would get, the floor
 no generator can beat, and the only honest way to read "FD = 20" (`RealData.swift`):

 <!-- snippet: Chapters/Ch11_5_Metrics/RealData.swift#yardstick -->

 ### 11.5.7 Scoring anything

 `score` accepts what pytorch-fid and torch-fidelity accept: a generator checkpoint of any
 chapter (the file's metadata names the chapter and the latent size, so the architecture is
 rebuilt before the weights are loaded), a folder of PNG or JPEG images, an IDX image file,
 or an `.npz` file of statistics in pytorch-fid's layout (`mu`, `sigma`). `--save-stats`
 writes the input's statistics in that layout, and an `.npz` is accepted as the reference
 too; it holds no features, so only the Fréchet distance can use it. Whatever the input,
 one function of `Sources/Workbook/Evaluation/ScoreCard.swift` computes all four metrics:

 <!-- snippet: Sources/Workbook/Evaluation/ScoreCard.swift#score-card -->

     swift run Ch11_5_Metrics score models/ch11_3_wgangp_generator.safetensors
     swift run Ch11_5_Metrics score my_samples/ --save-stats my_samples.npz
     swift run Ch11_5_Metrics score /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz --reference my_samples.npz

 A generator is sampled in evaluation mode (batch normalisation with its running
 statistics), from noise drawn with `--seed`; a conditional generator is asked for the ten
 classes in turn.

 <!-- snippet: Sources/Workbook/Evaluation/GeneratorRegistry.swift#sample-generator -->

 `score` prints which architecture and latent size it used and where it took them from (the
 metadata, `--architecture`, or the tensor shapes), and writes its numbers to the run's
 folder as `ch11_5_metrics_score_<input>.json` (full precision, for scripts) and `.md` (the
 table). A state dict saved from PyTorch has no metadata: its shapes decide, and names with
 one common prefix (`net.0.weight`, from a module that holds the generator as `self.net`)
 are read without it. Shapes cannot tell the DCGAN, relativistic and conditional generators
 apart (the conditional one is a DCGAN whose last ten inputs are a one-hot class), so a
 DCGAN-shaped file is scored as `dcgan` with a warning that names the others, and
 `--architecture` takes the names a PyTorch user would type: `mlp`, `dcgan`, `rgan`, `cgan`,
 `wgan`, `wgan-gp`, or a chapter's. An `--architecture` that contradicts the metadata (a
 conditional generator named `dcgan`) is refused, since its scores would mean nothing.

 ### 11.5.8 Do the metrics notice damage?

 Before trusting a metric with generators, we check it on real images damaged by a known
 amount: Gaussian noise, blur, salt-and-pepper pixels, a grey square over part of the
 garment, and a growing share of images replaced by trousers (a stand-in for a generator
 that over-produces one class). Each disturbance is applied to the test set at strengths
 from 0 to 1 and scored against training images (`Sanity.swift`). A stronger disturbance
 extends a weaker one (the same noise scaled up, the same pixels and more), so a sound
 distance must rise, and the Inception Score should fall.

 <!-- snippet: Chapters/Ch11_5_Metrics/Sanity.swift#sanity -->

     swift run Ch11_5_Metrics sanity

 ![FD, KID and IS of the Fashion-MNIST test set under five disturbances of growing strength, with one test image at each strength](figures/ch11_5_metrics_sanity.png)

 With 5,000 test images at each strength against 5,000 training images, every distance rises
 strictly with every disturbance, and the Inception Score falls, from 7.97 for the clean
 test set. The undamaged baseline is FD 1.2: that is the sampling noise of real against real
 at this N. The scales differ from one disturbance to the next, and that is informative:
 our classifier barely minds a grey square until it covers most of the garment (FD 6 at
 strength 0.4, under 4 % of the heavy end's 161), and it minds per-pixel noise most
 (FD 97 already at strength 0.2), because a network trained only on clean 28 × 28 images
 never saw speckles. Replacing images by trousers is felt by all three metrics: FD and KID
 because the class mix drifts away from the real one, IS because the marginal p(y)
 concentrates on one class until the score reaches 1.04. A metric that looks through a
 different network would weigh the same damage differently; "how bad" is always relative to
 the features.

 ### 11.5.9 The leaderboard

 Each chapter that trains a generator on Fashion-MNIST leaves its final generator in
 `models/` (the book's figure script copies them there). The leaderboard scores all of them
 on the same 10,000 samples against the same test set (`Leaderboard.swift`), so that they
 can finally be compared:

 <!-- snippet: Chapters/Ch11_5_Metrics/Leaderboard.swift#leaderboard -->

     swift run Ch11_5_Metrics leaderboard

 It writes the ranking as a markdown table (`figures/ch11_5_metrics_leaderboard.md`) and a
 figure with the FD bars next to 36 samples of each model:

 ![The leaderboard](figures/ch11_5_metrics_leaderboard.png)

 *`swift run Ch11_5_Metrics leaderboard`, on the generators that `Tools/make-figures.sh`
 keeps in `models/` (each chapter's default command, except the relativistic GAN's with
 `--epochs 3`).*

 | model | FD ↓ | KID ↓ | IS ↑ | precision ↑ | recall ↑ |
 |---|---:|---:|---:|---:|---:|
 | `ch11_4_dcgan` | 49.69 | 13.08 ± 1.45 | 4.84 ± 0.07 | 0.474 | 0.540 |
 | `ch11_4_cgan` | 55.48 | 17.15 ± 1.60 | 6.05 ± 0.06 | 0.637 | 0.205 |
 | `ch11_2_rgan` | 74.13 | 20.66 ± 1.65 | 4.31 ± 0.08 | 0.476 | 0.439 |
 | `ch11_3_wgangp` | 113.82 | 29.07 ± 2.17 | 4.61 ± 0.10 | 0.519 | 0.003 |
 | `ch11_2_minimax` | 284.17 | 53.17 ± 2.81 | 2.83 ± 0.03 | 0.532 | 0.000 |
 | `ch11_2_wgan` | 602.14 | 100.39 ± 3.06 | 1.06 ± 0.00 | 0.513 | 0.000 |
 | *real: 10000 training images* | 0.38 | 0.02 ± 0.43 | 8.01 ± 0.05 | 0.870 | 0.880 |

 The DCGAN of §11.4 leads on FD, KID and recall: its samples are close to the data in the
 classifier's feature space and spread over more of it than any other model's. The
 conditional GAN leads on IS and is second on FD, helped by being asked for each class in
 turn, which guarantees the class balance the others must find on their own; IS rewards
 exactly that balance, together with confident classes. The two MLP GANs show the
 gap between precision and recall most clearly: the minimax GAN's samples are plausible
 (precision 0.53) but its k-nearest-neighbour balls cover almost no real image (recall 0),
 and the weight-clipped WGAN, which draws one silhouette, has a higher precision than the
 DCGAN (0.513 against 0.474) and the worst of everything else: precision alone rewards
 playing safe. WGAN-GP, trained five
 times fewer generator steps than the minimax GAN, beats it on FD, KID and IS.

 ### 11.5.10 Where the numbers and the eye disagree

 The metrics summarise tens of thousands of numbers into one, and they are blind in
 predictable ways. The Fréchet distance and KID see only what our classifier's features
 encode: it was trained to tell a sandal from a sneaker, so it is sensitive to silhouettes
 and largely indifferent to a slight blur or a faint texture that the eye notices at once, and
 the sanity figure shows how differently it weighs noise and occlusion. A generator that
 memorised training images would score almost like real data although it has learned
 nothing; the metrics cannot tell reproduction from generation. A collapsed generator that
 draws a few perfect shirts can have a decent precision and an Inception Score that looks
 respectable, and only recall and the sample grid reveal the missing classes. Conversely,
 on the quick, barely trained checkpoints we used while testing the leaderboard, the MLP
 GAN's grainy noise scored a lower FD than the DCGAN's uniform grey, though neither shows
 anything a reader would call clothing: when every model is far from the data, the ranking
 among them says little. Read the numbers beside the grids, at the same N, and against the
 real-data row; where they disagree with your eye, the eye is usually looking at something
 the features were never trained to see.
 */
// snippet.hide
import Workbook

// The subcommands of Options.swift; a bad command line gets a one-line error.
Metrics.runCommandLine()
// snippet.show

/*:
 ### Exercises

 Exercise 11.5.1, in the exercises at the end of the chapter, belongs to this section: scoring
 with more or fewer samples and through a weaker classifier, following a score over training,
 and setting the leaderboard beside the sample grids.

 ### Summary

 - Every metric here looks at images through a feature network; ours is a small classifier
   trained by the workbook on Fashion-MNIST instead of Inception-v3, so the scores compare the
   workbook's models with each other and with real data, never with published FID or IS.
 - The Inception Score rewards samples that are each confidently classified and together cover
   the classes; its marginal p(y) must be taken over the whole sample (the original took it
   per image, which gives 1 for any generator), and it never looks at real data.
 - The Fréchet distance compares Gaussians fitted to real and generated features and needs the
   trace of a matrix square root, computed in Float64 from eigenvalues (the original took an
   elementwise root); KID asks the same question without Gaussians or bias, and precision and
   recall separate samples that look wrong from data the generator never produces.
 - Every estimate depends on the sample size, so models are compared at the same N and beside
   the score of real data at that N, the best any generator can reach.
 - On real images damaged by a known, growing amount, every distance rose and the Inception
   Score fell, but by very different amounts per kind of damage: what counts as bad is decided
   by the feature network.
 - The metrics cannot tell memorisation from generation, and a collapsed generator can keep a
   fair precision and Inception Score: read them beside the sample grids and the real-data row.
 */
