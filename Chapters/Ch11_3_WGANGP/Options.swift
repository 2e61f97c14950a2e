import ArgumentParser
import Foundation
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 5, batchSize: 64, learningRate: 1e-4, latentDimension: 100, beta1: 0, beta2: 0.9) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_3_WGANGP", "Wasserstein GAN with gradient penalty (double backprop); --compare trains weight clipping too.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Weight λ of the gradient penalty.")
    var lambda: Float = 10

    @Option(help: "Critic updates per generator update.")
    var nCritic: Int = 5

    @Flag(help: "Also train WGAN with weight clipping (c = 0.01, RMSprop 5e-5) on the same data and budget, and compare.")
    var compare = false

    @Option(help: ArgumentHelp("Compare with the clipped run in this log instead of training it (Ch11_2_WGAN's run is that run).",
                               valueName: "file"))
    var compareLog: String?

    @Option(help: ArgumentHelp("The generator of the --compare-log run, for its samples.", valueName: "file"))
    var compareGenerator: String?

    func validate() throws {
        try requirePositive(lambda, "--lambda")
        try requireInRange(nCritic, "--n-critic", 1...SanityLimits.repetitions)
        if (compareLog == nil) != (compareGenerator == nil) {
            throw ValidationError("--compare-log and --compare-generator go together: the run's log and its generator")
        }
        if compare && compareLog != nil {
            throw ValidationError("--compare trains the clipped run, --compare-log reads one: choose one")
        }
        for (path, flag) in [(compareLog, "--compare-log"), (compareGenerator, "--compare-generator")] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw ValidationError("\(flag): cannot read \(path); `swift run Ch11_2_WGAN` writes runs/ch11_2_wgan/ch11_2_wgan_log.csv and runs/ch11_2_wgan/checkpoints/ch11_2_wgan/generator.safetensors")
            }
        }
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
