/*:
 ## 11.4 Convolutional and conditional GANs

 ### 11.4.1 DCGAN: convolutional generators and discriminators

 #### Why convolutions

 The multi-layer perceptrons of §11.2 treat an image as a list of 784 numbers: a pixel and
 its neighbour are as unrelated to them as two pixels on opposite corners, and a shirt
 learned in one place must be learned again one pixel to the left. Convolutions build in
 what we know about images: nearby pixels belong together, and the same pattern means the
 same thing wherever it appears. A convolutional discriminator is an ordinary image
 classifier; a convolutional generator is the same machine run backwards, growing a small
 stack of feature maps into an image with transposed convolutions. The game and the losses
 stay exactly those of the minimax chapter.

 Radford, Metz and Chintala (2016) found the rules that make such a pair train stably, and
 their **deep convolutional GAN** (DCGAN) recipe is still the starting point:

 * no pooling: the discriminator downsamples with stride-2 convolutions, the generator
   upsamples with stride-2 *transposed* convolutions, so both learn how to resize;
 * batch normalisation in both networks, except on the generator's output and the
   discriminator's input;
 * ReLU in the generator with tanh on the output (images live in [−1, 1]); LeakyReLU with
   slope 0.2 throughout the discriminator, so that its gradient never dies;
 * no fully connected hidden layers, beyond the projection of z at the start and one score
   at the end;
 * weights from N(0, 0.02), and Adam with learning rate 2·10⁻⁴ and β₁ = 0.5 (the default
   β₁ = 0.9 makes training oscillate).

 This file is the section: `swift run Ch11_4_DCGAN` runs it (`--help` lists every option);
 add `--compare-with FILE` to draw another generator's images of the same noise beside the
 DCGAN's, or
 `--images DIR` to train the 64×64 RGB networks on a folder of photos.
 */
import NN
import Tensor
import Workbook

let run = TrainingRun(name: "ch11_4_dcgan", title: "Ch11.4 DCGAN", settings: options.training.settings)
let images = run.loadImages(from: options.source)
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 #### The transposed-convolution size formula

 A stride-s convolution shrinks its input about s times; a transposed convolution is its
 mirror image and grows it. One way to see exactly what it computes: spread the input's
 pixels s apart (s − 1 zeros between neighbours), put a border of k − 1 − p zeros around
 them, and slide the k×k kernel, rotated by 180° (flipped top to bottom and left to
 right), over the result as an ordinary convolution with stride 1. The spread grid has
 (in − 1)·s + 1 + 2(k − 1 − p) pixels per side, and a k×k kernel fits in that many minus
 k − 1 positions, which gives the output size

 $$\text{out} = (\text{in} - 1)\cdot s - 2p + k + \text{output\_padding}.$$

 (`output_padding`, between 0 and s − 1, adds rows on one side only; it resolves the
 ambiguity that several input sizes give the same output size under a strided convolution.)
 With kernel 4, stride 2 and padding 1 the formula gives exactly 2·in: the DCGAN generator
 uses that layer twice, 7×7 → 14×14 → 28×28. The chapter draws the construction and checks
 that the library's layer produces the size the formula promises:
 */
let diagram = orExit {
    try TransposedConvolutionDiagram(inputSize: 3, kernelSize: 4, stride: 2, padding: 1,
                                     note: "The DCGAN generator uses the same k, s and p twice: 7×7 → 14×14 → 28×28.")
}
let measured = convTranspose2d(.zeros([1, 1, 3, 3]), weight: .zeros([1, 1, 4, 4]), stride: 2, padding: 1)
precondition(measured.shape == [1, 1, diagram.outputSize, diagram.outputSize], "the layer disagrees with the formula")
orExit { try diagram.write(to: run.figurePath("transposed_convolution")) }

/*:
 ![How a transposed convolution grows a 3×3 input to 6×6](figures/ch11_4_dcgan_transposed_convolution.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 #### The networks

 For 28×28 Fashion-MNIST the generator projects z ∈ ℝ¹⁰⁰ to a 128-channel 7×7 map and
 doubles it twice; the discriminator mirrors it. For `--images DIR` the chapter switches to
 the 64×64 RGB pair of the PyTorch examples, the networks of the original chapter's
 relativistic DCGAN, which start from a 1×1 map and double it five times. `dcganNetworks`
 picks the pair that fits the images; both live in `Sources/Workbook/GAN/ConvArchitectures.swift`:

 <!-- snippet: Sources/Workbook/GAN/ConvArchitectures.swift#dcgan-models -->

 <!-- snippet: Sources/Workbook/GAN/ConvArchitectures.swift#dcgan64-models -->

 A wrong padding or channel count in such a stack shows up as a crash deep inside some
 matrix product, or worse, as a network that runs but makes the wrong size. So before
 training the chapter checks the pair block by block: it pushes a batch of zeros through
 each network one layer at a time and lists every layer's output shape
 (`Sequential.outputShapes` in `Sources/NN/Layer.swift`, in evaluation mode and without
 gradients, so that nothing is trained and no batch statistics move):

 <!-- snippet: Sources/NN/Layer.swift#output-shapes -->

 The generator must turn a batch of noise vectors into images of the data's shape, and the
 discriminator must turn a batch of images into one score each; if either is not so, the
 `precondition` stops the run before it starts:
 */
var weights = run.generator("weights")
let (G, D) = orExit { try dcganNetworks(latent: latent, for: images, using: &weights) }
let generatorShapes = G.outputShapes(forInput: [batchSize, latent])
let discriminatorShapes = D.outputShapes(forInput: [batchSize] + images.imageShape)
precondition(generatorShapes.output == [batchSize] + images.imageShape, "G's images must have the data's shape")
precondition(discriminatorShapes.output == [batchSize, 1], "D must give one score per image")
if options.showArchitecture { print("generator:\n\(generatorShapes)\n\ndiscriminator:\n\(discriminatorShapes)") }

/*:
 For Fashion-MNIST (a batch of 64, z ∈ ℝ¹⁰⁰), `--show-architecture` prints these two tables
 (25 lines, which would fill a small terminal before training starts, so they are asked for); the numbers
 in the first column are the layers' indices, the prefixes of their parameters in a
 checkpoint (`0.weight`, `4.bias`, …). The generator:

 | | layer | output shape |
 |---:|---|---|
 | | input | [64, 100] |
 | 0 | Linear(100 → 6272) | [64, 6272] |
 | 1 | BatchNorm(6272) | [64, 6272] |
 | 2 | ReLU | [64, 6272] |
 | 3 | Unflatten(128×7×7) | [64, 128, 7, 7] |
 | 4 | ConvTranspose2d(128 → 64, 4×4, stride 2, padding 1) | [64, 64, 14, 14] |
 | 5 | BatchNorm(64) | [64, 64, 14, 14] |
 | 6 | ReLU | [64, 64, 14, 14] |
 | 7 | ConvTranspose2d(64 → 1, 4×4, stride 2, padding 1) | [64, 1, 28, 28] |
 | 8 | Tanh | [64, 1, 28, 28] |

 and the discriminator, the same sizes in reverse, ending in one score per image:

 | | layer | output shape |
 |---:|---|---|
 | | input | [64, 1, 28, 28] |
 | 0 | Conv2d(1 → 64, 4×4, stride 2, padding 1) | [64, 64, 14, 14] |
 | 1 | LeakyReLU(0.2) | [64, 64, 14, 14] |
 | 2 | Conv2d(64 → 128, 4×4, stride 2, padding 1) | [64, 128, 7, 7] |
 | 3 | BatchNorm(128) | [64, 128, 7, 7] |
 | 4 | LeakyReLU(0.2) | [64, 128, 7, 7] |
 | 5 | Flatten | [64, 6272] |
 | 6 | Linear(6272 → 1) | [64, 1] |

 Both are initialised the DCGAN way and trained with the recipe's Adam settings:
 */
initializeDCGAN(G, using: &weights)
initializeDCGAN(D, using: &weights)
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
 The game and the losses are the minimax chapter's, binary cross-entropy on logits with the
 non-saturating generator loss, played by the library's `MinimaxGAN`
 (`MinimaxGAN.trainStep` in `Sources/Workbook/GAN/MinimaxTraining.swift`, shown in §11.2).
 It takes any pair of networks, so the comparison below trains the MLPs with the same
 iteration: D steps on real and (detached) generated images, then G steps to make the
 updated D call its images real.
 */
let gan = MinimaxGAN(generator: G, discriminator: D, generatorOptimizer: optimizerG,
                     discriminatorOptimizer: optimizerD, latent: latent)
let started = ContinuousClock.now
run.train(metrics: ["d_loss", "g_loss", "d_real", "d_fake"], snapshot: { G(fixedNoise) }) { _, random in
    let step = gan.trainStep(real: batches.next(), using: &random)
    return [step.discriminatorLoss, step.generatorLoss, step.realScore, step.fakeScore]
}
let trainingTime = ContinuousClock.now - started

run.writeSampleFigures()
// snippet.hide
orExit {
    try FigureGrid.sideBySide(title: "Ch11.4 DCGAN: the same noise after each epoch",
                              run.snapshots.enumerated().map { ("epoch \($0.offset + 1)", $0.element) })
        .write(to: run.figurePath("epochs"))
}
// snippet.show
run.plot("losses", title: "DCGAN losses", yTitle: "binary cross-entropy",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("scores", title: "What the discriminator believes", yTitle: "mean D(·), probability of real",
         series: [("d_real", "D(x), real images"), ("d_fake", "D(G(z)), generated images")])

/*:
 #### Running it

 ```
 swift run Ch11_4_DCGAN    # three epochs of Fashion-MNIST: 2,811 iterations of 64 images
 ```

 The default is three epochs, and the reason is what the samples look like on the way. We
 trained the same recipe in PyTorch as well, on the same data
 (`Tools/Bench/peer/dcgan_train.py`), to rule out a fault of our library: both give the
 same picture. After one epoch the samples are streaky and nearly
 all tops; after two, trousers, sneakers, pullovers and shirts appear with clean outlines;
 the third epoch sharpens them further. Three epochs take about four minutes of training on
 two cores. The run writes a grid after every epoch
 (`figures/ch11_4_dcgan_samples_epoch01.png`, …), an animation of them
 (`ch11_4_dcgan_samples.gif`) and the three side by side:

 ![The DCGAN's samples of the same noise after each of the three epochs](figures/ch11_4_dcgan_epochs.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 ![DCGAN samples after three epochs](figures/ch11_4_dcgan_samples.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 ![DCGAN losses](figures/ch11_4_dcgan_losses.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 ![What the DCGAN discriminator believes](figures/ch11_4_dcgan_scores.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 #### Walking through the latent space

 If the generator has learned a smooth map from noise to images, points between two noise
 vectors decode to images between the two garments; one that had memorised training images
 would jump between them. We interpolate *spherically* (`sphericalInterpolation` in
 `Sources/Workbook/GAN/LatentInterpolation.swift`): in 100 dimensions almost all of a
 Gaussian's mass lies near the sphere of radius 10, and the straight line between two samples
 cuts through its inside, where the generator never received inputs during training. The
 great circle between them stays on the sphere.

 <!-- snippet: Sources/Workbook/GAN/LatentInterpolation.swift#slerp -->

 Each row decodes ten points on the way between two fixed noise vectors:
 */
var endpoints = run.generator("interpolation")
let paths = (0..<6).map { _ in
    sphericalInterpolation(from: Tensor.randomNormal([latent], using: &endpoints).values,
                           to: Tensor.randomNormal([latent], using: &endpoints).values, steps: 10)
}
let morphs = evaluating { G(Tensor.concatenate(paths)) }
// snippet.hide
orExit {
    try SampleGrid(pixels: morphs.values, channels: images.channels, height: images.height, width: images.width,
                   columns: 10, caption: "Ch11.4 DCGAN — spherical interpolation between fixed z pairs, step \(run.step)")
        .write(to: run.figurePath("interpolation"))
}
// snippet.show

/*:
 ![Six spherical interpolations between fixed noise pairs](figures/ch11_4_dcgan_interpolation.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 #### MLP against DCGAN, the same noise

 The minimax chapter's generator was trained on the same data with the same seed, so its
 fixed noise batch is this chapter's too. `--compare-with FILE` draws a saved generator's
 images of that noise beside the DCGAN's; the book's figure uses §11.2's MLP GAN:
 */
if let path = options.compareWith {
    let other = orExit { try CheckpointGenerator(path: path) }
    let otherImages = other.images(for: fixedNoise).reshaped([-1] + images.imageShape)
    let dcganImages = evaluating { G(fixedNoise) }
    // snippet.hide
    orExit {
        let otherSteps = other.trainingSteps.map { "\($0) steps" } ?? "steps not recorded"
        try FigureGrid.sideBySide(title: "The same noise: the MLP GAN of §11.2 and the DCGAN", [
            ("\(other.chapter.rawValue), \(otherSteps)", try run.sampleGrid(otherImages, caption: path)),
            ("ch11_4_dcgan, \(run.step) steps", try run.sampleGrid(dcganImages, caption: "Ch11.4 DCGAN")),
        ]).write(to: run.figurePath("vs_mlp"))
    }
    // snippet.show
}
run.finish()

/*:
 ![The MLP GAN of §11.2 and the DCGAN, decoding the same noise](figures/ch11_4_dcgan_vs_mlp.png)
 *`swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`*

 The same 64 noise vectors, decoded by the two generators. The MLP's garments, after five
 epochs, are silhouettes at best, every one sprinkled with single-pixel noise: an MLP has no
 notion that neighbouring pixels belong together, and must learn each pixel's relation to
 every other from data. The DCGAN's, after three epochs, are smooth, with clean outlines,
 and more varied: shoes with soles, trousers with two legs, long and short sleeves, a
 dress. The §11.5 leaderboard puts numbers on it: the DCGAN's Fréchet distance
 is 49.69 against the MLP's 284.17, the lowest of all the workbook's models. The convolutions do cost more per iteration: the
 README's speed table counts 9.44 GFLOP of matrix products for a DCGAN step against 1.01
 for the MLPs', so the three DCGAN epochs are more than five times the arithmetic of the
 five MLP epochs. Whether the MLPs catch up when given as much time is Exercise 11.4.3, at the end of the chapter.

 #### Exercises for 11.4.1

 ##### Exercise 11.4.1: a DCGAN on larger images

 * Train on a folder of your own photos, or CIFAR-10 exported as PNG files; images are
   centre-cropped and resized to 64×64 and the 64-pixel networks are used:
   `swift run Ch11_4_DCGAN --images ~/data/cifar10-png --epochs 10`
 * Compare with the basic GAN on the same wall-clock budget:
   `swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`
   (longer: add `--epochs 5`).
 * Handwritten digits instead of clothes: `swift run Ch11_4_DCGAN --data ~/data/mnist`.
 * Other layer configurations: change `dcganGenerator` and `dcganDiscriminator` in
   `Sources/Workbook/GAN/ConvArchitectures.swift` (for example 32 and 64 channels instead of
   64 and 128, or no batch normalisation in D) and rerun `swift run Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors`.
 */

/*:
 #### What 11.4.1 showed

 - Convolutions build two facts about images into the networks: neighbouring pixels belong
   together, and a pattern means the same wherever it appears. The discriminator is an
   ordinary image classifier; the generator grows a small stack of feature maps into an
   image with transposed convolutions.
 - The DCGAN recipe: strided convolutions instead of pooling, batch normalisation except at
   the generator's output and the discriminator's input, ReLU and a tanh output in G,
   LeakyReLU with slope 0.2 in D, weights from N(0, 0.02), and Adam with β₁ = 0.5.
 - A transposed convolution's output size is (in − 1)·s − 2p + k + output_padding; kernel 4,
   stride 2 and padding 1 double the size, which the 28×28 generator uses twice from 7×7, and
   the chapter checks the library's layer against the formula.
 - The game, the losses and the iteration are the minimax chapter's `MinimaxGAN.trainStep`;
   only the networks change, and `--images` switches to the 64×64 RGB pair.
 - Spherical interpolation walks between two noise vectors along the sphere where nearly all
   of a 100-dimensional Gaussian's mass lies, where the generator received its inputs during
   training; a straight line would cut through the sphere's inside.
 - Each network is checked block by block before training: every layer's output shape is
   listed, and a generator that does not make images of the data's shape stops the run.
 - Three epochs (2,811 iterations, about four minutes on two cores) take the samples from
   streaky tops to smooth, varied garments; the same recipe in PyTorch behaves the same.
   Beside §11.2's MLP GAN, on the same noise, the DCGAN's images have none of the MLP's speckle,
   and its Fréchet distance is the lowest on the §11.5 leaderboard.
 */
