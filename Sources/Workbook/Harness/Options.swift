import ArgumentParser
import Foundation

/// A chapter's default settings; `--help` shows them.
public protocol ChapterDefaults {
    static var recipe: Recipe { get }
}

/// The settings a chapter's book run uses unless the command line changes them.
public struct Recipe: Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var latentDimension: Int
    /// Adam's β₁ and β₂ for both players: DCGAN's β₁ = 0.5, which most GAN chapters use,
    /// with PyTorch's β₂, unless the chapter says otherwise.
    public var beta1: Float
    public var beta2: Float

    public init(epochs: Int, batchSize: Int, learningRate: Float, latentDimension: Int,
                beta1: Float = 0.5, beta2: Float = 0.999) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.latentDimension = latentDimension
        self.beta1 = beta1
        self.beta2 = beta2
    }
}

extension ChapterDefaults {
    public static var epochs: Int { recipe.epochs }
    public static var batchSize: Int { recipe.batchSize }
    public static var learningRate: Float { recipe.learningRate }
    public static var latentDimension: Int { recipe.latentDimension }
    public static var beta1: Float { recipe.beta1 }
    public static var beta2: Float { recipe.beta2 }
}

extension CommandConfiguration {
    /// A chapter's command: its name, a one-line abstract, and `--version`.
    public static func chapter(_ name: String, _ abstract: String, subcommands: [any ParsableCommand.Type] = [],
                               defaultSubcommand: (any ParsableCommand.Type)? = nil) -> CommandConfiguration {
        CommandConfiguration(commandName: name, abstract: abstract, version: workbookVersion,
                             subcommands: subcommands, defaultSubcommand: defaultSubcommand)
    }
}

/// The options every training chapter shares, with the chapter's own defaults.
///
/// Numeric options parse `.unconditional`ly, so `--lr -1` reaches the range check and is
/// told what range is allowed, instead of ArgumentParser's "missing value" (it would take
/// `-1` for a flag).
public struct TrainingOptions<Defaults: ChapterDefaults>: ParsableArguments, Sendable {
    @Option(parsing: .unconditional, help: "Passes over the training data.")
    public var epochs: Int = Defaults.epochs

    @Option(parsing: .unconditional, help: "Stop after exactly this many training iterations (overrides --epochs).")
    public var steps: Int?

    @Option(parsing: .unconditional, help: "Examples per minibatch.")
    public var batchSize: Int = Defaults.batchSize

    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Learning rate.")
    public var learningRate: Float = Defaults.learningRate

    @Option(name: .customLong("lr-g"), parsing: .unconditional, help: "The generator's learning rate (default: --lr); with --lr-d, two time-scales (TTUR).")
    public var generatorLearningRate: Float?

    @Option(name: .customLong("lr-d"), parsing: .unconditional, help: "The discriminator's (or critic's) learning rate (default: --lr).")
    public var discriminatorLearningRate: Float?

    @Option(parsing: .unconditional, help: "Adam's β₁ (momentum of the gradient).")
    public var beta1: Float = Defaults.beta1

    @Option(parsing: .unconditional, help: "Adam's β₂ (momentum of the squared gradient).")
    public var beta2: Float = Defaults.beta2

    @Option(parsing: .unconditional, help: "Size of the generator's noise vector z.")
    public var latentDim: Int = Defaults.latentDimension

    @Option(parsing: .unconditional, help: "Seed for weights, noise and data order: same seed, same figures (at any --threads).")
    public var seed: UInt64 = 0

    @Option(help: ArgumentHelp(outputFolderHelp, valueName: "folder"))
    public var out: String?

    @Option(help: ArgumentHelp("Folder for checkpoints, each run in its own subfolder <folder>/<run name> (default: the run's folder, <out>/checkpoints/<chapter>).", valueName: "folder"))
    public var checkpointDir: String?

    @Option(parsing: .unconditional, help: "Also checkpoint every N iterations, not only after each epoch (for long epochs, and the kill test).")
    public var checkpointEvery: Int?

    @Flag(help: "Continue the run in --out from its checkpoint (only options that do not change training may differ, and a longer --epochs or --steps).")
    public var resume = false

    @Flag(help: "Replace a run with other settings that is already in --out (and its checkpoints) instead of refusing to.")
    public var fresh = false

    @Option(parsing: .unconditional, help: "Compute threads: they change the speed, never the results.")
    public var threads: Int = 2

    @Flag(help: "A tiny smoke run: a few iterations on a small subset (for tests and CI).")
    public var quick = false

    @Flag(help: "No live samples above the progress bar (drawn only on a colour terminal: not with TERM=dumb or NO_COLOR).")
    public var noPreview = false

    public init() {}

    public func validate() throws {
        if resume && fresh { throw ValidationError("--resume continues the run in --out, --fresh replaces it: choose one") }
        try requireInRange(epochs, "--epochs", 1...SanityLimits.epochs)
        try requireInRange(batchSize, "--batch-size", 1...SanityLimits.batchSize)
        try requireInRange(latentDim, "--latent-dim", 1...SanityLimits.width)
        try requireInRange(threads, "--threads", 1...SanityLimits.threads)
        if let steps { try requireInRange(steps, "--steps", 1...SanityLimits.steps) }
        if let checkpointEvery { try requireInRange(checkpointEvery, "--checkpoint-every", 1...SanityLimits.steps) }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--lr must be a positive number, got \(learningRate); try --lr \(Defaults.learningRate)")
        }
        if let generatorLearningRate { try requirePositive(generatorLearningRate, "--lr-g") }
        if let discriminatorLearningRate { try requirePositive(discriminatorLearningRate, "--lr-d") }
        for (beta, flag) in [(beta1, "--beta1"), (beta2, "--beta2")] where !(beta >= 0 && beta < 1) {
            throw ValidationError("\(flag) must be in [0, 1), got \(beta)")
        }
    }

    /// The settings as a plain value the harness keeps.
    public var settings: RunSettings {
        RunSettings(epochs: epochs, steps: steps, batchSize: batchSize, learningRate: learningRate,
                    latentDimension: latentDim, seed: seed, outputFolder: out ?? defaultOutputFolder(), checkpointFolder: checkpointDir,
                    resume: resume, threads: threads, quick: quick, preview: !noPreview,
                    generatorLearningRate: generatorLearningRate, discriminatorLearningRate: discriminatorLearningRate,
                    beta1: beta1, beta2: beta2, checkpointEvery: checkpointEvery, fresh: fresh,
                    options: ParsedCommandLine.optionValues, runNameSuffix: defaultRunNameSuffix())
    }
}

/// Where training data comes from.
public struct DataOptions: ParsableArguments, Sendable {
    @Option(help: "Folder of MNIST-format IDX files, gzipped or not (e.g. MNIST digits).")
    public var data: String = defaultFashionMNISTDirectory

    public init() {}
}

/// `--out`'s help, the same in every chapter.
public let outputFolderHelp = "Folder for figures, tables and logs. Default: runs/<chapter>, plus the settings you changed (e.g. runs/ch11_2_minimax-lr-1e-3), so experiments never replace the book's figures; the book's own are made with --out figures."

/// Where a run writes when `--out` is not given: `runs/<chapter>`, followed by the options
/// that change results, so that two experiments keep apart and the committed `figures/`
/// change only when asked (`--out figures`, as Tools/make-figures.sh does).
public func defaultOutputFolder(arguments: [String] = CommandLine.arguments) -> String {
    let chapter = URL(fileURLWithPath: arguments.first ?? "chapter").lastPathComponent.lowercased()
    return "runs/" + chapter + defaultRunNameSuffix(arguments: arguments)
}

/// The settings part of a run's name, "-lr-1e-3-epochs-2" (or "" for the book's settings):
/// the options that change what a run computes, as given. A data folder counts by its last
/// component (`--data ~/mnist`: "-data-mnist"). It keys `runs/<chapter><suffix>` and a
/// run's subfolder of `--checkpoint-dir`, so that two runs with other settings never share one.
public func defaultRunNameSuffix(arguments: [String] = CommandLine.arguments) -> String {
    // Options that change where or how fast a run goes, not what it computes.
    let neutral: Set<String> = ["--threads", "--checkpoint-dir", "--out", "--checkpoint-every",
                                "--compare-with", "--compare-log", "--compare-generator"]
    let neutralFlags: Set<String> = ["--resume", "--no-preview", "--fresh", "--show-architecture"]
    let folders: Set<String> = ["--data", "--images"]
    var parts: [String] = []
    var index = 1
    while index < arguments.count {
        let argument = arguments[index]
        let name = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
        let inlineValue = argument.contains("=") ? String(argument.split(separator: "=", maxSplits: 1).last ?? "") : nil
        let takesValue = inlineValue == nil && index + 1 < arguments.count && !arguments[index + 1].hasPrefix("--")
        defer { index += takesValue ? 2 : 1 }
        if neutral.contains(name) || neutralFlags.contains(name) { continue }
        if folders.contains(name), let value = inlineValue ?? (takesValue ? arguments[index + 1] : nil) {
            let folder = URL(fileURLWithPath: value).standardized.lastPathComponent
            if value != defaultFashionMNISTDirectory { parts += ["data", folder] }
            continue
        }
        parts.append(argument.replacingOccurrences(of: "=", with: "-"))
        if takesValue { parts.append(arguments[index + 1]) }
    }
    let suffix = parts.map { $0.drop(while: { $0 == "-" }) }
        .map { String($0.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" ? $0 : "-" }) }
        .joined(separator: "-")
    return suffix.isEmpty ? "" : "-" + suffix
}

/// Upper bounds for sizes and counts from the command line: far beyond any sensible run, yet
/// small enough that the sizes and step counts computed from them cannot overflow and that
/// an absurd value (`--latent-dim 1000000000` would ask for a terabyte) is an error at once
/// rather than minutes of silence or a crash. Chapters bound their own options with them.
public enum SanityLimits {
    /// Passes over the data.
    public static let epochs = 100_000
    /// Training iterations of one run.
    public static let steps = 1_000_000_000
    /// Examples in one minibatch.
    public static let batchSize = 65_536
    /// A layer's width, a latent dimension, a number of channels.
    public static let width = 65_536
    /// Compute threads.
    public static let threads = 1_024
    /// Inner repetitions of one iteration (critic updates per generator update and the like).
    public static let repetitions = 10_000
}

/// Refuses a value outside `range` with a one-line message that gives the range.
public func requireInRange(_ value: Int, _ flag: String, _ range: ClosedRange<Int>) throws {
    guard range.contains(value) else {
        throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }
}

/// Refuses a non-finite value or one outside `range`, with a one-line message that gives the range.
public func requireInRange(_ value: Float, _ flag: String, _ range: ClosedRange<Float>) throws {
    guard value.isFinite, range.contains(value) else {
        throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
    }
}

public func requirePositive(_ value: Int, _ flag: String) throws {
    guard value > 0 else { throw ValidationError("\(flag) must be at least 1, got \(value)") }
}

public func requirePositive(_ value: Float, _ flag: String) throws {
    guard value > 0, value.isFinite else { throw ValidationError("\(flag) must be a positive number, got \(value)") }
}

/// The shared settings of a run, independent of the chapter's option type.
public struct RunSettings: Sendable {
    public var epochs: Int
    public var steps: Int?
    public var batchSize: Int
    public var learningRate: Float
    public var latentDimension: Int
    public var seed: UInt64
    public var outputFolder: String
    /// `--checkpoint-dir`; nil keeps checkpoints in the run's folder.
    public var checkpointFolder: String?
    public var resume: Bool
    /// Replace a run with other settings found in the output folder.
    public var fresh: Bool
    /// Every option of the command line with its value as text (nil: not given and no
    /// default), in the order of `--help`: what `settings.json` records and `--resume` checks.
    public var options: [(name: String, value: String?)]
    /// The settings part of the run's name ("-lr-1e-3"), which keys its `--checkpoint-dir` subfolder.
    public var runNameSuffix: String
    public var threads: Int
    public var quick: Bool
    /// Draw the fixed-noise samples above the progress bar, where the terminal allows it.
    public var preview: Bool
    /// The players' own learning rates (two time-scales, TTUR); both `learningRate` by default.
    public var generatorLearningRate: Float
    public var discriminatorLearningRate: Float
    /// Adam's β₁ and β₂.
    public var beta1: Float
    public var beta2: Float
    /// Checkpoint every this many iterations as well as after each epoch.
    public var checkpointEvery: Int?

    public init(epochs: Int, steps: Int? = nil, batchSize: Int, learningRate: Float, latentDimension: Int,
                seed: UInt64 = 0, outputFolder: String = "figures", checkpointFolder: String? = nil,
                resume: Bool = false, threads: Int = 2, quick: Bool = false, preview: Bool = true,
                generatorLearningRate: Float? = nil, discriminatorLearningRate: Float? = nil,
                beta1: Float = 0.5, beta2: Float = 0.999, checkpointEvery: Int? = nil, fresh: Bool = false,
                options: [(name: String, value: String?)]? = nil, runNameSuffix: String = "") {
        self.epochs = epochs
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.latentDimension = latentDimension
        self.seed = seed
        self.outputFolder = outputFolder
        self.checkpointFolder = checkpointFolder
        self.resume = resume
        self.threads = threads
        self.quick = quick
        self.preview = preview
        self.generatorLearningRate = generatorLearningRate ?? learningRate
        self.discriminatorLearningRate = discriminatorLearningRate ?? learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.checkpointEvery = checkpointEvery
        self.fresh = fresh
        self.runNameSuffix = runNameSuffix
        // Without a command line (a test, a tool), the shared settings are the options.
        self.options = options ?? [
            ("epochs", String(epochs)), ("steps", steps.map(String.init)), ("batch-size", String(batchSize)),
            ("lr", "\(learningRate)"), ("lr-g", "\(self.generatorLearningRate)"), ("lr-d", "\(self.discriminatorLearningRate)"),
            ("beta1", "\(beta1)"), ("beta2", "\(beta2)"), ("latent-dim", String(latentDimension)), ("seed", String(seed)),
            ("quick", String(quick)),
        ]
    }

    /// Examples a `--quick` run trains on, and the iterations it takes.
    public static let quickExamples = 512
    public static let quickSteps = 3
}

// snippet.or-exit
/// Prints a one-line error and exits with status 1: bad input never ends in a crash.
public func exitWithError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

/// Runs `body`, turning any thrown error into a one-line message and exit status 1.
public func orExit<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { exitWithError("\(error)") }
}
// snippet.end

extension ParsableArguments {
    /// Parses the command line. `--help` prints the help and exits 0; a bad option prints
    /// one line, `error: <what is wrong> — see --help`, and exits non-zero (ArgumentParser's
    /// own `parseOrExit()` follows its message with the whole usage text).
    public static func parseCommandLine() -> Self {
        do {
            let parsed = try parse()
            ParsedCommandLine.record(parsed)
            return parsed
        } catch {
            exitForCommandLine(error)
        }
    }

    /// Help (`--help`, `help <subcommand>`) goes to standard output with exit status 0; any
    /// other error of the command line is one line on standard error.
    static func exitForCommandLine(_ error: any Error) -> Never {
        let code = exitCode(for: error)
        if code == .success {
            print(fullMessage(for: error))
            Foundation.exit(0)
        }
        // An `ExitCode` thrown on purpose has no message: it only sets the status.
        // A list of valid values comes on lines of its own ("- ring"): keep it on the one line.
        let lines = self.message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        if let first = lines.first {
            let choices = lines.dropFirst().filter { $0.hasPrefix("- ") }.map { $0.dropFirst(2) }
            let message = choices.isEmpty ? first : first + " " + choices.joined(separator: ", ")
            FileHandle.standardError.write(Data("error: \(message) — see --help\n".utf8))
        }
        Foundation.exit(code.rawValue)
    }
}

extension ParsableCommand {
    /// Runs a command with subcommands, like ArgumentParser's `main()`, but a bad command line
    /// gets the one-line error of `parseCommandLine()` instead of a message and the usage text.
    public static func runCommandLine() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exitForCommandLine(error)
        }
    }
}
