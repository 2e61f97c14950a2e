import ExerciseKit
import Tensor

// Exercise 11.3: telling a conditional GAN's players the class.

/// Task `generator-input`. The conditional generator's input: each noise vector (a row of
/// `noise`, [n, latent]) followed by the one-hot vector of its label (`labels[i]` in
/// 0..<classes), as [n, latent + classes]. Gradients must flow back to `noise`.
///
/// Do not repeat the original chapter's bug: it appended the label as one raw number.
/// Class 7 is not "more" than class 3; a one-hot vector gives each class its own input.
public func generatorInput(noise: Tensor, labels: [Int], classes: Int) throws -> Tensor {
    throw NotImplementedYet()
}

/// Task `real-labels`. The discriminator's input for a minibatch of real images. The data
/// set is `images` [N, c, h, w] with `labels` [N]; the minibatch is the images at the
/// indices `batch`. Return [batch.count, c + classes, h, w]: each picked image, followed by
/// `classes` constant planes, plane k being 1 where the image's label is k and 0 elsewhere.
///
/// Do not repeat the original chapter's bug: it paired real images with random labels,
/// so the discriminator could not learn what each class looks like. Each real image
/// carries its own label.
public func realDiscriminatorInput(images: Tensor, labels: [Int], batch: [Int], classes: Int) throws -> Tensor {
    throw NotImplementedYet()
}
