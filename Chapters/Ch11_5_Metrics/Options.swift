import ArgumentParser
import Tensor
import Workbook

/// The command line: one subcommand per task, `sanity` when none is named.
struct Metrics: ParsableCommand {
    static let configuration = CommandConfiguration.chapter(
        "Ch11_5_Metrics",
        "Evaluate GANs: Fréchet distance, KID, Inception Score, precision/recall, with our own feature network.",
        subcommands: [Sanity.self, Score.self, Leaderboard.self, TrainClassifier.self],
        defaultSubcommand: Sanity.self)
}

/// The options every subcommand shares.
struct CommonOptions: ParsableArguments, Sendable {
    @Option(help: "Folder of MNIST-format IDX files: the real data (its train and test splits).")
    var data: String = defaultFashionMNISTDirectory

    @Option(help: "The feature classifier's weights (safetensors).")
    var classifier: String = FeatureClassifier.defaultPath

    @Option(help: ArgumentHelp(outputFolderHelp, valueName: "folder"))
    var out: String?

    /// `--out`, or the default folder of this run's settings.
    var outputFolder: String { out ?? defaultOutputFolder() }

    @Option(help: "Folder for what a --quick run writes instead of the shipped files (a retrained classifier).")
    var checkpointDir: String = "checkpoints"

    @Option(help: "Compute threads: they change the speed, never the results.")
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

    /// Sets the thread count and makes sure the output folder can take files; with
    /// `creatingFolder: false`, only that it could be made, for a subcommand that creates it
    /// when it writes.
    func prepare(creatingFolder: Bool = true) throws {
        setComputeThreads(threads)
        try creatingFolder ? ensureWritableFolder(outputFolder) : ensureFolderCanBeMade(outputFolder)
        if out == nil && creatingFolder { print("figures and tables go to \(outputFolder)/") }
    }

    func figurePath(_ what: String) -> String { "\(outputFolder)/ch11_5_metrics_\(what)" }
}

/// Samples scored per model: fixed across models, since every estimate depends on N.
struct SampleOptions: ParsableArguments, Sendable {
    @Option(help: "Samples per model, and real images per reference set (at most 10,000, the test set's size).")
    var samples: Int = 10_000

    func count(quick: Bool) -> Int { quick ? 300 : samples }

    func validate() throws {
        guard samples >= 20 else { throw ValidationError("--samples must be at least 20 (10 Inception Score splits of 2), got \(samples)") }
        guard samples <= 10_000 else { throw ValidationError("--samples must be at most 10000, the size of the test set, got \(samples)") }
    }
}

/// The closing `summary:` line of a subcommand.
func printSummary(command: String, _ fields: [(key: String, value: String)]) {
    print(summaryLine(chapter: "ch11_5_metrics", [("command", command)] + fields))
}
