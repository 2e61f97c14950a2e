import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults {
    static let epochs = 1
    static let batchSize = 64
    static let learningRate: Float = 2e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "Ch11_4_CGAN", abstract: "Conditional DCGAN: one row of samples per class.",
        version: workbookVersion)

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan

    @Option(help: "How D sees the class: channels (one-hot planes next to the image) or projection.")
    var conditioning: DiscriminatorConditioning = .channels
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
