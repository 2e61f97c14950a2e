import Tensor

/// Minibatches of images as tensors [batch, channels, height, width], reshuffled every
/// epoch; a class so that a training step can draw as many batches as it needs
/// (a WGAN critic takes a fresh real batch for each of its updates).
public final class ImageBatches {
    public let data: ImageDataset
    var iterator: MinibatchIterator

    init(_ data: ImageDataset, batchSize: Int, seed: UInt64, startBatch: Int) throws {
        self.data = data
        iterator = try MinibatchIterator(values: data.pixels, rowShape: data.imageShape, labels: data.labels,
                                         batchSize: batchSize, seed: seed, startStep: startBatch)
    }

    public var batchesPerEpoch: Int { iterator.batchesPerEpoch }
    public var batchSize: Int { iterator.batchSize }

    /// The next real batch, [batch, channels, height, width] in [-1, 1].
    public func next() -> Tensor { nextWithLabels().images }

    /// The next real batch with each image's true label.
    public func nextWithLabels() -> (images: Tensor, labels: [Int]) {
        let batch = iterator.next()!
        return (Tensor(shape: batch.shape, values: batch.values), batch.labels)
    }
}
