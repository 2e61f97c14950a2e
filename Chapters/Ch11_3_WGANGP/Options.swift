import ArgumentParser
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

    func validate() throws {
        try requirePositive(lambda, "--lambda")
        try requireInRange(nCritic, "--n-critic", 1...SanityLimits.repetitions)
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
