import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 1, batchSize: 32, learningRate: 1e-4, latentDimension: 128) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_2_RGAN", "Relativistic average least-squares GAN with DCGAN networks.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
