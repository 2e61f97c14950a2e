import ArgumentParser
import Foundation

/// A chapter's default settings; `--help` shows them.
public protocol ChapterDefaults {
    static var epochs: Int { get }
    static var batchSize: Int { get }
    static var learningRate: Float { get }
    static var latentDimension: Int { get }
}

/// The options every training chapter shares, with the chapter's own defaults.
///
/// Numeric options parse `.unconditional`ly, so `--lr -1` reaches the range check and is
/// told what range is allowed, instead of ArgumentParser's "missing value" (it would take
/// `-1` for a flag).
public struct TrainingOptions<Defaults: ChapterDefaults>: ParsableArguments {
    @Option(parsing: .unconditional, help: "Passes over the training data.")
    public var epochs: Int = Defaults.epochs

    @Option(parsing: .unconditional, help: "Stop after exactly this many training iterations (overrides --epochs).")
    public var steps: Int?

    @Option(parsing: .unconditional, help: "Examples per minibatch.")
    public var batchSize: Int = Defaults.batchSize

    @Option(name: .customLong("lr"), parsing: .unconditional, help: "Learning rate.")
    public var learningRate: Float = Defaults.learningRate

    @Option(parsing: .unconditional, help: "Size of the generator's noise vector z.")
    public var latentDim: Int = Defaults.latentDimension

    @Option(parsing: .unconditional, help: "Seed for weights, noise and data order: same seed and threads, same figures.")
    public var seed: UInt64 = 0

    @Option(help: "Folder for figures.")
    public var out: String = "figures"

    @Option(help: "Folder for checkpoints; a run writes into its own subfolder <folder>/<run name>.")
    public var checkpointDir: String = "checkpoints"

    @Option(parsing: .unconditional, help: "Also checkpoint every N iterations, not only after each epoch (for long epochs, and the kill test).")
    public var checkpointEvery: Int?

    @Flag(help: "Continue from the checkpoint in --checkpoint-dir.")
    public var resume = false

    @Option(parsing: .unconditional, help: "Threads for matrix products.")
    public var threads: Int = 2

    @Flag(help: "A tiny smoke run: a few iterations on a small subset (for tests and CI).")
    public var quick = false

    public init() {}

    public func validate() throws {
        try requireInRange(epochs, "--epochs", 1...SanityLimits.epochs)
        try requireInRange(batchSize, "--batch-size", 1...SanityLimits.batchSize)
        try requireInRange(latentDim, "--latent-dim", 1...SanityLimits.width)
        try requireInRange(threads, "--threads", 1...SanityLimits.threads)
        if let steps { try requireInRange(steps, "--steps", 1...SanityLimits.steps) }
        if let checkpointEvery { try requireInRange(checkpointEvery, "--checkpoint-every", 1...SanityLimits.steps) }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--lr must be a positive number, got \(learningRate); try --lr \(Defaults.learningRate)")
        }
    }

    /// The settings as a plain value the harness keeps.
    public var settings: RunSettings {
        RunSettings(epochs: epochs, steps: steps, batchSize: batchSize, learningRate: learningRate,
                    latentDimension: latentDim, seed: seed, outputFolder: out, checkpointFolder: checkpointDir,
                    resume: resume, threads: threads, quick: quick, checkpointEvery: checkpointEvery)
    }
}

/// Where training data comes from.
public struct DataOptions: ParsableArguments {
    @Option(help: "Folder of MNIST-format IDX files, gzipped or not (e.g. MNIST digits).")
    public var data: String = defaultFashionMNISTDirectory

    public init() {}
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
    /// Threads for matrix products.
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
    public var checkpointFolder: String
    public var resume: Bool
    public var threads: Int
    public var quick: Bool
    /// Checkpoint every this many iterations as well as after each epoch.
    public var checkpointEvery: Int?

    public init(epochs: Int, steps: Int? = nil, batchSize: Int, learningRate: Float, latentDimension: Int,
                seed: UInt64 = 0, outputFolder: String = "figures", checkpointFolder: String = "checkpoints",
                resume: Bool = false, threads: Int = 2, quick: Bool = false, checkpointEvery: Int? = nil) {
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
        self.checkpointEvery = checkpointEvery
    }

    /// Examples a `--quick` run trains on, and the iterations it takes.
    public static let quickExamples = 512
    public static let quickSteps = 3
}

/// Prints a one-line error and exits with status 1: bad input never ends in a crash.
public func exitWithError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

/// Runs `body`, turning any thrown error into a one-line message and exit status 1.
public func orExit<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { exitWithError("\(error)") }
}

extension ParsableArguments {
    /// Parses the command line. `--help` prints the help and exits 0; a bad option prints
    /// one line, `error: <what is wrong> — see --help`, and exits non-zero (ArgumentParser's
    /// own `parseOrExit()` follows its message with the whole usage text).
    public static func parseCommandLine() -> Self {
        do {
            return try parse()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            FileHandle.standardError.write(Data("error: \(message) — see --help\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
