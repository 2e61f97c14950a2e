import ArgumentParser
import Formats
import Foundation
import Tensor
import Workbook

/// `score`: one input (checkpoint, PNG folder, IDX file or .npz statistics) against the test set.
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

    @Option(help: "The generator's architecture, for a checkpoint without the workbook's metadata (e.g. saved by PyTorch): mlp, dcgan, rgan, cgan (conditional), wgan, wgan-gp, or a chapter's name (\(ChapterGenerator.allCases.map(\.rawValue).joined(separator: ", "))). By default it is read from the metadata or found from the tensor names and shapes.")
    var architecture: ChapterGenerator?

    func run() {
        orExit {
            // The folder is made when the scores are written: a run that fails leaves none behind.
            try common.prepare(creatingFolder: false)
            let count = sampling.count(quick: common.quick)
            let classifier = try FeatureClassifier.load(from: common.classifier)
            // Inputs first, so that a bad path fails before the long part.
            var generator: CheckpointGenerator?
            let candidate = try embed(input, classifier: classifier, count: count) { generator = $0 }
            let referenceSet = try reference.map { try embed($0, classifier: classifier, count: count) }
            let real = try RealData(common, classifier: classifier, count: count)
            let reference = referenceSet ?? real.test
            let card = try scoreCard(candidate, against: reference, settings: common.metricSettings)
            if let saveStats {
                try candidate.statistics.writeNPZ(to: saveStats)
                print("statistics (μ, Σ of \(candidate.statistics.dimension) features) written to \(saveStats)")
            }
            let report = try real.report(card, against: reference, settings: common.metricSettings, samples: count,
                                         input: input, generator: generator)
            print(lines(of: report))
            try write(report)
            printSummary(command: "score", [("samples", "\(count)")] + summaryFields(card))
        }
    }

    /// `ch11_5_metrics_score_<input>.json` and `.md` in the run's folder.
    func write(_ report: ScoreReport) throws {
        try ensureWritableFolder(common.outputFolder)
        let stem = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
        let base = common.figurePath("score_" + String(stem.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }))
        try atomicWrite(Data(report.json().utf8), to: base + ".json")
        try atomicWrite(Data(report.markdown(format: formatted).utf8), to: base + ".md")
        print("scores written to \(base).json and \(base).md")
    }

    /// Whatever `path` names, as the metrics see it; `rebuilt` gets the generator a
    /// checkpoint was read as.
    func embed(_ path: String, classifier: FeatureClassifier, count: Int,
               rebuilt: (CheckpointGenerator) -> Void = { _ in }) throws -> EmbeddedImages {
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
            let generator = try CheckpointGenerator(path: path, architecture: architecture)
            print("generator: \(ScoreReport.Generator(generator).description)")
            for warning in generator.warnings { print("warning: \(warning)") }
            rebuilt(generator)
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
