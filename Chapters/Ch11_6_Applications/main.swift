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

 ### Searching the latent space

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
 ### Anomaly detection

 A GAN trained only on normal data learns what normal looks like; an input it cannot
 reproduce, or that its discriminator finds unconvincing, is flagged. This is how defects
 on a production line or unusual transactions are found when there are too few examples of
 them to train a classifier. We train the minimax GAN of 11.2 on nine of the ten classes,
 leaving out bags, and score 300 test bags and 300 test images of the other classes in two
 ways: (a) by the discriminator's logit (low means "not like my training data"), and
 (b) by AnoGAN's residual (Schlegl et al. 2017), the distance to the closest image the
 generator can make. The area under the ROC curve says how well each score separates the
 two groups: 0.5 is chance, 1 is perfect.
 */
func detectAnomalies(_ options: ApplicationOptions, _ study: Study) {
    let (train, test) = loadSplits(options)
    var detector = AnomalyDetection()
    if options.study.quick { (detector.trainingSteps, detector.imagesPerGroup, detector.search.steps) = (10, 20, 3) }
    let outcomes = seeds(options, default: 3).map { seed in
        orExit { try detector.run(train: train, test: test, seed: seed) { print("seed \(seed): \($0)") } }
    }
    let byCritic = OverSeeds(outcomes.map(\.discriminatorAUROC)), byResidual = OverSeeds(outcomes.map(\.residualAUROC))
    // snippet.hide
    let heldOutName = train.classNames[detector.heldOutClass]
    let table = """
        | score (held-out class: \(heldOutName), \(outcomes.count) seeds) | AUROC, mean ± spread | per seed |
        | --- | --- | --- |
        | discriminator's logit | \(byCritic) | \(byCritic.values.map { String(format: "%.3f", $0) }.joined(separator: ", ")) |
        | AnoGAN residual | \(byResidual) | \(byResidual.values.map { String(format: "%.3f", $0) }.joined(separator: ", ")) |

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
 The scores themselves take a few lines of the study
 (`Sources/Workbook/Applications/Applications.swift`), and the area under the curve is the
 Mann–Whitney statistic:

 <!-- snippet: Sources/Workbook/Applications/Applications.swift#anomaly-scores -->

 <!-- snippet: Sources/Workbook/Applications/ROC.swift#auroc -->

 ### Data augmentation

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
    let accuracy = augmentation.mixRatios.indices.map { ratio in OverSeeds(runs.map { $0[ratio] }) }
    // snippet.hide
    let rows = zip(augmentation.mixRatios, accuracy).map { "| \($0) | \($1) |" }
    let table = (["| generated per real image | test accuracy, mean ± spread (\(runs.count) seeds) |", "| --- | --- |"] + rows)
        .joined(separator: "\n") + "\n"
    print(table)
    let bars = zip(augmentation.mixRatios, accuracy).map { BarChart.Bar(label: "\($0)×", value: $1.mean * 100, error: $1.spread * 100) }
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
 ### Inpainting

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

// snippet.hide
func runAll(_ options: ApplicationOptions) {
    let study = Study(name: "ch11_6_applications", options: options.study)
    detectAnomalies(options, study)
    augment(options, study)
    inpaint(options, study)
}

Applications.runCommandLine()
// snippet.show
