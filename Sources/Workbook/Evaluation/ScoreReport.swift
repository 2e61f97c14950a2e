import Foundation

/// What `Ch11_5_Metrics score` found, as its run folder keeps it: JSON for scripts (full
/// precision, snake_case keys) and a Markdown table for eyes.
public struct ScoreReport: Codable, Equatable, Sendable {
    /// One side's numbers; what a side lacks (an `.npz` has no features) is absent.
    public struct Scores: Codable, Equatable, Sendable {
        public var fd: Double
        public var kid: Double?
        public var kidStd: Double?
        public var inceptionScore: Double?
        public var inceptionScoreStd: Double?
        public var precision: Double?
        public var recall: Double?

        public init(_ card: ScoreCard) {
            fd = card.fd
            kid = card.kid?.mean
            kidStd = card.kid?.std
            inceptionScore = card.inception?.mean
            inceptionScoreStd = card.inception?.std
            precision = card.precisionRecall?.precision
            recall = card.precisionRecall?.recall
        }

        enum CodingKeys: String, CodingKey {
            case fd, kid, precision, recall
            case kidStd = "kid_std", inceptionScore = "inception_score", inceptionScoreStd = "inception_score_std"
        }
    }

    /// How a generator checkpoint was read.
    public struct Generator: Codable, Equatable, Sendable {
        public var architecture: String
        public var kind: String
        public var latentDim: Int
        /// "the file's metadata", "--architecture" or "the tensor names and shapes".
        public var architectureFrom: String
        public var strippedPrefix: String?
        public var warnings: [String]

        public init(_ generator: CheckpointGenerator) {
            architecture = generator.chapter.rawValue
            kind = generator.chapter.kind
            latentDim = generator.latentDimension
            architectureFrom = generator.architectureSource.rawValue
            strippedPrefix = generator.strippedPrefix.isEmpty ? nil : generator.strippedPrefix
            warnings = generator.warnings
        }

        /// "ch11_4_dcgan (DCGAN generator, N(0, I) noise), latent size 100, from the file's metadata".
        public var description: String {
            "\(architecture) (\(kind)), latent size \(latentDim), from \(architectureFrom)"
                + (strippedPrefix.map { ", names read without their prefix '\($0)'" } ?? "")
        }

        enum CodingKeys: String, CodingKey {
            case architecture, kind, warnings
            case latentDim = "latent_dim", architectureFrom = "architecture_from", strippedPrefix = "stripped_prefix"
        }
    }

    public var input: String
    public var reference: String
    public var samples: Int
    public var generator: Generator?
    public var scores: Scores
    /// `samples` training images scored against the same reference: what real data gets.
    public var real: Scores
    /// The reference test set's own Inception Score, beside the input's.
    public var testSetInceptionScore: Double?
    public var testSetInceptionScoreStd: Double?

    public init(input: String, reference: String, samples: Int, generator: CheckpointGenerator?,
                scores: ScoreCard, real: ScoreCard, testSetInception: ScoreEstimate?) {
        self.input = input
        self.reference = reference
        self.samples = samples
        self.generator = generator.map(Generator.init)
        self.scores = Scores(scores)
        self.real = Scores(real)
        testSetInceptionScore = testSetInception?.mean
        testSetInceptionScoreStd = testSetInception?.std
    }

    enum CodingKeys: String, CodingKey {
        case input, reference, samples, generator, scores, real
        case testSetInceptionScore = "test_set_inception_score", testSetInceptionScoreStd = "test_set_inception_score_std"
    }

    /// "0.1234 ± 0.0100", "0.1234" without a spread, "—" for a metric not computed.
    public static func text(_ mean: Double?, _ std: Double?, format: (Double) -> String) -> String {
        guard let mean else { return "—" }
        return std.map { "\(format(mean)) ± \(format($0))" } ?? format(mean)
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The table: one row per metric, the input's score beside what real data gets.
    public func markdown(format: (Double) -> String) -> String {
        func estimate(_ mean: Double?, _ std: Double?) -> String { Self.text(mean, std, format: format) }
        var rows = [("FD (lower is better)", format(scores.fd), format(real.fd))]
        if scores.kid != nil { rows.append(("KID (lower is better)", estimate(scores.kid, scores.kidStd), estimate(real.kid, real.kidStd))) }
        if scores.inceptionScore != nil {
            rows.append(("IS (higher is better)", estimate(scores.inceptionScore, scores.inceptionScoreStd),
                         estimate(testSetInceptionScore, testSetInceptionScoreStd) + " (test set)"))
        }
        if scores.precision != nil {
            rows.append(("precision", estimate(scores.precision, nil), estimate(real.precision, nil)))
            rows.append(("recall", estimate(scores.recall, nil), estimate(real.recall, nil)))
        }
        var lines = ["# Scores of `\(input)`", "",
                     "\(samples) samples against \(reference); \"real\" is \(samples) training images against it."]
        if let generator {
            lines += ["", "Generator: \(generator.description)."]
            for warning in generator.warnings { lines += ["", "Warning: \(warning)"] }
        }
        lines += ["", "| metric | score | real |", "| --- | ---: | ---: |"] + rows.map { "| \($0.0) | \($0.1) | \($0.2) |" }
        return lines.joined(separator: "\n") + "\n"
    }
}
