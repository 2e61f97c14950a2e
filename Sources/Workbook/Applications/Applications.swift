import Foundation
import NN
import Tensor

/// The images of `data` as a [n, pixels] tensor, optionally only those whose label passes `keep`.
func flatImages(_ data: ImageDataset, where keep: (Int) -> Bool = { _ in true }, limit: Int = .max) -> (Tensor, [Int]) {
    var pixels: [Float] = [], labels: [Int] = []
    for index in 0..<data.count where keep(data.labels[index]) && labels.count < limit {
        pixels += data.pixels[(index * data.imageSize)..<((index + 1) * data.imageSize)]
        labels.append(data.labels[index])
    }
    return (Tensor(shape: [labels.count, data.imageSize], values: pixels), labels)
}

// MARK: Anomaly detection

/// A GAN trained on every class but one, then asked which test images look unlike its
/// training data: by the discriminator's score, and by AnoGAN's residual (how far an
/// image is from the nearest one the generator can make; Schlegl et al. 2017).
public struct AnomalyDetection {
    public var heldOutClass = 8  // Bag
    public var trainingSteps = 3000
    public var batchSize = 64
    public var imagesPerGroup = 300
    public var search = LatentSearch(steps: 60)
    public let latent = 100

    public init() {}

    public struct Outcome {
        public let seed: UInt64
        /// Anomaly scores (higher = more anomalous) of held-out-class and seen-class test images.
        public let discriminator: (heldOut: [Float], seen: [Float])
        public let residual: (heldOut: [Float], seen: [Float])
        /// Test images and the generator's closest images, [2 · imagesPerGroup, pixels]: held out first.
        public let images: Tensor, reconstructions: Tensor

        public var discriminatorAUROC: Double { areaUnderROC(positives: discriminator.heldOut, negatives: discriminator.seen) }
        public var residualAUROC: Double { areaUnderROC(positives: residual.heldOut, negatives: residual.seen) }
    }

    public func run(train: ImageDataset, test: ImageDataset, seed: UInt64, progress: (String) -> Void = { _ in }) throws -> Outcome {
        var weights = SeededGenerator(seed: seed, purpose: "weights")
        let G = mlpGenerator(latent: latent, pixels: train.imageSize, using: &weights)
        let D = mlpDiscriminator(pixels: train.imageSize, using: &weights)
        let gan = MinimaxGAN(generator: G, discriminator: D,
                             generatorOptimizer: Adam(G.parameters, learningRate: 2e-4, beta1: 0.5),
                             discriminatorOptimizer: Adam(D.parameters, learningRate: 2e-4, beta1: 0.5), latent: latent)
        let (seenImages, _) = flatImages(train, where: { $0 != heldOutClass })
        var batches = try MinibatchIterator(values: seenImages.values, rowShape: [train.imageSize], batchSize: batchSize,
                                            seed: seed &+ stableHash("data order"))
        for step in 0..<trainingSteps {
            var random = SeededGenerator(seed: seed, purpose: "step \(step)")
            let batch = batches.next()!
            _ = gan.trainStep(real: Tensor(shape: batch.shape, values: batch.values), step: step, using: &random)
            if step % 500 == 499 { progress("GAN step \(step + 1) of \(trainingSteps)") }
        }
        // snippet.anomaly-scores
        let (heldOut, _) = flatImages(test, where: { $0 == heldOutClass }, limit: imagesPerGroup)
        let (seen, _) = flatImages(test, where: { $0 != heldOutClass }, limit: imagesPerGroup)
        let images = Tensor.concatenate([heldOut, seen])
        // (a) The discriminator's verdict: a low "real" logit means "unlike the training data".
        let criticism = evaluating { withoutGradients { -D(images) } }.values
        // (b) AnoGAN: search z so that G(z) matches the image; what is left is the anomaly score.
        var random = SeededGenerator(seed: seed, purpose: "latent search")
        let found = search.run(generator: { z in evaluating { G(z) } }, targets: images,
                               mask: Tensor.ones(images.shape), latent: latent, using: &random)
        // snippet.end
        let n = heldOut.shape[0]
        return Outcome(seed: seed,
                       discriminator: (Array(criticism[..<n]), Array(criticism[n...])),
                       residual: (Array(found.residuals[..<n]), Array(found.residuals[n...])),
                       images: images, reconstructions: found.images)
    }
}

// MARK: Data augmentation

/// A small classifier trained on a few labelled images, with and without images of each
/// class drawn by a conditional generator added to its training set.
public struct Augmentation {
    public var labelledPerClass = 100
    /// Generated images per real one in the training set.
    public var mixRatios: [Double] = [0, 0.5, 1, 2, 4]
    public var trainingSteps = 1500
    public var batchSize = 64

    public init() {}

    /// Test accuracy for each mix ratio, for one seed (which picks the labelled images,
    /// the classifier's weights, the generated images and the batch order).
    public func run(train: ImageDataset, test: ImageDataset, generator: CheckpointGenerator, seed: UInt64) throws -> [Double] {
        var picker = SeededGenerator(seed: seed, purpose: "labelled subset")
        var chosen: [Int] = []
        for label in 0..<ChapterGenerator.classes {
            var ofClass = (0..<train.count).filter { train.labels[$0] == label }
            ofClass.shuffle(using: &picker)
            chosen += ofClass.prefix(labelledPerClass)
        }
        let real = flatImages(ImageDataset(subsetOf: train, indices: chosen))
        let (testImages, testLabels) = flatImages(test)
        let mostGenerated = Int((mixRatios.max() ?? 0) * Double(chosen.count))
        let generated = try generator.sample(count: max(mostGenerated, 1), seed: seed &+ 1).reshaped([-1, train.imageSize])
        let generatedLabels = (0..<generated.shape[0]).map { $0 % ChapterGenerator.classes }
        return try mixRatios.map { ratio in
            let extra = Int(ratio * Double(chosen.count))
            let images = Tensor.concatenate([real.0, generated.slice(0..<max(extra, 0))].filter { $0.shape[0] > 0 })
            let labels = real.1 + generatedLabels.prefix(extra)
            var weights = SeededGenerator(seed: seed, purpose: "classifier weights")
            let classifier = Sequential(Linear(train.imageSize, 256, using: &weights), Activation.relu,
                                        Linear(256, ChapterGenerator.classes, using: &weights))
            let optimizer = Adam(classifier.parameters, learningRate: 1e-3)
            var batches = try MinibatchIterator(values: images.values, rowShape: [train.imageSize], labels: labels,
                                                batchSize: min(batchSize, labels.count), seed: seed &+ stableHash("batches"))
            for _ in 0..<trainingSteps {
                let batch = batches.next()!
                let loss = crossEntropy(logits: classifier(Tensor(shape: batch.shape, values: batch.values)), labels: batch.labels)
                optimizer.step(gradients(of: loss, wrt: classifier.parameters))
            }
            let logits = withoutGradients { classifier(testImages) }
            return try accuracy(logits: logits, labels: testLabels)
        }
    }
}

/// The share of rows whose largest logit is at the true label.
func accuracy(logits: Tensor, labels: [Int]) throws -> Double {
    let predicted = try FeatureMatrix(rows: logits.shape[0], columns: logits.shape[1], values: logits.values).mostProbableClasses
    return Double(zip(predicted, labels).count { $0 == $1 }) / Double(labels.count)
}

extension ImageDataset {
    /// The images at `indices`, in that order.
    init(subsetOf data: ImageDataset, indices: [Int]) {
        var copy = data
        copy.count = indices.count
        copy.pixels = indices.flatMap { data.pixels[($0 * data.imageSize)..<(($0 + 1) * data.imageSize)] }
        copy.labels = indices.map { data.labels[$0] }
        self = copy
    }
}

// MARK: Inpainting

/// Hidden pixels completed by searching for the generator's image that agrees with the
/// visible ones (Yeh et al. 2017, without their perceptual term).
public struct Inpainting {
    public var count = 64
    public var search = LatentSearch(steps: 200)

    public init() {}

    public struct Outcome {
        /// [n, pixels] each: the images with the hidden part blanked, completed, and true.
        public let masked: Tensor, completed: Tensor, truth: Tensor
        /// Mean squared error over the hidden pixels, of the completion and of the mean image.
        public let completionError: Double, meanImageError: Double
        /// The search's objective before the first step and after the last.
        public let objective: (start: Float, end: Float)
    }

    /// Hides the lower half of `count` test images and completes it.
    public func run(generator: CheckpointGenerator, train: ImageDataset, test: ImageDataset, seed: UInt64) -> Outcome {
        let (truth, _) = flatImages(test, limit: count)
        let (height, width) = (test.height, test.width)
        // snippet.inpainting-mask
        // 1 where the pixel is visible (the upper half), 0 where it is hidden.
        let row = (0..<(height * width)).map { $0 / width < height / 2 ? Float(1) : 0 }
        let mask = Tensor(shape: [1, height * width], values: row).broadcast(to: truth.shape)
        var random = SeededGenerator(seed: seed, purpose: "latent search")
        let found = search.run(generator: { z in generator(z) }, targets: truth, mask: mask,
                               latent: generator.latentDimension, using: &random)
        // Keep the visible pixels as they are; take only the hidden ones from G.
        let completed = withoutGradients { truth * mask + found.images * (1 - mask) }
        // snippet.end
        let (all, _) = flatImages(train)
        let meanImage = withoutGradients { all.mean(alongAxes: 0, keepingDimensions: true).broadcast(to: truth.shape) }
        func hiddenError(_ guess: Tensor) -> Double {
            withoutGradients { Double((((guess - truth) * (1 - mask)).squared().sum() / (1 - mask).sum()).item) }
        }
        let masked = withoutGradients { truth * mask }  // hidden pixels at 0, mid-grey
        return Outcome(masked: masked, completed: completed, truth: truth,
                       completionError: hiddenError(completed), meanImageError: hiddenError(meanImage),
                       objective: (found.objective.first ?? 0, found.objective.last ?? 0))
    }
}

extension CheckpointGenerator {
    /// Images [n, pixels] for noise [n, latent], in evaluation mode, differentiable in the
    /// noise (not for the conditional generator, which needs labels too).
    public func callAsFunction(_ noise: Tensor) -> Tensor {
        evaluating { chapter.generate(network, noise: noise, labels: []) }.reshaped([noise.shape[0], -1])
    }
}
