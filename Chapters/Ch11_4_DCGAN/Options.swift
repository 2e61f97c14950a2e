import ArgumentParser
import Foundation
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 3, batchSize: 64, learningRate: 2e-4, latentDimension: 100) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_4_DCGAN", "Deep convolutional GAN on Fashion-MNIST, or your own images with --images.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var source: ImageSourceOptions

    @Option(help: "Draw this generator checkpoint's images of the same fixed noise beside the DCGAN's (the book uses §11.2's MLP GAN, models/ch11_2_minimax_generator.safetensors).")
    var compareWith: String?

    @Flag(help: "Print each network's layers and output shapes before training.")
    var showArchitecture = false

    func validate() throws {
        if let compareWith, !FileManager.default.isReadableFile(atPath: compareWith) {
            throw ValidationError("--compare-with: cannot read \(compareWith); `swift run Ch11_2_Minimax` writes runs/ch11_2_minimax/checkpoints/ch11_2_minimax/generator.safetensors")
        }
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
