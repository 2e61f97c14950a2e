import ArgumentParser
import Foundation
import Workbook

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter(
        "Ch11_3_Techniques",
        "The stabilisers of §11.3 side by side: one minimax recipe, one run per technique, on the same data, seed and budget.")

    @OptionGroup var study: StudyOptions
    @OptionGroup var data: DataOptions

    @Option(help: "Techniques to train, comma-separated (\(Technique.allCases.map(\.rawValue).joined(separator: ", "))).")
    var techniques = Technique.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Generator iterations of each Fashion-MNIST run.")
    var steps = 1000

    @Option(help: "Generator iterations of each 2-D run.")
    var toySteps = 2000

    @Option(help: "2-D runs per technique and mixture, with seeds --seed, --seed + 1, …")
    var seeds = 3

    @Option(help: "Generated images each run is scored on, against as many test images.")
    var samples = 2000

    @Option(help: "The metrics chapter's feature classifier (safetensors).")
    var classifier = FeatureClassifier.defaultPath

    @Option(name: .customLong("lr"), help: "The recipe's learning rate for both players (Fashion-MNIST runs; the 2-D runs use 10⁻³).")
    var learningRate: Float = 2e-4

    @Option(help: "The recipe's batch size (Fashion-MNIST runs; the 2-D runs use 256).")
    var batchSize = 64

    @Option(help: "label-smoothing: D's target for real images.")
    var labelSmoothing: Float = 0.9

    @Option(help: "instance-noise: initial standard deviation of the noise on D's inputs, annealed to 0.")
    var instanceNoise: Float = 0.1

    @Option(help: "label-flipping: the fraction of D's targets flipped in each batch.")
    var flipFraction: Float = 0.05

    @Option(name: .customLong("lr-g"), help: "ttur: the generator's learning rate (the 2-D runs scale it by their 10⁻³ / --lr).")
    var generatorLearningRate: Float = 1e-4

    @Option(name: .customLong("lr-d"), help: "ttur: the discriminator's learning rate (scaled likewise).")
    var discriminatorLearningRate: Float = 4e-4

    @Option(help: "lr-high and lr-low multiply and divide the learning rate by this.")
    var sweepFactor: Float = 20

    /// The techniques of `--techniques`, in the order given.
    var chosenTechniques: [Technique] {
        techniques.split(separator: ",").compactMap { Technique(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }

    func validate() throws {
        for name in techniques.split(separator: ",") where Technique(rawValue: name.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("unknown technique '\(name)'; choose from \(Technique.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !chosenTechniques.isEmpty else { throw ValidationError("--techniques needs at least one technique") }
        try requirePositive(steps, "--steps")
        try requirePositive(toySteps, "--toy-steps")
        try requirePositive(seeds, "--seeds")
        try requirePositive(batchSize, "--batch-size")
        try requirePositive(learningRate, "--lr")
        try requirePositive(generatorLearningRate, "--lr-g")
        try requirePositive(discriminatorLearningRate, "--lr-d")
        try requirePositive(sweepFactor, "--sweep-factor")
        guard samples >= 10 else { throw ValidationError("--samples must be at least 10, got \(samples)") }
        guard labelSmoothing > 0.5, labelSmoothing <= 1 else {
            throw ValidationError("--label-smoothing must be in (0.5, 1], got \(labelSmoothing); try 0.9")
        }
        guard instanceNoise >= 0, instanceNoise.isFinite else {
            throw ValidationError("--instance-noise must be 0 or more, got \(instanceNoise); try 0.1")
        }
        guard flipFraction >= 0, flipFraction < 0.5 else {
            throw ValidationError("--flip-fraction must be in [0, 0.5), got \(flipFraction); try 0.05")
        }
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
