import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 1, batchSize: 64, learningRate: 2e-4, latentDimension: 100) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_4_CGAN", "Conditional DCGAN: one row of samples per class.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan

    @Option(help: "How D sees the class: channels (one-hot planes next to the image) or projection.")
    var conditioning: DiscriminatorConditioning = .channels
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
