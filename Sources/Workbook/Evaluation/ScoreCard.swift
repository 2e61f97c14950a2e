import Foundation
import Tensor

/// One set of images as the metrics see it: the classifier's features and class
/// probabilities, or, for statistics read from an `.npz` file, only the Gaussian fitted
/// to the features (enough for the Fréchet distance, nothing else).
public struct EmbeddedImages {
    public let name: String
    public let features: FeatureMatrix?
    public let probabilities: FeatureMatrix?
    public let statistics: GaussianStats

    /// Runs the classifier over `images` [n, 1, 28, 28], with a progress bar.
    public init(_ name: String, images: Tensor, classifier: FeatureClassifier) throws {
        var progress = WorkProgress("embedding \(name)", total: images.shape[0])
        let (features, probabilities) = try classifier.embed(images) { progress.update($0) }
        self.name = name
        self.features = features
        self.probabilities = probabilities
        statistics = try GaussianStats(features: features)
    }

    /// Statistics saved earlier (by `--save-stats` or pytorch-fid's `--save-stats`).
    public init(_ name: String, statistics: GaussianStats) {
        self.name = name
        features = nil
        probabilities = nil
        self.statistics = statistics
    }
}

/// How the metrics are estimated; the defaults are torch-fidelity's.
public struct MetricSettings: Sendable {
    public var inceptionSplits = 10
    public var kidSubsets = 100
    public var kidSubsetSize = 1000
    public var neighbourhood = 3
    /// Precision and recall take the longest (three N × N distance passes); off when not needed.
    public var precisionRecall = true
    public var seed: UInt64 = 0

    public init() {}

    /// Small estimates for smoke runs.
    public static var quick: MetricSettings {
        var settings = MetricSettings()
        settings.kidSubsets = 10
        settings.kidSubsetSize = 100
        return settings
    }
}

/// Everything one comparison yields. What a side lacks (an `.npz` holds no features and no
/// probabilities) leaves the metrics that need it nil.
public struct ScoreCard: Sendable {
    /// Fréchet distance between the Gaussians fitted to the two sets' features: lower is better.
    public let fd: Double
    /// Kernel distance (unbiased MMD², cubic kernel) over random subsets: lower is better.
    public let kid: ScoreEstimate?
    /// Inception Score of the candidate alone: higher is better, at most the class count.
    public let inception: ScoreEstimate?
    /// Realism (precision) and coverage (recall) with k-nearest-neighbour balls.
    public let precisionRecall: PrecisionRecall?
}

// snippet.score-card
/// Scores `candidate` (e.g. generated images) against `reference` (real images).
public func scoreCard(_ candidate: EmbeddedImages, against reference: EmbeddedImages,
                      settings: MetricSettings = MetricSettings()) throws -> ScoreCard {
    // Named here, where both sides are known: an .npz of other features is the usual cause.
    guard candidate.statistics.dimension == reference.statistics.dimension else {
        throw MetricsError.sidesDiffer(first: candidate.name, firstDimension: candidate.statistics.dimension,
                                       second: reference.name, secondDimension: reference.statistics.dimension)
    }
    let fd = try frechetDistance(candidate.statistics, reference.statistics)
    let inception = try candidate.probabilities.map { try inceptionScore(probabilities: $0, splits: settings.inceptionSplits) }
    guard let generated = candidate.features, let real = reference.features else {
        return ScoreCard(fd: fd, kid: nil, inception: inception, precisionRecall: nil)
    }
    let kid = try kernelInceptionDistance(real: real, generated: generated, subsets: settings.kidSubsets,
                                          subsetSize: settings.kidSubsetSize, seed: settings.seed)
    let precisionRecall = settings.precisionRecall
        ? try precisionRecall(real: real, generated: generated, neighbourhood: settings.neighbourhood) : nil
    return ScoreCard(fd: fd, kid: kid, inception: inception, precisionRecall: precisionRecall)
}
// snippet.end
