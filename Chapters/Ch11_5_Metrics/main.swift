/*:
 # 11.5 Evaluating GANs

 A GAN's losses say how the two players are doing against each other, not how good the
 images are. To compare models we need numbers computed from samples alone:

 * the **Inception Score** (IS): are the images confidently classifiable, and do they
   cover all the classes?
 * the **Fréchet distance** (FD, "FID" with Inception features): how far apart are the
   Gaussians fitted to real and generated features?
 * the **kernel distance** (KID): the same question without assuming Gaussians;
 * **precision and recall**: how many fakes look real, how much of the real data is covered?

 All four look at images through a classifier. Inception-v3 cannot be downloaded here, so
 the classifier is a small CNN of our own, trained on Fashion-MNIST's training split.
 The numbers therefore compare models *within this workbook* only.

     swift run Ch11_5_Metrics sanity            the metrics on deliberately damaged real images
     swift run Ch11_5_Metrics score FILE        a generator checkpoint, a PNG folder, an IDX file or .npz stats
     swift run Ch11_5_Metrics leaderboard       every generator in models/ on the same N samples
     swift run Ch11_5_Metrics train-classifier  retrain the feature network
 */
import ArgumentParser
import Foundation
import Formats
import NN
import Tensor
import Workbook

// snippet.hide
struct CommonOptions: ParsableArguments {
    @Option(help: "Folder of MNIST-format IDX files: the real data (its train and test splits).")
    var data: String = defaultFashionMNISTDirectory

    @Option(help: "The feature classifier's weights (safetensors).")
    var classifier: String = FeatureClassifier.defaultPath

    @Option(help: "Folder for figures and tables.")
    var out: String = "figures"

    @Option(help: "Folder for what a --quick run writes instead of the shipped files (a retrained classifier).")
    var checkpointDir: String = "checkpoints"

    @Option(help: "Threads for matrix products.")
    var threads: Int = 2

    @Option(help: "Seed for generated samples, KID subsets and disturbances.")
    var seed: UInt64 = 0

    @Flag(help: "A tiny smoke run on small subsets (for tests and CI).")
    var quick = false

    func validate() throws {
        try requirePositive(threads, "--threads")
    }

    var metricSettings: MetricSettings {
        var settings = quick ? MetricSettings.quick : MetricSettings()
        settings.seed = seed
        return settings
    }

    /// Sets the thread count and makes sure the output folder can take files.
    func prepare() throws {
        setComputeThreads(threads)
        try ensureWritableFolder(out)
    }

    func figurePath(_ what: String) -> String { "\(out)/ch11_5_metrics_\(what)" }
}

/// Samples scored per model: fixed across models, since every estimate depends on N.
struct SampleOptions: ParsableArguments {
    @Option(help: "Samples per model, and real images per reference set (at most 10,000, the test set's size).")
    var samples: Int = 10_000

    func count(quick: Bool) -> Int { quick ? 300 : samples }

    func validate() throws {
        guard samples >= 20 else { throw ValidationError("--samples must be at least 20 (10 Inception Score splits of 2), got \(samples)") }
        guard samples <= 10_000 else { throw ValidationError("--samples must be at most 10000, the size of the test set, got \(samples)") }
    }
}

func formatted(_ value: Double) -> String {
    let rounded = (value * 10_000).rounded() / 10_000 + 0  // + 0 turns −0 (round-off around a zero distance) into 0
    return String(format: abs(rounded) >= 100 ? "%.1f" : abs(rounded) >= 1 ? "%.3f" : "%.4f", rounded)
}
func formatted(_ estimate: ScoreEstimate) -> String { "\(formatted(estimate.mean)) ± \(formatted(estimate.std))" }
// snippet.show

/*:
 ## The feature network
 A metric is only as good as the features it compares. Ours come from a five-layer CNN
 (defined in `Sources/Workbook/Evaluation/FeatureClassifier.swift`): three 3×3
 convolutions, two of them with stride 2, then a 128-unit layer whose ReLU outputs are
 the features, and a last layer to the ten classes whose softmax is p(y|x).
 Two epochs of Adam reach about 91% test accuracy; the weights ship as
 `models/classifier.safetensors` and this command remakes them bit for bit.
 */
struct TrainClassifier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-classifier",
        abstract: "Retrain the feature classifier and write its weights (--classifier, models/classifier.safetensors).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Passes over the training split.")
    var epochs: Int = 2

    @Option(help: "Examples per minibatch.")
    var batchSize: Int = 64

    @Option(name: .customLong("lr"), help: "Adam's learning rate.")
    var learningRate: Float = 1e-3

    func validate() throws {
        try requirePositive(epochs, "--epochs")
        try requirePositive(batchSize, "--batch-size")
        try requirePositive(learningRate, "--lr")
    }

    func run() {
        orExit {
            try common.prepare()
            let limit = common.quick ? 512 : nil
            let train = try loadIDXDataset(directory: common.data, split: .train, limit: limit)
            let test = try loadIDXDataset(directory: common.data, split: .test, limit: limit)
            let started = ContinuousClock.now
            // snippet.train-classifier
            var weights = SeededGenerator(seed: common.seed)
            let classifier = FeatureClassifier(using: &weights)
            let optimizer = Adam(classifier.parameters, learningRate: learningRate)
            var batches = try MinibatchIterator(train, batchSize: batchSize, seed: common.seed)
            let steps = common.quick ? 3 : epochs * batches.batchesPerEpoch
            var progress = WorkProgress("training step", total: steps)
            var smoothedLoss: Float = 0
            for step in 0..<steps {
                // The last epoch at a tenth of the rate lets the weights settle.
                optimizer.learningRate = step >= (epochs - 1) * batches.batchesPerEpoch && epochs > 1
                    ? learningRate / 10 : learningRate
                let batch = batches.next()!
                let logits = classifier(Tensor(shape: batch.shape, values: batch.values))
                let loss = crossEntropy(logits: logits, labels: batch.labels)
                optimizer.step(gradients(of: loss, wrt: classifier.parameters))
                smoothedLoss = step == 0 ? loss.item : 0.98 * smoothedLoss + 0.02 * loss.item
                progress.update(step + 1, note: "epoch \(batches.epoch + 1)  loss \(String(format: "%.4f", smoothedLoss))")
            }
            let accuracy = try classifier.accuracy(imageTensor(test), labels: test.labels)
            // snippet.end
            let seconds = (ContinuousClock.now - started).components.seconds
            // A --quick run must never replace the shipped weights.
            let path = common.quick ? "\(common.checkpointDir)/classifier.safetensors" : common.classifier
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try classifier.save(to: path, metadata: [
                "epochs": String(epochs), "batch_size": String(batchSize), "lr": String(learningRate),
                "seed": String(common.seed), "test_accuracy": String(format: "%.4f", accuracy),
            ])
            print(String(format: "test accuracy %.2f%% after %d steps in %d s; weights written to %@",
                         accuracy * 100, steps, seconds, path))
            print("summary: chapter=ch11_5_metrics command=train-classifier steps=\(steps) seconds=\(seconds)"
                + " test_accuracy=\(String(format: "%.4f", accuracy))")
        }
    }
}

/*:
 ## The yardstick: real against real
 A number like "FD = 12" means nothing alone. Every command therefore also scores real
 images against real images: N training images against the test set. That is what a
 perfect generator would get with the same N, and the Inception Score of the test set is
 the most a generator can hope for under this classifier.
 */
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

    /// What real data gets: the training images scored like a model against `reference`.
    func yardstick(against reference: EmbeddedImages, settings: MetricSettings) throws -> ScoreCard {
        try scoreCard(train, against: reference, settings: settings)
    }

    /// The test set's Inception Score, the real images' IS beside a model's.
    func testInception(_ settings: MetricSettings) throws -> ScoreEstimate {
        try inceptionScore(probabilities: test.probabilities!, splits: settings.inceptionSplits)
    }

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

/// The summary line's fields for a score card.
func summaryFields(_ card: ScoreCard) -> String {
    var fields = "fd=\(formatted(card.fd))"
    if let kid = card.kid { fields += " kid=\(formatted(kid.mean)) kid_std=\(formatted(kid.std))" }
    if let inception = card.inception { fields += " is=\(formatted(inception.mean)) is_std=\(formatted(inception.std))" }
    if let pr = card.precisionRecall { fields += " precision=\(formatted(pr.precision)) recall=\(formatted(pr.recall))" }
    return fields
}

/*:
 ## Scoring anything
 `score` takes what pytorch-fid and torch-fidelity take: a generator checkpoint from any
 chapter (the architecture is rebuilt from the file's metadata), a folder of PNGs, an IDX
 file, or `.npz` statistics in pytorch-fid's layout (which hold only μ and Σ, so only the
 Fréchet distance can use them). `--save-stats` writes the input's μ and Σ the same way.
 */
struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a generator checkpoint, a PNG folder, an IDX image file or .npz statistics against the test set.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var sampling: SampleOptions

    @Argument(help: "A *generator.safetensors checkpoint, a folder of PNG/JPEG images, an IDX image file, or .npz statistics.")
    var input: String

    @Option(help: "Compare against this instead of the data's test split (same kinds as the input).")
    var reference: String?

    @Option(help: "Write the input's feature mean and covariance here, in pytorch-fid's .npz layout.")
    var saveStats: String?

    func run() {
        orExit {
            try common.prepare()
            let count = sampling.count(quick: common.quick)
            let classifier = try FeatureClassifier.load(from: common.classifier)
            // Inputs first, so that a bad path fails before the long part.
            let candidate = try embed(input, classifier: classifier, count: count)
            let referenceSet = try reference.map { try embed($0, classifier: classifier, count: count) }
            let real = try RealData(common, classifier: classifier, count: count)
            let reference = referenceSet ?? real.test
            let card = try scoreCard(candidate, against: reference, settings: common.metricSettings)
            if let saveStats {
                try candidate.statistics.writeNPZ(to: saveStats)
                print("statistics (μ, Σ of \(candidate.statistics.dimension) features) written to \(saveStats)")
            }
            print(try real.report(card, against: reference, settings: common.metricSettings, samples: count))
            print("summary: chapter=ch11_5_metrics command=score samples=\(count) \(summaryFields(card))")
        }
    }

    /// Whatever `path` names, as the metrics see it.
    func embed(_ path: String, classifier: FeatureClassifier, count: Int) throws -> EmbeddedImages {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw EvaluationError("\(path) does not exist", fix: "pass a checkpoint, a PNG folder, an IDX file or an .npz file")
        }
        let name = (path as NSString).lastPathComponent
        if path.hasSuffix(".npz") { return EmbeddedImages(name, statistics: try GaussianStats(npzPath: path)) }
        let images: Tensor
        if isFolder.boolValue {
            images = try loadPNGFolder(path, limit: count)
        } else if path.hasSuffix(".safetensors") {
            let generator = try CheckpointGenerator(path: path)
            var progress = WorkProgress("sampling \(generator.chapter.rawValue)", total: count)
            images = try generator.sample(count: count, seed: common.seed) { progress.update($0) }
        } else {
            images = try loadIDXImages(path, limit: count)
        }
        if images.shape[0] < count {
            print("note: \(path) holds \(images.shape[0]) images, fewer than --samples \(count); scores on fewer samples are biased (see the book)")
        }
        return try EmbeddedImages(name, images: images, classifier: classifier)
    }
}

/*:
 ## Do the metrics notice damage?
 Before trusting a metric on generators, check it on real images spoiled on purpose by a
 known amount: Gaussian noise, blur, salt-and-pepper pixels, grey squares, and a growing
 share of images replaced by one class (a stand-in for mode collapse). Each is applied to
 the test set at strengths 0 to 1 and scored against training images. The distances should
 rise with the strength; the Inception Score should fall.
 */
struct Sanity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "FD, KID and IS of the test set as it is gradually disturbed (figure ch11_5_metrics_sanity.png). The default command.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Test images disturbed per strength, and training images they are compared with.")
    var samples: Int = 5_000

    @Option(help: "Disturbance strengths from 0 to 1 (at least 2).")
    var levels: Int = 6

    func validate() throws {
        guard (20...10_000).contains(samples) else { throw ValidationError("--samples must be in 20...10000, got \(samples)") }
        guard levels >= 2 else { throw ValidationError("--levels must be at least 2, got \(levels)") }
    }

    func run() {
        orExit {
            try common.prepare()
            let count = common.quick ? 300 : samples
            let steps = common.quick ? 3 : levels
            let strengths = (0..<steps).map { Double($0) / Double(steps - 1) }
            var settings = common.metricSettings
            // 26 score cards: skip precision/recall (not plotted) and take fewer KID subsets.
            settings.precisionRecall = false
            settings.kidSubsets = min(settings.kidSubsets, 25)
            let real = try RealData(common, classifier: FeatureClassifier.load(from: common.classifier), count: count)
            let trousers = imageTensor(try loadIDXDataset(directory: common.data, split: .train, limit: 2_000)
                .keeping(label: 1))
            // snippet.sanity
            var cards: [Disturbance: [ScoreCard]] = [:]
            let undisturbed = try scoreCard(real.test, against: real.train, settings: settings)
            for disturbance in Disturbance.allCases {
                cards[disturbance] = [undisturbed]
                for strength in strengths.dropFirst() {
                    let images = disturbance.apply(to: real.testImages, strength: strength, replacements: trousers,
                                                   seed: common.seed)
                    let embedded = try EmbeddedImages("\(disturbance.rawValue) \(strength)", images: images,
                                                      classifier: real.classifier)
                    cards[disturbance]!.append(try scoreCard(embedded, against: real.train, settings: settings))
                }
            }
            // snippet.end
            var nonMonotone: [String] = []
            for disturbance in Disturbance.allCases {
                let row = cards[disturbance]!
                print("\(disturbance.rawValue) (strength 1: \(disturbance.fullStrength))")
                for (strength, card) in zip(strengths, row) {
                    print(String(format: "  strength %.2f  FD %@  KID %@  IS %@", strength, formatted(card.fd),
                                 formatted(card.kid!.mean), formatted(card.inception!)))
                }
                for (metric, values) in [("FD", row.map(\.fd)), ("KID", row.map { $0.kid!.mean })]
                where zip(values, values.dropFirst()).contains(where: { $0 >= $1 }) {
                    nonMonotone.append("\(metric) under \(disturbance.rawValue)")
                }
            }
            if !nonMonotone.isEmpty { print("note: not strictly rising: \(nonMonotone.joined(separator: ", "))") }
            try sanityFigure(cards, strengths: strengths, real: real, trousers: trousers).write(to: common.figurePath("sanity.png"))
            print("figure: \(common.figurePath("sanity.png"))")
            print("summary: chapter=ch11_5_metrics command=sanity samples=\(count) levels=\(strengths.count)"
                + " monotone=\(nonMonotone.isEmpty ? "yes" : "no")")
        }
    }

    /// Three line plots (FD, KID, IS against strength, one line per disturbance) and the
    /// disturbances themselves on one test image.
    func sanityFigure(_ cards: [Disturbance: [ScoreCard]], strengths: [Double], real: RealData,
                      trousers: Tensor) throws -> FigureGrid {
        func plot(_ title: String, _ yTitle: String, _ value: (ScoreCard) -> Double) -> LinePlot {
            LinePlot(title: title, xTitle: "disturbance strength (0 = none, 1 = heavy)", yTitle: yTitle,
                     series: Disturbance.allCases.map { LinePlot.Series(name: $0.rawValue, x: strengths, y: cards[$0]!.map(value)) },
                     width: 1000, height: 700)
        }
        let shown = real.testImages.slice(0..<1)
        var examples: [Float] = []
        for disturbance in Disturbance.allCases {
            for strength in strengths {
                examples += disturbance.apply(to: shown, strength: strength, replacements: trousers, seed: common.seed).values
            }
        }
        let grid = try SampleGrid(pixels: examples, height: 28, width: 28, columns: strengths.count, scale: 4,
                                  caption: "one test image at strengths " + strengths.map { String(format: "%.1f", $0) }.joined(separator: ", "),
                                  rowLabels: Disturbance.allCases.map(\.rawValue))
        return FigureGrid(
            title: "Sanity check: metrics of the Fashion-MNIST test set as it is disturbed",
            cells: [[plot("Fréchet distance to training images", "FD (lower is better)", \.fd),
                     plot("Kernel distance to training images", "KID (lower is better)") { $0.kid!.mean }],
                    [plot("Inception Score (our classifier)", "IS (higher is better)") { $0.inception!.mean }, grid]])
    }
}

/*:
 ## The leaderboard
 Every chapter that trains a generator on Fashion-MNIST leaves a checkpoint in `models/`.
 Scored on the same N samples against the same test set, they can finally be compared.
 */
struct Leaderboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score every models/*_generator.safetensors on the same N; write a table (.md) and a figure.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var sampling: SampleOptions

    @Option(help: "Folder holding the generator checkpoints (<chapter>_generator.safetensors).")
    var models: String = "models"

    func run() {
        orExit {
            try common.prepare()
            let paths = ((try? FileManager.default.contentsOfDirectory(atPath: models)) ?? [])
                .filter { $0.hasSuffix("_generator.safetensors") }.sorted().map { "\(models)/\($0)" }
            guard !paths.isEmpty else {
                throw EvaluationError("no *_generator.safetensors in \(models)",
                                      fix: "train a chapter and copy its checkpoints/<chapter>/generator.safetensors there (Tools/make-figures.sh does)")
            }
            let count = sampling.count(quick: common.quick)
            let real = try RealData(common, classifier: FeatureClassifier.load(from: common.classifier), count: count)
            var entries: [(generator: CheckpointGenerator, card: ScoreCard, samples: Tensor)] = []
            for path in paths {
                // snippet.leaderboard
                let generator = try CheckpointGenerator(path: path)
                var progress = WorkProgress("sampling \(generator.chapter.rawValue)", total: count)
                let samples = try generator.sample(count: count, seed: common.seed) { progress.update($0) }
                let embedded = try EmbeddedImages(generator.chapter.rawValue, images: samples, classifier: real.classifier)
                let card = try scoreCard(embedded, against: real.test, settings: common.metricSettings)
                // snippet.end
                print("\(generator.chapter.rawValue): \(summaryFields(card))")
                entries.append((generator, card, samples.slice(0..<min(36, count))))
            }
            let missing = ChapterGenerator.allCases.filter { chapter in !entries.contains { $0.generator.chapter == chapter } }
            if !missing.isEmpty { print("not in \(models): \(missing.map(\.rawValue).joined(separator: ", "))") }

            let yardstick = try real.yardstick(against: real.test, settings: common.metricSettings)
            let table = markdownTable(entries.map { ($0.generator.chapter.rawValue, $0.card) }, real: yardstick,
                                      testInception: try real.testInception(common.metricSettings), count: count)
            try atomicWrite(Array(table.utf8), to: common.figurePath("leaderboard.md"))
            print(table)
            try leaderboardFigure(entries.map { ($0.generator.chapter.rawValue, $0.card, $0.samples) }, real: yardstick)
                .write(to: common.figurePath("leaderboard.png"))
            print("figure: \(common.figurePath("leaderboard.png")), table: \(common.figurePath("leaderboard.md"))")
            let best = entries.min { $0.card.fd < $1.card.fd }!
            print("summary: chapter=ch11_5_metrics command=leaderboard samples=\(count) models=\(entries.count)"
                + " best=\(best.generator.chapter.rawValue) best_fd=\(formatted(best.card.fd))")
        }
    }

    func markdownTable(_ rows: [(name: String, card: ScoreCard)], real: ScoreCard, testInception: ScoreEstimate,
                       count: Int) -> String {
        func row(_ name: String, _ card: ScoreCard, inception: ScoreEstimate) -> String {
            let kid = card.kid!, pr = card.precisionRecall!
            return "| \(name) | \(String(format: "%.2f", card.fd)) | \(String(format: "%.2f ± %.2f", kid.mean, kid.std))"
                + " | \(String(format: "%.2f ± %.2f", inception.mean, inception.std))"
                + " | \(String(format: "%.3f", pr.precision)) | \(String(format: "%.3f", pr.recall)) |"
        }
        let header = [
            "| model | FD ↓ | KID ↓ | IS ↑ | precision ↑ | recall ↑ |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        let models = rows.sorted { $0.card.fd < $1.card.fd }.map { row("`\($0.name)`", $0.card, inception: $0.card.inception!) }
        let reference = row("*real: \(count) training images*", real, inception: testInception)
        return (header + models + [reference]).joined(separator: "\n")
            + "\n\n\(count) samples per model against the \(count)-image test set; features and class probabilities from"
            + " this workbook's Fashion-MNIST classifier, not Inception. The IS of the real row is the test set's.\n"
    }

    /// The FD bar chart next to a sample grid of each model.
    func leaderboardFigure(_ rows: [(name: String, card: ScoreCard, samples: Tensor)], real: ScoreCard) throws -> FigureGrid {
        let ranked = rows.sorted { $0.card.fd < $1.card.fd }
        let bars = ranked.map { BarChart.Bar(label: $0.name, value: $0.card.fd, colorIndex: 0) }
            + [BarChart.Bar(label: "real (training images)", value: real.fd, colorIndex: 2)]
        let chart = BarChart(title: "Fréchet distance to the test set", valueTitle: "FD, our classifier's features (lower is better)",
                             bars: bars, width: 1100)
        let grids = try ranked.map { row in
            try SampleGrid(pixels: row.samples.values, height: 28, width: 28, columns: 6, scale: 2,
                           caption: "\(row.name), FD \(formatted(row.card.fd))")
        }
        let columns = 3
        let gridRows = stride(from: 0, to: grids.count, by: columns).map { Array(grids[$0..<min($0 + columns, grids.count)]) as [any Figure] }
        return FigureGrid.sideBySide(
            title: "Leaderboard: the generators of this workbook on the same samples",
            [("scores", chart), ("samples", FigureGrid(cells: gridRows))])
    }
}

struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Ch11_5_Metrics",
        abstract: "Evaluate GANs: Fréchet distance, KID, Inception Score, precision/recall, with our own feature network.",
        subcommands: [Sanity.self, Score.self, Leaderboard.self, TrainClassifier.self],
        defaultSubcommand: Sanity.self)
}

Metrics.main()
