import Tensor

/// One minibatch: rows gathered into contiguous arrays, ready to become a tensor.
public struct Minibatch: Sendable {
    /// `shape.reduce(1, *)` Floats, row after row.
    public var values: [Float]
    /// [rows] + the shape of one row, e.g. [64, 1, 28, 28].
    public var shape: [Int]
    /// One label per row; empty when the data has no labels.
    public var labels: [Int]
    /// The epoch this batch belongs to, from 0.
    public var epoch: Int
    /// This batch's index over the whole run, from 0.
    public var step: Int
}

/// Endless minibatches over rows of data, in an order reshuffled every epoch.
///
/// Epoch e's order is a function of (seed, e) alone, so a run resumed at step s (with
/// `startStep: s`) sees exactly the batches an uninterrupted run would have seen.
public struct MinibatchIterator: Sequence, IteratorProtocol {
    public let batchSize: Int
    public let batchesPerEpoch: Int
    /// The index of the next batch over the whole run.
    public private(set) var step: Int
    /// The epoch of the next batch.
    public var epoch: Int { step / batchesPerEpoch }

    private let values: [Float]
    private let rowShape: [Int]
    private let rowSize: Int
    private let rowCount: Int
    private let labels: [Int]
    private let seed: UInt64
    private var order: [Int] = []
    private var orderEpoch = -1

    /// Batches of rows of `values` (each row of shape `rowShape`), with optional labels.
    /// `dropLast` skips each epoch's final incomplete batch, so every batch has the same size.
    public init(
        values: [Float], rowShape: [Int], labels: [Int] = [], batchSize: Int, seed: UInt64,
        dropLast: Bool = true, startStep: Int = 0
    ) throws {
        let rowSize = rowShape.reduce(1, *)
        precondition(rowSize > 0 && values.count % rowSize == 0, "values must hold whole rows")
        let rowCount = values.count / rowSize
        precondition(labels.isEmpty || labels.count == rowCount, "one label per row")
        guard batchSize > 0 else {
            throw DataError(problem: "batch size \(batchSize) is not positive", fix: "pass --batch-size 1 or more")
        }
        guard rowCount >= (dropLast ? batchSize : 1) else {
            throw DataError(
                problem: "batch size \(batchSize) is larger than the data (\(rowCount) examples)",
                fix: "lower --batch-size or use more data")
        }
        self.batchSize = batchSize
        self.batchesPerEpoch = dropLast ? rowCount / batchSize : (rowCount + batchSize - 1) / batchSize
        self.step = startStep
        self.values = values
        self.rowShape = rowShape
        self.rowSize = rowSize
        self.rowCount = rowCount
        self.labels = labels
        self.seed = seed
    }

    /// Batches of images with their labels.
    public init(
        _ dataset: ImageDataset, batchSize: Int, seed: UInt64, dropLast: Bool = true, startStep: Int = 0
    ) throws {
        try self.init(
            values: dataset.pixels, rowShape: dataset.imageShape, labels: dataset.labels,
            batchSize: batchSize, seed: seed, dropLast: dropLast, startStep: startStep)
    }

    /// The next batch; never nil (the iterator is endless: use `prefix` or count steps).
    public mutating func next() -> Minibatch? {
        let epoch = self.epoch
        if epoch != orderEpoch {
            order = Self.shuffledIndices(count: rowCount, seed: seed, epoch: epoch)
            orderEpoch = epoch
        }
        let start = (step % batchesPerEpoch) * batchSize
        let indices = order[start..<Swift.min(start + batchSize, rowCount)]
        let batch = Minibatch(
            values: gatherRows(indices), shape: [indices.count] + rowShape,
            labels: labels.isEmpty ? [] : indices.map { labels[$0] }, epoch: epoch, step: step)
        step += 1
        return batch
    }

    /// Copies the chosen rows next to each other, one block copy per row.
    private func gatherRows(_ indices: ArraySlice<Int>) -> [Float] {
        let rowSize = rowSize
        return [Float](unsafeUninitializedCapacity: indices.count * rowSize) { batch, initialized in
            values.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    (batch.baseAddress! + row * rowSize)
                        .initialize(from: source.baseAddress! + index * rowSize, count: rowSize)
                }
            }
            initialized = indices.count * rowSize
        }
    }

    /// A Fisher–Yates shuffle of 0..<count, drawn from a generator seeded by (seed, epoch).
    /// Written out rather than `Array.shuffle(using:)`, whose algorithm the standard library
    /// does not promise to keep, so that orders stay the same across Swift versions.
    static func shuffledIndices(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        // An odd multiplier spreads consecutive epochs far apart in the seed space.
        var generator = SeededGenerator(seed: seed ^ (UInt64(epoch + 1) &* 0xD1B5_4A32_D192_ED03))
        var indices = Array(0..<count)
        for last in stride(from: count - 1, to: 0, by: -1) {
            indices.swapAt(last, generator.index(below: last + 1))
        }
        return indices
    }
}

extension SeededGenerator {
    /// Uniform in 0..<bound, by Lemire's multiply-high (bias below 2⁻³² for data set sizes).
    mutating func index(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
