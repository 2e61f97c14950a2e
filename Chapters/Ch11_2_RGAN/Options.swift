import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults {
    static let epochs = 1
    static let batchSize = 32
    static let learningRate: Float = 1e-4
    static let latentDimension = 128
}

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "Ch11_2_RGAN", abstract: "Relativistic average least-squares GAN with DCGAN networks.",
        version: workbookVersion)

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Option(help: "Adversarial loss: \(AdversarialLoss.allCases.map(\.rawValue).joined(separator: ", ")).")
    var loss: AdversarialLoss = .ralsgan
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
