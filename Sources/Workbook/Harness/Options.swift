import ArgumentParser
import Foundation

/// A chapter's default settings; `--help` shows them.
public protocol ChapterDefaults {
    static var epochs: Int { get }
    static var batchSize: Int { get }
    static var learningRate: Float { get }
    static var latentDimension: Int { get }
    /// Adam's β₁ and β₂ for both players.
    static var beta1: Float { get }
    static var beta2: Float { get }
}

extension ChapterDefaults {
    /// DCGAN's β₁ = 0.5, which most GAN chapters use, with PyTorch's β₂.
    public static var beta1: Float { 0.5 }
    public static var beta2: Float { 0.999 }
}

/// The options every training chapter shares, with the chapter's own defaults.
public struct TrainingOptions<Defaults: ChapterDefaults>: ParsableArguments, Sendable {
    @Option(help: "Passes over the training data.")
    public var epochs: Int = Defaults.epochs

    @Option(help: "Stop after exactly this many training iterations (overrides --epochs).")
    public var steps: Int?

    @Option(help: "Examples per minibatch.")
    public var batchSize: Int = Defaults.batchSize

    @Option(name: .customLong("lr"), help: "Learning rate.")
    public var learningRate: Float = Defaults.learningRate

    @Option(name: .customLong("lr-g"), help: "The generator's learning rate (default: --lr); with --lr-d, two time-scales (TTUR).")
    public var generatorLearningRate: Float?

    @Option(name: .customLong("lr-d"), help: "The discriminator's (or critic's) learning rate (default: --lr).")
    public var discriminatorLearningRate: Float?

    @Option(help: "Adam's β₁ (momentum of the gradient).")
    public var beta1: Float = Defaults.beta1

    @Option(help: "Adam's β₂ (momentum of the squared gradient).")
    public var beta2: Float = Defaults.beta2

    @Option(help: "Size of the generator's noise vector z.")
    public var latentDim: Int = Defaults.latentDimension

    @Option(help: "Seed for weights, noise and data order: same seed and threads, same figures.")
    public var seed: UInt64 = 0

    @Option(help: "Folder for figures.")
    public var out: String = "figures"

    @Option(help: "Folder for checkpoints; a run writes into its own subfolder <folder>/<run name>.")
    public var checkpointDir: String = "checkpoints"

    @Flag(help: "Continue from the checkpoint in --checkpoint-dir.")
    public var resume = false

    @Option(help: "Threads for matrix products.")
    public var threads: Int = 2

    @Flag(help: "A tiny smoke run: a few iterations on a small subset (for tests and CI).")
    public var quick = false

    public init() {}

    public func validate() throws {
        try requirePositive(epochs, "--epochs")
        try requirePositive(batchSize, "--batch-size")
        try requirePositive(latentDim, "--latent-dim")
        try requirePositive(threads, "--threads")
        if let steps { try requirePositive(steps, "--steps") }
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
                    latentDimension: latentDim, seed: seed, outputFolder: out, checkpointFolder: checkpointDir,
                    resume: resume, threads: threads, quick: quick,
                    generatorLearningRate: generatorLearningRate, discriminatorLearningRate: discriminatorLearningRate,
                    beta1: beta1, beta2: beta2)
    }
}

/// Where training data comes from.
public struct DataOptions: ParsableArguments, Sendable {
    @Option(help: "Folder of MNIST-format IDX files, gzipped or not (e.g. MNIST digits).")
    public var data: String = defaultFashionMNISTDirectory

    public init() {}
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
    /// The players' own learning rates (two time-scales, TTUR); both `learningRate` by default.
    public var generatorLearningRate: Float
    public var discriminatorLearningRate: Float
    /// Adam's β₁ and β₂.
    public var beta1: Float
    public var beta2: Float

    public init(epochs: Int, steps: Int? = nil, batchSize: Int, learningRate: Float, latentDimension: Int,
                seed: UInt64 = 0, outputFolder: String = "figures", checkpointFolder: String = "checkpoints",
                resume: Bool = false, threads: Int = 2, quick: Bool = false,
                generatorLearningRate: Float? = nil, discriminatorLearningRate: Float? = nil,
                beta1: Float = 0.5, beta2: Float = 0.999) {
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
        self.generatorLearningRate = generatorLearningRate ?? learningRate
        self.discriminatorLearningRate = discriminatorLearningRate ?? learningRate
        self.beta1 = beta1
        self.beta2 = beta2
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
