import ArgumentParser
import Foundation
import Tensor
import Workbook

/// `sanity`, the default: the metrics on real images damaged by a known amount.
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
        if CommandLine.arguments.count == 1 {
            print("Ch11_5_Metrics with no subcommand runs `sanity`, the metrics' sanity study (a few minutes);"
                  + " the others are score, leaderboard and train-classifier — see --help")
        }
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
            printSummary(command: "sanity", [("samples", "\(count)"), ("levels", "\(strengths.count)"),
                                             ("monotone", nonMonotone.isEmpty ? "yes" : "no")])
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
