/*:
 ## 11.3 Training GANs: the stabilisers, side by side

 PROSE-INTRO
 */
import Foundation
import NN
import Tensor
import Workbook

let study = Study(name: "ch11_3_techniques", options: options.study)
let quick = options.study.quick
let techniques = options.chosenTechniques
// snippet.hide
let classifier: FeatureClassifier? = quick && !FileManager.default.fileExists(atPath: options.classifier)
    ? nil : orExit { try FeatureClassifier.load(from: options.classifier) }
if classifier == nil { print("note: no classifier at \(options.classifier); the quick run skips the image metrics") }
// snippet.show

/*:
 PROSE-TECHNIQUES
 */
// snippet.techniques
func game(_ technique: Technique, generator G: Sequential, discriminator plainD: Sequential,
          recipe: MinimaxRecipe, steps: Int, random: inout SeededGenerator) -> MinimaxGAN {
    let D = technique == .spectralNorm ? plainD.spectrallyNormalized(using: &random) : plainD
    let lr = recipe.learningRate, ttur = lr / options.learningRate
    let (lrG, lrD): (Float, Float) = switch technique {
    case .ttur: (options.generatorLearningRate * ttur, options.discriminatorLearningRate * ttur)
    case .highLearningRate: (lr * options.sweepFactor, lr * options.sweepFactor)
    case .lowLearningRate: (lr / options.sweepFactor, lr / options.sweepFactor)
    default: (lr, lr)
    }
    let gan = MinimaxGAN(
        generator: G, discriminator: D,
        generatorOptimizer: Adam(G.parameters, learningRate: lrG, beta1: recipe.beta1, beta2: recipe.beta2),
        discriminatorOptimizer: Adam(D.parameters, learningRate: lrD, beta1: recipe.beta1, beta2: recipe.beta2),
        latent: recipe.latentDimension)
    switch technique {
    case .labelSmoothing: gan.realTarget = options.labelSmoothing
    case .instanceNoise: gan.instanceNoise = InstanceNoise(initial: options.instanceNoise, totalSteps: steps)
    case .featureMatching: gan.featureMatching = D.prefix(D.layers.count - 1)  // D up to its last hidden layer
    case .labelFlipping: gan.labelFlipping = options.flipFraction
    default: break
    }
    return gan
}
// snippet.end

/*:
 PROSE-IMAGES
 */
let images = orExit { try loadIDXDataset(directory: options.data.data, limit: quick ? RunSettings.quickExamples : nil) }
let imageRecipe = MinimaxRecipe(learningRate: options.learningRate, beta1: 0.5, beta2: 0.999,
                                batchSize: options.batchSize, latentDimension: 100)
let imageSteps = quick ? 4 : options.steps
var noise = SeededGenerator(seed: options.study.seed, purpose: "fixed noise")
let fixedNoise = Tensor.randomNormal([36, imageRecipe.latentDimension], using: &noise)
let imageRuns = techniques.map { technique in
    orExit {
        try TechniqueStudy.trainImages(technique, recipe: imageRecipe, images: images, steps: imageSteps,
                                       seed: options.study.seed, fixedNoise: fixedNoise, build: game)
    }
}

/*:
 PROSE-METRICS
 */
let sampleCount = quick ? 200 : options.samples
let cards: [ScoreCard?] = orExit {
    guard let classifier else { return imageRuns.map { _ in nil } }
    let test = try loadIDXDataset(directory: options.data.data, split: .test, limit: sampleCount)
    let reference = try EmbeddedImages("test images", images: imageTensor(test), classifier: classifier)
    return try imageRuns.map { run in
        guard run.divergedAt == nil else { return nil }
        let generated = TechniqueStudy.sample(run, count: sampleCount, latent: imageRecipe.latentDimension,
                                              seed: options.study.seed)
        return try scoreCard(EmbeddedImages(run.technique.title, images: generated, classifier: classifier),
                             against: reference, settings: quick ? .quick : MetricSettings())
    }
}

/*:
 PROSE-TOY
 */
let toyRecipe = MinimaxRecipe(learningRate: 1e-3, beta1: 0.5, beta2: 0.9, batchSize: 256, latentDimension: 2)
let seeds = (0..<(quick ? 1 : options.seeds)).map { options.study.seed &+ UInt64($0) }
let jobs = [ToyDistribution.ring, .grid].flatMap { distribution in
    techniques.flatMap { technique in
        seeds.map { TechniqueStudy.ToyJob(technique: technique, distribution: distribution, seed: $0) }
    }
}
let toyRuns = await TechniqueStudy.trainToys(jobs, recipe: toyRecipe, steps: quick ? 20 : options.toySteps,
                                             concurrently: options.study.threads, build: game)

/*:
 PROSE-RESULTS
 */
// snippet.hide
let table = TechniqueStudy.table(imageRuns, cards: cards, toyRuns: toyRuns)
print(table)
orExit {
    try table.write(toFile: study.path("table.md"), atomically: true, encoding: .utf8)
    try TechniqueStudy.samplesFigure(imageRuns, steps: imageSteps).write(to: study.path("samples.png"))
    try TechniqueStudy.scoresFigure(imageRuns).write(to: study.path("scores.png"))
}
let fields: [(key: String, value: String)] = [("techniques", "\(techniques.count)"), ("steps", "\(imageSteps)")]
    + zip(imageRuns, cards).map { ("fd_\($0.technique.key)", $1.map { String(format: "%.1f", $0.fd) } ?? "nan") }
    + [("seconds", "\(study.seconds)")]
print(summaryLine(chapter: study.name, fields))
// snippet.show
