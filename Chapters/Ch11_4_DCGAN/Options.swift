import ArgumentParser
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 2, batchSize: 64, learningRate: 2e-4, latentDimension: 100) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_4_DCGAN", "Deep convolutional GAN on Fashion-MNIST, or your own images with --images.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Flag(help: "Then train the minimax chapter's MLP GAN for the same wall-clock time and compare samples.")
    var compareMlp = false
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
