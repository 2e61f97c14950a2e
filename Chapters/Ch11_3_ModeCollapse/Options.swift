import ArgumentParser
import Workbook

enum DataChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case ring, grid, both

    var distributions: [ToyDistribution] {
        switch self {
        case .ring: [.ring]
        case .grid: [.grid]
        case .both: [.ring, .grid]
        }
    }
}

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_3_ModeCollapse", "Mode collapse measured: minimax GAN, WGAN and WGAN-GP on rings and grids of Gaussians.")

    @Option(help: "Generator iterations per run (the same budget for every method).")
    var steps = 2000

    @Option(help: "Training runs per method and data set, with seeds --seed, --seed + 1, …")
    var seeds = 3

    // --seed is the first seed; --threads is the number of runs trained side by side.
    @OptionGroup var study: StudyOptions

    @Option(help: "Data: ring (8 modes), grid (25 modes) or both.")
    var dataset: DataChoice = .both

    func validate() throws {
        try requirePositive(steps, "--steps")
        try requirePositive(seeds, "--seeds")
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
