import ArgumentParser
import Workbook

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_1_GenerativeModels", "Six families of generative models compared on the same 2-D data.")

    @Option(help: "The toy distribution: \(ToyDistribution.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: ToyDistribution = .ring

    @Option(help: "Training iterations for each model (default 3000; 20 with --quick).")
    var steps: Int?

    @OptionGroup var study: StudyOptions

    func validate() throws {
        if let steps { try requirePositive(steps, "--steps") }
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
