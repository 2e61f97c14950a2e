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

    /// A score card beside what real data gets against the same reference: what `score`
    /// prints and writes.
    func report(_ card: ScoreCard, against reference: EmbeddedImages, settings: MetricSettings, samples: Int,
                input: String, generator: CheckpointGenerator?) throws -> ScoreReport {
        ScoreReport(input: input, reference: reference.name, samples: samples, generator: generator, scores: card,
                    real: try yardstick(against: reference, settings: settings),
                    testSetInception: card.inception == nil ? nil : try testInception(settings))
    }
}

/// The printed lines of a report, each score beside what real data gets.
func lines(of report: ScoreReport) -> String {
    let (scores, real) = (report.scores, report.real)
    func estimate(_ mean: Double?, _ std: Double?) -> String { ScoreReport.text(mean, std, format: formatted) }
    var lines = ["FD         \(formatted(scores.fd))    (real: \(formatted(real.fd)))"]
    if scores.kid != nil { lines.append("KID        \(estimate(scores.kid, scores.kidStd))    (real: \(estimate(real.kid, real.kidStd)))") }
    if scores.inceptionScore != nil {
        lines.append("IS         \(estimate(scores.inceptionScore, scores.inceptionScoreStd))    (test set: \(estimate(report.testSetInceptionScore, report.testSetInceptionScoreStd)))")
    }
    if scores.precision != nil {
        lines.append("precision  \(estimate(scores.precision, nil))    (real: \(estimate(real.precision, nil)))")
        lines.append("recall     \(estimate(scores.recall, nil))    (real: \(estimate(real.recall, nil)))")
    }
    return "scores on \(report.samples) samples against \(report.reference); \"real\" is \(report.samples) training images against it\n"
        + lines.map { "  " + $0 }.joined(separator: "\n")
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
