import NN
import Tensor

// A conditional GAN tells both players the class: G(z, y) draws an image of class y, and
// D(x, y) judges whether x is a real image *of class y*. Both networks take one tensor,
// so the label travels appended to their usual input.

/// How the discriminator is told the class (`--conditioning`).
public enum DiscriminatorConditioning: String, CaseIterable, Sendable {
    /// The one-hot label as `classes` extra constant image channels, as the original chapter
    /// intended: the first convolution sees the image and its class together.
    case channels
    /// Projection (Miyato & Koyama, 2018): score = ψ(φ(x)) + ⟨e_y, φ(x)⟩, the unconditional
    /// score plus the image features' agreement with a learned vector e_y of class y.
    case projection
}

// snippet.conditional-inputs
/// G's input: each noise vector with its one-hot label appended, [n, latent + classes].
/// One-hot rather than the raw integer: class 7 is not "more" than class 3. (A one-hot
/// vector into G's first linear layer is the same as adding a learned embedding of the class.)
public func generatorInput(noise: Tensor, labels: [Int], classes: Int) -> Tensor {
    Tensor.concatenate([noise, Tensor.oneHot(labels, classes: classes)], alongAxis: 1)
}

/// D's input: images [n, c, h, w], each paired with `labels[i]`.
/// - channels: [n, c + classes, h, w], plane c + k is 1 where the label is k, else 0;
/// - projection: [n, c·h·w + classes], the flattened image then the one-hot label.
public func discriminatorInput(images: Tensor, labels: [Int], classes: Int,
                               _ conditioning: DiscriminatorConditioning) -> Tensor {
    let (n, height, width) = (images.shape[0], images.shape[2], images.shape[3])
    let oneHot = Tensor.oneHot(labels, classes: classes)
    switch conditioning {
    case .channels:
        let planes = oneHot.reshaped([n, classes, 1, 1]).broadcast(to: [n, classes, height, width])
        return Tensor.concatenate([images, planes], alongAxis: 1)
    case .projection:
        return Tensor.concatenate([images.reshaped([n, -1]), oneHot], alongAxis: 1)
    }
}

extension ImageBatches {
    /// The next real batch as D's input, every image with *its own* label. (The original
    /// chapter paired real images with random labels: D then cannot learn what class y looks
    /// like, and G gets no reason to obey y.)
    public func nextConditional(classes: Int, _ conditioning: DiscriminatorConditioning)
        -> (input: Tensor, labels: [Int]) {
        let (images, labels) = nextWithLabels()
        return (discriminatorInput(images: images, labels: labels, classes: classes, conditioning), labels)
    }
}
// snippet.end

/// The conditional DCGAN discriminator for 28×28 images with `classes` classes.
public func conditionalDiscriminator(channels: Int = 1, classes: Int, _ conditioning: DiscriminatorConditioning,
                                     using weights: inout SeededGenerator) -> any Layer {
    switch conditioning {
    case .channels:
        dcganDiscriminator(channels: channels + classes, using: &weights)
    case .projection:
        ProjectionDiscriminator(imageShape: [channels, 28, 28], classes: classes, using: &weights)
    }
}

/// The DCGAN discriminator with a projection head: its input is `discriminatorInput(…, .projection)`.
public final class ProjectionDiscriminator: Layer {
    public let imageShape: [Int]
    public let classes: Int
    /// φ: the convolutional trunk, image → 128·7·7 features.
    public let features: Sequential
    /// ψ: the unconditional score of the features.
    public let score: Linear
    /// e_y: one learned vector per class, as long as the features.
    public let classEmbedding: Embedding

    public init(imageShape: [Int], classes: Int, using weights: inout SeededGenerator) {
        self.imageShape = imageShape
        self.classes = classes
        features = Sequential(dcganFeatureLayers(channels: imageShape[0], using: &weights))
        score = Linear(128 * 7 * 7, 1, using: &weights)
        classEmbedding = Embedding(classes, 128 * 7 * 7, using: &weights)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let pixels = imageShape.reduce(1, *)
        let images = x.slice(0..<pixels, alongAxis: 1).reshaped([-1] + imageShape)
        let oneHot = x.slice(pixels..<(pixels + classes), alongAxis: 1)
        let phi = features(images)
        // oneHot · E picks each image's class vector e_y.
        let agreement = (matmul(oneHot, classEmbedding.weight) * phi).sum(alongAxes: 1, keepingDimensions: true)
        return score(phi) + agreement
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        prefixed("features", features.namedParameters) + prefixed("score", score.namedParameters)
            + prefixed("embedding", classEmbedding.namedParameters)
    }

    public var namedBuffers: [(name: String, tensor: Tensor)] { prefixed("features", features.namedBuffers) }

    private func prefixed(_ prefix: String, _ entries: [(name: String, tensor: Tensor)]) -> [(name: String, tensor: Tensor)] {
        entries.map { ("\(prefix).\($0.name)", $0.tensor) }
    }
}
