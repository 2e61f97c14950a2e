/*:
 ### 11.2.4 The relativistic GAN

 #### Real *compared with* fake

 A standard discriminator looks at one image at a time and answers an absolute question:
 how likely is it that *this* image is real? Nothing in that question refers to the other
 images in the batch. Yet the batch is known to be half real and half generated, so as the
 fakes grow more convincing, the real images ought to look *less* certainly real; a
 standard discriminator can push every score towards "real" at once, and at the end of
 training it still believes the real images are real with probability near one.

 Jolicoeur-Martineau (2018) proposed to make the comparison explicit. Keep the network
 $C(x)$ that outputs a raw score (the discriminator before its sigmoid), and ask a
 **relative** question instead: is a real image $x_r$ more realistic than a generated one
 $x_f$? In the *relativistic standard GAN* (RSGAN) the probability is
 $D(x_r, x_f) = \sigma(C(x_r) - C(x_f))$ for a pair. The *relativistic average* variants
 compare each image with the average of the other kind in the batch, which is cheaper and
 less noisy than comparing pairs: $\sigma(C(x_r) - \mathbb{E}\,C(x_f))$ for real images and
 $\sigma(C(x_f) - \mathbb{E}\,C(x_r))$ for generated ones.

 The original chapter trains the **relativistic average least-squares GAN** (RaLSGAN), which
 replaces the sigmoid and log by squared distances to the targets ±1:

 $$L_C = \mathbb{E}_{x_r}\big[(C(x_r) - \mathbb{E}\,C(x_f) - 1)^2\big] + \mathbb{E}_{x_f}\big[(C(x_f) - \mathbb{E}\,C(x_r) + 1)^2\big]$$

 $$L_G = \mathbb{E}_{x_f}\big[(C(x_f) - \mathbb{E}\,C(x_r) - 1)^2\big] + \mathbb{E}_{x_r}\big[(C(x_r) - \mathbb{E}\,C(x_f) + 1)^2\big]$$

 Real images should score one unit above the average fake and fakes one unit below the
 average real; the generator wants the opposite. Its loss is the discriminator's with the
 roles of real and fake swapped, and this is the practical difference from a standard GAN:
 the real images' term depends on G through $\mathbb{E}\,C(x_f)$, so G gets a gradient from
 both halves of the batch.

 This section is the file `Chapters/Ch11_2_RGAN/main.swift`: `swift run Ch11_2_RGAN` runs it
 (`--help` lists every option; `Options.swift` beside it declares them as `options`;
 `--loss rsgan|rasgan|bce` swaps the loss).
 */
import NN
import Tensor
import Workbook

let run = TrainingRun(name: "ch11_2_rgan", title: "Ch11.2 relativistic GAN (\(options.loss.rawValue))",
                      settings: options.training.settings)
let images = run.loadImages(from: options.source)
let latent = run.settings.latentDimension
let batchSize = run.settings.batchSize

/*:
 #### The networks and the loop

 The original chapter pairs the loss with the 64×64 DCGAN networks and trains on a folder of
 photos. We keep its settings (z drawn uniformly from $[-1, 1]^{128}$, batches of 32,
 Adam with learning rate $10^{-4}$ and $\beta = (0.5, 0.999)$) and scale the networks to
 Fashion-MNIST's 28×28 by reusing the DCGAN section's pair (§11.4, `dcganNetworks` in
 `Sources/Workbook/GAN/ConvArchitectures.swift`); `--images DIR` brings back the original's
 64×64 RGB networks. The discriminator's last layer is a plain score C(x), as every
 relativistic loss needs.
 */
var weights = run.generator("weights")
let (G, C) = orExit { try dcganNetworks(latent: latent, for: images, using: &weights) }
initializeDCGAN(G, using: &weights)
initializeDCGAN(C, using: &weights)
let optimizerG = Adam(G.parameters, learningRate: run.settings.generatorLearningRate,
                      beta1: run.settings.beta1, beta2: run.settings.beta2)
let optimizerC = Adam(C.parameters, learningRate: run.settings.discriminatorLearningRate,
                      beta1: run.settings.beta1, beta2: run.settings.beta2)

run.checkpointing(models: [("generator", G), ("discriminator", C)],
                  optimizers: [("generator", optimizerG), ("discriminator", optimizerC)])
let batches = run.batches(of: images)
var noise = run.generator("fixed noise")
let fixedNoise = Tensor.randomUniform([64, latent], in: -1..<1, using: &noise)
// snippet.hide
// Grids of the first 16 fixed noise vectors at five points of training, for the progress figure.
var progress: [(title: String, figure: any Figure)] = []
let progressSteps = Set((1...5).map { run.totalSteps * $0 / 5 })
// snippet.show

/*:
 Each iteration updates C on a real batch and a detached generated batch, then updates G
 with both batches scored by the updated C. The library writes that step once,
 `AdversarialLoss.trainStep` in `Sources/Workbook/GAN/RelativisticLosses.swift`, for this
 chapter and the conditional one (§11.4):

 <!-- snippet: Sources/Workbook/GAN/RelativisticLosses.swift#adversarial-step -->

 Its two losses are the ones `--loss` picks. The same file writes all four losses of this
 chapter, the three relativistic ones and the standard one for comparison, on raw scores:

 <!-- snippet: Sources/Workbook/GAN/RelativisticLosses.swift#relativistic-losses -->

 The chapter draws the batches and hands them over (left out of this listing: at five points
 of training it also keeps a grid of the first 16 fixed noise vectors, for the progress
 figure below):
 */
run.train(metrics: AdversarialStep.metrics, snapshot: { G(fixedNoise) }) { step, random in
    let real = batches.next()
    let fake = G(Tensor.randomUniform([batchSize, latent], in: -1..<1, using: &random))
    let result = options.loss.trainStep(real: real, fake: fake, discriminator: C, discriminatorOptimizer: optimizerC,
                                        generatorParameters: G.parameters, generatorOptimizer: optimizerG)
    // snippet.hide
    if progressSteps.contains(step + 1) {
        let samples = evaluating { G(fixedNoise.slice(0..<16)) }
        progress.append(("step \(step + 1)", orExit { try run.sampleGrid(samples, caption: "") }))
    }
    // snippet.show
    return result.values
}

/*:
 #### What the original code got wrong

 The original's loss is right. Its loop is not: it runs for 100,000,000 batches and has no
 other exit, so it never finishes and never writes a final result. Here the loop belongs
 to the training harness and stops after `--epochs` passes or exactly `--steps` iterations;
 `ConvChapterTests.relativisticGANStopsAtSteps` runs `--steps 5` and checks that exactly five
 iterations were logged.

 #### Running it

 ```
 swift run Ch11_2_RGAN              # one epoch: 1,875 iterations of 32 images, a few minutes
 swift run Ch11_2_RGAN --epochs 3
 ```

 The default run stops after one epoch, when the garments are only rough silhouettes: the
 original's settings (learning rate 10⁻⁴, batches of 32) are cautious. The figures here come
 from the second command, three epochs (5,625 iterations, about eight minutes at 90 ms per
 iteration on the 2-core machine they were made on). After training, the chapter draws the
 samples, the losses, the score gap and the progress of the same noise:
 */
run.writeSampleFigures()
run.plot("losses", title: "Relativistic GAN losses (\(options.loss.rawValue))", yTitle: "loss",
         series: [("d_loss", "discriminator"), ("g_loss", "generator")])
run.plot("realism_gap", title: "How much more real the real images look", yTitle: "E[C(x_r)] − E[C(x_f)]",
         series: [("realism_gap", "discriminator's score gap")])
// snippet.hide
if !progress.isEmpty {
    orExit {
        try FigureGrid.sideBySide(title: "Ch11.2 relativistic GAN (\(options.loss.rawValue)): the same noise during training",
                                  progress).write(to: run.figurePath("progress"))
    }
}
// snippet.show
run.finish()

/*:
 The samples from the fixed noise batch at the end, and an animation of the grids after each
 epoch, [ch11_2_rgan_samples.gif](figures/ch11_2_rgan_samples.gif):

 ![Relativistic GAN samples after three epochs](figures/ch11_2_rgan_samples.png)
 *`swift run Ch11_2_RGAN --epochs 3`*

 The same sixteen noise vectors decoded at five points of training:

 ![The same noise during relativistic GAN training](figures/ch11_2_rgan_progress.png)
 *`swift run Ch11_2_RGAN --epochs 3`*

 The two losses, and the discriminator's score gap $\mathbb{E}\,C(x_r) - \mathbb{E}\,C(x_f)$,
 the quantity every relativistic loss is built on. C's least-squares targets pull the gap
 towards +1 and G's towards −1. In this run the gap stays close to C's target throughout and
 the generator's loss hardly moves: the discriminator keeps ahead, and the generator improves
 steadily underneath it, as the progress figure shows.

 ![Relativistic GAN losses](figures/ch11_2_rgan_losses.png)
 *`swift run Ch11_2_RGAN --epochs 3`*

 ![Score gap between real and generated images](figures/ch11_2_rgan_realism_gap.png)
 *`swift run Ch11_2_RGAN --epochs 3`*

 To compare losses on the same networks, data and seed:

 ```
 swift run Ch11_2_RGAN --loss rsgan
 swift run Ch11_2_RGAN --loss rasgan
 swift run Ch11_2_RGAN --loss bce        # the standard GAN, for reference
 swift run Ch11_2_RGAN --images ~/Pictures/faces --epochs 20   # the original's 64×64 RGB setting
 ```
 */

/*:
 #### Exercises for 11.2.4

 ##### Exercise 11.2.4: four losses, one pair of networks

 Run `swift run Ch11_2_RGAN` and the three `--loss` commands above (one epoch each; they
 write to `runs/ch11_2_rgan`, `runs/ch11_2_rgan-loss-rsgan`, `runs/ch11_2_rgan-loss-rasgan`
 and `runs/ch11_2_rgan-loss-bce`). Put the four `ch11_2_rgan_progress.png` figures side by
 side: which loss draws recognisable garments first? In each `ch11_2_rgan_realism_gap.png`,
 does the score gap settle at a value, and why is only the least-squares loss's gap pulled
 toward a target?

 ##### Exercise 11.2.5: less cautious settings

     swift run Ch11_2_RGAN --lr 2e-4 --batch-size 64 --out runs/rgan-dcgan-recipe

 These are the DCGAN section's learning rate and batch size. Compared with the default
 one-epoch run, are the garments in `ch11_2_rgan_progress.png` further along, and does the
 loss figure show the game staying balanced or one player running away?

 ##### Exercise 11.2.6: a faster discriminator

     swift run Ch11_2_RGAN --lr-d 4e-4 --out runs/rgan-fast-d

 Only C's learning rate changes. In the realism-gap figure, does C hold its target more
 tightly than in the default run, and does the generator's progress in
 `ch11_2_rgan_progress.png` slow down or not?

 ### Summary

 - A relativistic discriminator answers a relative question, whether a real image looks more
   realistic than a generated one, by comparing raw scores, pair by pair (RSGAN) or against
   the other kind's batch average (RaSGAN, RaLSGAN).
 - RaLSGAN, the original chapter's loss, asks real images to score one unit above the average
   fake and fakes one unit below the average real; the generator's loss swaps the roles, so
   G receives a gradient through the real half of the batch as well.
 - The networks are the DCGAN pair at 28×28, with z drawn uniformly from $[-1, 1]^{128}$ and
   the original's cautious Adam settings; `--images` brings back its 64×64 RGB networks.
 - `AdversarialLoss.trainStep` is the iteration, shared with the conditional GAN, and
   `--loss` swaps between the three relativistic losses and the standard one.
 - The original loop never stopped; here the training harness ends it after `--epochs` or
   exactly `--steps` iterations, and a test checks the count.
 - In the three-epoch run the score gap stays close to the discriminator's target while the
   samples of the same noise keep improving underneath it.
 */
