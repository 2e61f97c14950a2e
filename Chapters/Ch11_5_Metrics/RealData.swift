import Foundation
import Tensor
import Workbook

/// The yardstick every subcommand prints beside its scores: real images against real images.
struct RealData {
    let classifier: FeatureClassifier
    let testImages: Tensor
    let test: EmbeddedImages
    let train: EmbeddedImages

    init(_ common: CommonOptions, classifier: FeatureClassifier, count: Int) throws {
        self.classifier = classifier
        let testSet = try loadIDXDataset(directory: common.data, split: .test, limit: count)
        let trainSet = try loadIDXDataset(directory: common.data, split: .train, limit: count)
        testImages = imageTensor(testSet)
        test = try EmbeddedImages("test set", images: testImages, classifier: classifier)
        train = try EmbeddedImages("training images", images: imageTensor(trainSet), classifier: classifier)
    }

    // snippet.yardstick
    /// What real data gets: the training images scored like a model against `reference`.
    func yardstick(against reference: EmbeddedImages, settings: MetricSettings) throws -> ScoreCard {
        try scoreCard(train, against: reference, settings: settings)
    }

    /// The test set's Inception Score, the real images' IS beside a model's.
    func testInception(_ settings: MetricSettings) throws -> ScoreEstimate {
        try inceptionScore(probabilities: test.probabilities!, splits: settings.inceptionSplits)
    }
    // snippet.end

    /// The lines of a score card, each beside what real data gets against the same reference.
    func report(_ card: ScoreCard, against reference: EmbeddedImages, settings: MetricSettings, samples: Int) throws -> String {
        let real = try yardstick(against: reference, settings: settings)
        var lines = ["FD         \(formatted(card.fd))    (real: \(formatted(real.fd)))"]
        if let kid = card.kid { lines.append("KID        \(formatted(kid))    (real: \(formatted(real.kid!)))") }
        if let inception = card.inception {
            lines.append("IS         \(formatted(inception))    (test set: \(formatted(try testInception(settings))))")
        }
        if let pr = card.precisionRecall {
            lines.append("precision  \(formatted(pr.precision))    (real: \(formatted(real.precisionRecall!.precision)))")
            lines.append("recall     \(formatted(pr.recall))    (real: \(formatted(real.precisionRecall!.recall)))")
        }
        return "scores on \(samples) samples against \(reference.name); \"real\" is \(samples) training images against it\n"
            + lines.map { "  " + $0 }.joined(separator: "\n")
    }
}

/// Four decimals for small values, fewer for large ones.
func formatted(_ value: Double) -> String {
    let rounded = (value * 10_000).rounded() / 10_000 + 0  // + 0 turns −0 (round-off around a zero distance) into 0
    return String(format: abs(rounded) >= 100 ? "%.1f" : abs(rounded) >= 1 ? "%.3f" : "%.4f", rounded)
}

func formatted(_ estimate: ScoreEstimate) -> String { "\(formatted(estimate.mean)) ± \(formatted(estimate.std))" }

/// The summary line's fields for a score card.
func summaryFields(_ card: ScoreCard) -> [(key: String, value: String)] {
    var fields = [("fd", formatted(card.fd))]
    if let kid = card.kid { fields += [("kid", formatted(kid.mean)), ("kid_std", formatted(kid.std))] }
    if let inception = card.inception { fields += [("is", formatted(inception.mean)), ("is_std", formatted(inception.std))] }
    if let pr = card.precisionRecall { fields += [("precision", formatted(pr.precision)), ("recall", formatted(pr.recall))] }
    return fields.map { (key: $0.0, value: $0.1) }
}
