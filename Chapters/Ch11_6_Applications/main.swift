/*:
 ## 11.6 Where GANs are used

 GANs earned their reputation with pictures, and images remain their home ground. The same
 adversarial recipe, a generator taught by a learned critic instead of a fixed loss, turns up
 wherever "make something that looks like these" is the task.

 **Image synthesis.** Large descendants of the DCGAN in this chapter (progressive growing,
 StyleGAN, BigGAN) produce faces, rooms and objects at megapixel resolution. Their latent
 spaces are smooth enough to edit: moving along a direction of z changes age, lighting or
 pose while keeping the rest. Design, games and film use them to draft textures, characters
 and product variants.

 **Image-to-image translation.** Condition the generator on an image instead of a label and
 it learns a mapping: sketches to photos, maps to aerial views, day to night (pix2pix), or,
 with a cycle-consistency loss that needs no paired examples, horses to zebras and photos to
 paintings (CycleGAN). Super-resolution (SRGAN) and inpainting use the adversarial loss for
 the same reason: a pixel-wise loss averages plausible answers into a blur, a discriminator
 insists on *one* sharp, plausible answer.

 **Science.** Physicists use GANs as fast surrogates for expensive detector simulations;
 chemists generate candidate molecules as graphs (MolGAN) and steer them toward desired
 properties; climate scientists downscale coarse simulations to fine grids.

 **Audio and other sequences.** Adversarial training also makes speech vocoders (MelGAN,
 HiFi-GAN) that turn spectrograms into waveforms in real time, and music generators
 (MuseGAN). For text, where samples are discrete and gradients cannot flow through them,
 GANs have been less successful than autoregressive models.

 **Misuse and responsibility.** The realism that makes these applications work also makes
 convincing forgeries: faces of people who do not exist, swapped faces in video, cloned
 voices. Detection (itself often a trained discriminator), provenance watermarks and clear
 labelling of synthetic media are the current answers, and none is complete. Synthetic data
 also inherits, and can amplify, the biases of the data it was trained on: a generator that
 under-covers a group (low recall, in 11.5's terms) produces a training set that does too.

 Diffusion models have since overtaken GANs for most high-fidelity image generation (11.1
 compares the families on toy data), but GANs remain the fastest samplers, a single forward
 pass, and their adversarial loss lives on inside many other systems as a sharpening term.

 Three of these uses are small enough to measure here, on Fashion-MNIST, each a subcommand
 of `swift run Ch11_6_Applications` (`anomaly`, `augment`, `inpaint`; with none, all three
 run in turn). Two of them rest on one tool: searching the generator's input for the image
 that best matches a given one.

 ### 11.6.1 Searching the latent space

 A trained generator defines a surface of images G(z). For an image x we can look for the
 point on that surface closest to it, minimising ‖G(z) − x‖² over z with G's weights fixed.
 That is an ordinary gradient descent, in z instead of in θ, and our `gradients(of:wrt:)`
 takes the gradient with respect to any tensor, the input as readily as a weight
 (`Sources/Workbook/Applications/LatentSearch.swift`):

 <!-- snippet: Sources/Workbook/Applications/LatentSearch.swift#latent-search -->
 */
// snippet.hide
import Formats
import Foundation
import NN
import Tensor
import Workbook

/// Both data splits, a small part of them with `--quick`.
func loadSplits(_ options: ApplicationOptions) -> (train: ImageDataset, test: ImageDataset) {
    orExit {
        (try loadIDXDataset(directory: options.data.data, split: .train, limit: options.study.quick ? 3_000 : nil),
         try loadIDXDataset(directory: options.data.data, split: .test, limit: options.study.quick ? 1_000 : nil))
    }
}

func seeds(_ options: ApplicationOptions, default count: Int) -> [UInt64] {
    (0..<(options.study.quick ? 1 : options.seeds ?? count)).map { options.study.seed &+ UInt64($0) }
}
// snippet.show

/*:
 ### 11.6.2 Anomaly detection

 A GAN trained only on normal data learns what normal looks like; an input it cannot
 reproduce, or that its discriminator finds unconvincing, is flagged. This is how defects
 on a production line or unusual transactions are found when there are too few examples of
 them to train a classifier. We train the minimax GAN of 11.2 on nine of the ten classes,
 leaving out bags, and score 300 test bags and 300 test images of the other classes in two
 ways: (a) by the discriminator's logit (low means "not like my training data"), and
 (b) by an AnoGAN-style residual, the distance to the closest image the generator can make.
 (Schlegl et al. 2017 score A = (1−λ)·R + λ·D, an L1 residual R plus a feature-matching
 term D on the discriminator; ours is a masked squared error plus a prior on z.) The area under the ROC curve says how well each score separates the
 two groups: 0.5 is chance, 1 is perfect.
 */
func detectAnomalies(_ options: ApplicationOptions, _ study: Study) {
    let (train, test) = loadSplits(options)
    var detector = AnomalyDetection()
    if options.study.quick { (detector.trainingSteps, detector.imagesPerGroup, detector.search.steps) = (10, 20, 3) }
    let outcomes = seeds(options, default: 3).map { seed in
        orExit { try detector.run(train: train, test: test, seed: seed) { print("seed \(seed): \($0)") } }
    }
    let byCritic = SeedSpread(outcomes.map(\.discriminatorAUROC)), byResidual = SeedSpread(outcomes.map(\.residualAUROC))
    // snippet.hide
    let heldOutName = train.classNames[detector.heldOutClass]
    let table = """
        | score (held-out class: \(heldOutName), \(outcomes.count) seeds) | AUROC, mean ± spread | per seed |
        | --- | --- | --- |
        | discriminator's logit | \(byCritic.formatted(decimals: 3)) | \(byCritic.values.map { String(format: "%.3f", $0) }.joined(separator: ", ")) |
        | AnoGAN residual | \(byResidual.formatted(decimals: 3)) | \(byResidual.values.map { String(format: "%.3f", $0) }.joined(separator: ", ")) |

        """
    print(table)
    orExit {
        try atomicWrite(Array(table.utf8), to: study.path("anomaly.md"))
        try detector.rocFigure(outcomes[0], heldOutName: heldOutName).write(to: study.path("roc.png"))
        try detector.reconstructionsFigure(outcomes[0], heldOutName: heldOutName).write(to: study.path("reconstructions.png"))
    }
    study.finish(["command": "anomaly", "seeds": "\(outcomes.count)", "auroc_discriminator": String(format: "%.3f", byCritic.mean),
                  "auroc_residual": String(format: "%.3f", byResidual.mean), "seconds": "\(study.seconds)"])
    // snippet.show
}

/*:
 ```sh
 swift run Ch11_6_Applications anomaly      # 3 seeds, 3,000 GAN iterations each (about 3 minutes)
 ```

 ![ROC curves of the two anomaly scores](figures/ch11_6_applications_roc.png)

 *`swift run Ch11_6_Applications --out figures`: seed 0's ROC curves; the table below has all
 three seeds (`figures/ch11_6_applications_anomaly.md`).*

 | score (held-out class: Bag, 3 seeds) | AUROC, mean ± spread | per seed |
 | --- | --- | --- |
 | discriminator's logit | 0.327 ± 0.030 | 0.299, 0.358, 0.324 |
 | AnoGAN residual | 0.673 ± 0.021 | 0.674, 0.653, 0.694 |

 The residual is the better detector: about two times in three it ranks a bag above an
 image of a seen class (0.673), and every seed agrees (from 0.653 to 0.694). The
 discriminator's logit is worse than chance on every seed (from 0.299 to 0.358): it scores
 the unseen bags as *more* real than images of the classes it was trained on. That is
 what a discriminator is trained for: to tell *this generator's* fakes from real images, not
 to model the real distribution, so what it calls "unlike the data" is whatever this
 generator draws at the moment training stops, and a bag, which it never draws, is nothing
 like that. Neither score is a good detector here: a bag differs
 from a shirt less than a defect differs from a clean part, and an MLP generator after three
 epochs' worth of iterations covers its nine classes only roughly.

 ![Bags and seen images with the generator's closest images](figures/ch11_6_applications_reconstructions.png)

 *The same run: the four bags with the largest residual over the images the search found for
 them, and the four seen-class images with the smallest.* The generator has no bag to offer,
 so the search settles on grey blobs; for trousers it finds trousers.

 The scores themselves take a few lines of the study
 (`Sources/Workbook/Applications/Applications.swift`), and the area under the curve is the
 Mann–Whitney statistic:

 <!-- snippet: Sources/Workbook/Applications/Applications.swift#anomaly-scores -->

 <!-- snippet: Sources/Workbook/Applications/ROC.swift#auroc -->

 ### 11.6.3 Data augmentation

 Where labelled data is scarce, a conditional generator can make more. We give a small
 classifier (one hidden layer of 256 units) 100 labelled images per class, then the same
 plus samples of the conditional GAN of 11.4 (`models/ch11_4_cgan_generator.safetensors`,
 trained on the full training set: the favourable case, where the generator has seen far
 more data than the classifier), at several ratios of generated to real images, with the
 same number of training steps each time, and measure test accuracy over five seeds.
 */
func augment(_ options: ApplicationOptions, _ study: Study) {
    let (train, test) = loadSplits(options)
    let generator = orExit { try CheckpointGenerator(path: options.conditionalGenerator, architecture: .conditional) }
    var augmentation = Augmentation()
    if options.study.quick { (augmentation.labelledPerClass, augmentation.trainingSteps, augmentation.mixRatios) = (5, 5, [0, 1]) }
    let runs = seeds(options, default: 5).map { seed in
        orExit { try augmentation.run(train: train, test: test, generator: generator, seed: seed) }
    }
    let accuracy = augmentation.mixRatios.indices.map { ratio in SeedSpread(runs.map { $0[ratio] }) }
    // snippet.hide
    let rows = zip(augmentation.mixRatios, accuracy).map { "| \($0) | \($1.formatted(decimals: 3)) |" }
    let table = (["| generated per real image | test accuracy, mean ± spread (\(runs.count) seeds) |", "| --- | --- |"] + rows)
        .joined(separator: "\n") + "\n"
    print(table)
    let bars = zip(augmentation.mixRatios, accuracy).map { BarChart.Bar(label: "\($0)×", value: $1.mean * 100, error: $1.standardDeviation * 100) }
    orExit {
        try atomicWrite(Array(table.utf8), to: study.path("augmentation.md"))
        try BarChart(title: "Classifier on 100 real images per class, plus cGAN samples", valueTitle: "test accuracy (%)",
                     bars: bars).write(to: study.path("augmentation.png"))
    }
    let best = zip(augmentation.mixRatios, accuracy).max { $0.1.mean < $1.1.mean }!
    study.finish(["command": "augment", "seeds": "\(runs.count)", "baseline": String(format: "%.4f", accuracy[0].mean),
                  "best_ratio": "\(best.0)", "best": String(format: "%.4f", best.1.mean), "seconds": "\(study.seconds)"])
    // snippet.show
}

/*:
 ![Test accuracy against the share of generated images](figures/ch11_6_applications_augmentation.png)

 *`swift run Ch11_6_Applications --out figures`: test accuracy (10,000 test images), mean
 and spread over 5 seeds (`figures/ch11_6_applications_augmentation.md`).*

 | generated per real image | test accuracy, mean ± spread (5 seeds) |
 | --- | --- |
 | 0.0 | 0.797 ± 0.004 |
 | 0.5 | 0.798 ± 0.002 |
 | 1.0 | 0.796 ± 0.003 |
 | 2.0 | 0.790 ± 0.003 |
 | 4.0 | 0.780 ± 0.006 |

 Augmentation does not help here. With 100 real images per class the classifier reaches
 79.7%; half as many generated images leave it at 79.8% and as many again at 79.6%, within
 the spread over seeds, and more of them make it worse, down to 78.0% at four generated images per real
 one. Two reasons show in the earlier
 sections: the conditional generator draws the class it is asked for only part of the time
 (11.4's class-match measurement), so generated images bring label noise; and its samples
 are less varied than real ones (11.5's recall), so they add little the real images do not
 already show. Augmentation pays where the generator is better than the classifier's own
 data can be, which this small experiment does not reach.

 ### 11.6.4 Inpainting

 Hide part of an image and the same search completes it: look for the z whose image agrees
 with the *visible* pixels (the mask below), keep those pixels, and take the hidden ones from
 G(z). A small prior term keeps z where the generator was trained. The completion's error on
 the hidden pixels is compared with the simplest guess, the mean training image.

 <!-- snippet: Sources/Workbook/Applications/Applications.swift#inpainting-mask -->
 */
func inpaint(_ options: ApplicationOptions, _ study: Study) {
    let (train, test) = loadSplits(options)
    let generator = orExit { try CheckpointGenerator(path: options.generator) }
    var inpainting = Inpainting()
    if options.study.quick { (inpainting.count, inpainting.search.steps) = (8, 3) }
    let outcome = inpainting.run(generator: generator, train: train, test: test, seed: options.study.seed)
    print(String(format: "search objective %.3f → %.3f; hidden pixels' mean squared error: completion %.4f, mean image %.4f",
                 outcome.objective.start, outcome.objective.end, outcome.completionError, outcome.meanImageError))
    // snippet.hide
    orExit { try outcome.figure().write(to: study.path("inpainting.png")) }
    study.finish(["command": "inpaint", "images": "\(outcome.truth.shape[0])",
                  "completion_mse": String(format: "%.4f", outcome.completionError),
                  "mean_image_mse": String(format: "%.4f", outcome.meanImageError), "seconds": "\(study.seconds)"])
    // snippet.show
}

/*:
 ![Inpainting: masked, completed and true images](figures/ch11_6_applications_inpainting.png)

 *`swift run Ch11_6_Applications --out figures`: the first 12 of 64 test images, completed by
 the WGAN-GP chapter's generator after 200 steps of the search.*

 The completions are plausible in shape where the generator knows the garment (trousers get
 legs, tops get a body) but blurred and grey, and by the numbers they lose: their mean
 squared error on the hidden pixels is 0.424, against 0.379 for simply pasting in the mean
 training image. Squared error rewards an average: the mean image is the best constant
 guess by construction, while a committed guess that is slightly wrong pays twice. The
 search also fits the visible half only roughly (its objective falls from 0.55 to 0.28 per
 image), which is the generator's limit, not the search's. Better generators, and a
 perceptual or adversarial term in the objective as in Yeh et al. (2017), are what make GAN
 inpainting look convincing.
 */

// snippet.hide
func runAll(_ options: ApplicationOptions) {
    let study = Study(name: "ch11_6_applications", options: options.study)
    detectAnomalies(options, study)
    augment(options, study)
    inpaint(options, study)
}

Applications.runCommandLine()
// snippet.show

/*:
 ### Exercises

 Each subcommand writes its table or figure into the `--out` folder and prints its numbers.

 #### Exercise 11.6.1: how much does the discriminator's verdict wander?

     swift run Ch11_6_Applications anomaly --seeds 6 --out runs/anomaly-6-seeds

 Twice the seeds. In `ch11_6_applications_anomaly.md`, does the discriminator's AUROC still
 range from above to below chance while the residual's stays in a narrow band? Which score
 would you trust on a single training run?

 #### Exercise 11.6.2: a generator that follows its labels better

     swift run Ch11_4_CGAN --conditioning projection --out runs/cgan-projection
     swift run Ch11_6_Applications augment --conditional-generator runs/cgan-projection/checkpoints/ch11_4_cgan/generator.safetensors --out runs/augment-projection

 The first command prints its class match; compare it with the default generator's in §11.4.
 Does the new generator's table, `ch11_6_applications_augmentation.md`, lose less accuracy
 at the larger ratios than the table above, and does the answer follow the class match?

 #### Exercise 11.6.3: inpainting with other generators

     swift run Ch11_6_Applications inpaint --generator models/ch11_4_dcgan_generator.safetensors --out runs/inpaint-dcgan
     swift run Ch11_6_Applications inpaint --generator models/ch11_2_minimax_generator.safetensors --out runs/inpaint-minimax

 Each prints the search's objective and the hidden pixels' squared error, for the completion
 and for the mean image. Does either generator beat the mean image, and does a lower search
 objective go with a lower completion error? Compare the completions in
 `ch11_6_applications_inpainting.png` with the WGAN-GP generator's above.

 ### Summary

 - The adversarial recipe travels well beyond image synthesis: image-to-image translation,
   super-resolution and inpainting, scientific surrogates and molecules, and speech
   vocoders; the same realism enables forgeries, and synthetic data inherits the biases of
   its training data.
 - With the generator's weights fixed, gradient descent on z finds the generated image closest
   to a given one; this latent search is the tool behind AnoGAN's residual and behind
   inpainting.
 - For spotting a class the GAN never saw, AnoGAN's residual gave the same modest separation
   on every seed, while the discriminator's logit was worse than chance on every seed,
   because a discriminator judges the current generator's fakes, not the data.
 - Adding samples of the conditional GAN to a classifier's 100 real images per class did not
   raise its test accuracy, and more generated images lowered it.
 - Inpainted garments were plausible in shape but lost to the mean training image on squared
   error over the hidden pixels, which rewards an average over a committed guess.
 */
