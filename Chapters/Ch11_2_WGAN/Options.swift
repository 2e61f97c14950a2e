import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 5, batchSize: 64, learningRate: 5e-5, latentDimension: 100, beta1: 0.9) }

enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case rmsprop, adam
}

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_2_WGAN", "Wasserstein GAN with weight clipping.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Clip every critic weight to [−c, c] after each critic update.")
    var clip: Float = 0.01

    @Option(help: "Critic updates per generator update.")
    var nCritic: Int = 5

    @Option(help: "rmsprop (the WGAN paper's choice) or adam (the original chapter's).")
    var optimizer: OptimizerChoice = .rmsprop

    func validate() throws {
        try requirePositive(clip, "--clip")
        try requireInRange(nCritic, "--n-critic", 1...SanityLimits.repetitions)
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
