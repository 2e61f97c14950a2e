import ArgumentParser
import Workbook

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_2_Warmup", "A warm-up with a known answer: a linear generator learns a 2-D Gaussian.")

    @Option(help: "Training iterations, one discriminator and one generator update each (default 10000; 150 with --quick).")
    var steps: Int?

    @Option(help: "Points of the data (and of G) in each batch.")
    var batchSize = 256

    @Option(help: "Adam's learning rate, for both players.")
    var lr: Float = 5e-4

    @OptionGroup var study: StudyOptions

    func validate() throws {
        if let steps { try requirePositive(steps, "--steps") }
        try requirePositive(batchSize, "--batch-size")
        try requirePositive(lr, "--lr")
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
