import Formats
import NN
import Tensor

/// The feature network of the metrics: a small CNN trained by our own library on the data
/// set's training split, standing in for Inception-v3 (whose weights cannot be had offline).
/// Its penultimate layer gives the features for the Fréchet distance, KID and
/// precision/recall; its softmax gives p(y|x) for the Inception Score.
///
/// Input: images [n, 1, 28, 28] in [−1, 1]. State dict names follow PyTorch's
/// `nn.Sequential` (`0.weight` … `12.bias`), so the file loads in PyTorch too.
public final class FeatureClassifier: Layer {
    public static let defaultPath = "models/classifier.safetensors"
    public static let featureCount = 128
    public static let imageShape = [1, 28, 28]

    /// Everything up to and including the penultimate layer's ReLU.
    let trunk: Sequential
    /// The last Linear layer: features → class logits.
    let head: Linear

    // snippet.classifier
    public init(using weights: inout SeededGenerator) {
        trunk = Sequential(
            Conv2d(1, 32, kernelSize: 3, padding: 1, using: &weights),                    // 32 × 28 × 28
            BatchNorm(32), Activation.relu,
            Conv2d(32, 64, kernelSize: 3, stride: 2, padding: 1, using: &weights),        // 64 × 14 × 14
            BatchNorm(64), Activation.relu,
            Conv2d(64, 32, kernelSize: 3, stride: 2, padding: 1, using: &weights),        // 32 × 7 × 7
            BatchNorm(32), Activation.relu,
            Flatten(),
            Linear(32 * 7 * 7, FeatureClassifier.featureCount, using: &weights), Activation.relu)  // the features
        head = Linear(FeatureClassifier.featureCount, 10, using: &weights)                // 10 classes
    }
    // snippet.end

    public var classCount: Int { head.weight.shape[0] }

    /// Class logits [n, classes].
    public func callAsFunction(_ x: Tensor) -> Tensor { head(trunk(x)) }

    /// One name space for trunk and head, numbered as one `nn.Sequential` would number them.
    public var namedParameters: [(name: String, tensor: Tensor)] {
        trunk.namedParameters + head.namedParameters.map { ("\(trunk.layers.count).\($0.name)", $0.tensor) }
    }

    /// BatchNorm's running statistics, which evaluation mode normalises with.
    public var namedBuffers: [(name: String, tensor: Tensor)] { trunk.namedBuffers }

    /// Penultimate-layer features of `images` [n, 1, 28, 28], one row per image.
    public func features(_ images: Tensor) throws -> FeatureMatrix { try embed(images).features }

    /// Softmax class probabilities p(y|x) of `images`, one row per image.
    public func probabilities(_ images: Tensor) throws -> FeatureMatrix { try embed(images).probabilities }

    /// Both at once, in batches (so that 10,000 images never sit in one activation tensor),
    /// in evaluation mode. `progress` is told how many images are done.
    public func embed(_ images: Tensor, batchSize: Int = 500,
                      progress: (Int) -> Void = { _ in }) throws -> (features: FeatureMatrix, probabilities: FeatureMatrix) {
        guard images.rank == 4, Array(images.shape.dropFirst()) == FeatureClassifier.imageShape else {
            throw EvaluationError("the classifier takes images of shape [n, 1, 28, 28], got \(images.shape)",
                                  fix: "convert the images to 28 × 28 grey first")
        }
        let n = images.shape[0]
        var features: [Float] = [], probabilities: [Float] = []
        features.reserveCapacity(n * FeatureClassifier.featureCount)
        probabilities.reserveCapacity(n * classCount)
        evaluating {
            for start in stride(from: 0, to: n, by: batchSize) {
                let batch = images.slice(start..<min(start + batchSize, n))
                let hidden = trunk(batch)
                features += hidden.values
                probabilities += head(hidden).softmax().values
                progress(start + batch.shape[0])
            }
        }
        return (try FeatureMatrix(rows: n, columns: FeatureClassifier.featureCount, values: features),
                try FeatureMatrix(rows: n, columns: classCount, values: probabilities))
    }

    /// The fraction of `images` whose most probable class is the label.
    public func accuracy(_ images: Tensor, labels: [Int]) throws -> Double {
        let predicted = try probabilities(images).mostProbableClasses
        let correct = zip(predicted, labels).count { $0 == $1 }
        return Double(correct) / Double(max(labels.count, 1))
    }

    // MARK: Files

    /// Writes the weights as safetensors (atomically), with the training facts as metadata.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        let entries = stateDict.map(SafetensorsEntry.init)
        try writeSafetensors(entries, metadata: metadata.merging(["format": "pt"]) { $1 }, to: path)
    }

    /// The classifier stored at `path`; a file for another network is refused with a clear message.
    public static func load(from path: String = defaultPath) throws -> FeatureClassifier {
        let file = try readSafetensors(path)
        var unused = SeededGenerator(seed: 0)
        let classifier = FeatureClassifier(using: &unused)
        if let mismatch = file.load(into: classifier.stateDict) {
            throw EvaluationError("\(path) is not a FeatureClassifier file (tensor \(mismatch.name) missing or misshapen)",
                                  fix: "retrain it with `swift run Ch11_5_Metrics train-classifier`")
        }
        return classifier
    }
}

extension FeatureMatrix {
    /// For class probabilities: each row's most probable class.
    public var mostProbableClasses: [Int] {
        (0..<rows).map { row in
            let start = row * columns
            return (0..<columns).max { values[start + $0] < values[start + $1] }!
        }
    }
}

/// A problem with the evaluation's inputs, in one line with a fix.
public struct EvaluationError: Error, CustomStringConvertible {
    public let problem: String
    public let fix: String
    public init(_ problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }
    public var description: String { "\(problem) — \(fix)" }
}
