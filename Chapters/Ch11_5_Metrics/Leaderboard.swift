import ArgumentParser
import Foundation
import Formats
import Tensor
import Workbook

/// `leaderboard`: every generator in models/ on the same N samples, as a table and a figure.
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
                                      fix: "train a chapter and copy its runs/<run>/checkpoints/<chapter>/generator.safetensors there (Tools/make-figures.sh does)")
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
                print("\(generator.chapter.rawValue): " + summaryFields(card).map { "\($0.key)=\($0.value)" }.joined(separator: " "))
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
            printSummary(command: "leaderboard", [("samples", "\(count)"), ("models", "\(entries.count)"),
                                                  ("best", best.generator.chapter.rawValue), ("best_fd", formatted(best.card.fd))])
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

    /// The FD bar chart next to a sample grid of each model, both as tall as each other (no
    /// empty band above and below the chart), every FD with the table's two decimals.
    func leaderboardFigure(_ rows: [(name: String, card: ScoreCard, samples: Tensor)], real: ScoreCard) throws -> FigureGrid {
        let ranked = rows.sorted { $0.card.fd < $1.card.fd }
        let grids = try ranked.map { row in
            try SampleGrid(pixels: row.samples.values, height: 28, width: 28, columns: 6, scale: 2,
                           caption: "\(row.name), FD \(String(format: "%.2f", row.card.fd))")
        }
        let columns = 3
        let gridRows = stride(from: 0, to: grids.count, by: columns).map { Array(grids[$0..<min($0 + columns, grids.count)]) as [any Figure] }
        let samples = FigureGrid(cells: gridRows)
        let bars = ranked.map { BarChart.Bar(label: $0.name, value: $0.card.fd, colorIndex: 0) }
            + [BarChart.Bar(label: "real (training images)", value: real.fd, colorIndex: 2)]
        let chart = BarChart(title: "Fréchet distance to the test set", valueTitle: "FD, our classifier's features (lower is better)",
                             bars: bars, width: 1100, height: try samples.render().height, decimals: 2)
        return FigureGrid.sideBySide(
            title: "Leaderboard: the generators of this workbook on the same samples",
            [("scores", chart), ("samples", samples)])
    }
}
