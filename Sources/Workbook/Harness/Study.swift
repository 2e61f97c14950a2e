import ArgumentParser
import Foundation
import Tensor

/// The options of a chapter that runs a study of its own (many small models, or metrics)
/// rather than one `TrainingRun`.
public struct StudyOptions: ParsableArguments, Sendable {
    @Option(help: "Seed for data, weights and noise: same seed, same figures and tables (at any --threads).")
    public var seed: UInt64 = 0

    @Option(help: ArgumentHelp(outputFolderHelp, valueName: "folder"))
    public var out: String?

    @Option(help: "Threads: for computation, or for runs done side by side in a study of many small runs; never changes the results.")
    public var threads: Int = 2

    @Flag(help: "A tiny smoke run of a few seconds, for tests and CI.")
    public var quick = false

    public init() {}

    public func validate() throws {
        try requirePositive(threads, "--threads")
    }
}

/// One run of such a chapter: sets the thread count, checks that the output folder takes
/// files (before minutes of work, not after), and prints the closing `summary:` line.
public struct Study {
    /// File-name prefix of the outputs, e.g. "ch11_3_mode_collapse".
    public let name: String
    public let options: StudyOptions
    private let started = ContinuousClock.now

    public init(name: String, options: StudyOptions) {
        self.name = name
        self.options = options
        outputFolder = options.out ?? defaultOutputFolder()
        setComputeThreads(options.threads)
        orExit { try ensureWritableFolder(outputFolder) }
        if options.out == nil { print("figures and tables go to \(outputFolder)/") }
    }

    /// `--out`, or the default folder of this run's settings.
    public let outputFolder: String

    /// `<output folder>/<name>_<what>`, e.g. `figures/ch11_3_mode_collapse_table.md`.
    public func path(_ what: String) -> String { "\(outputFolder)/\(name)_\(what)" }

    /// Writes a Markdown table as `<name>_<what>.md` in the output folder, atomically.
    public func writeTable(_ markdown: String, named what: String) {
        writeMarkdown(markdown, to: path("\(what).md"))
    }

    /// Whole seconds since the study started.
    public var seconds: Int { Int((ContinuousClock.now - started).components.seconds) }

    /// Prints `summary: chapter=<name> k=v …`.
    public func finish(_ fields: KeyValuePairs<String, String>) {
        finish(Array(fields))
    }

    /// Prints `summary: chapter=<name> k=v …`, for fields that are computed, e.g. one per model.
    public func finish(_ fields: [(key: String, value: String)]) {
        print(summaryLine(chapter: name, fields))
    }
}

/// The closing line that tools and benchmarks parse: `summary: chapter=NAME k=v k=v …`.
/// Every chapter prints it through here, so its form is defined once.
public func summaryLine(chapter: String, _ fields: [(key: String, value: String)]) -> String {
    (["summary: chapter=\(chapter)"] + fields.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
}
