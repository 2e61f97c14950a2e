import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults {
    static let epochs = 2
    static let batchSize = 64
    static let learningRate: Float = 2e-4
    static let latentDimension = 100
}

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration(
        commandName: "Ch11_4_DCGAN", abstract: "Deep convolutional GAN on Fashion-MNIST, or your own images with --images.",
        version: workbookVersion)

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Flag(help: "Then train the minimax chapter's MLP GAN for the same wall-clock time and compare samples.")
    var compareMlp = false
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
