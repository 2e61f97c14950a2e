/*:
 # 11.3 Mode collapse, measured

 A generator *collapses* when it covers only some of the data's modes: every sample it
 makes looks real, but whole kinds of real data never appear. On images that is hard to
 count; on a mixture of Gaussians in the plane it is easy. This chapter trains three kinds of GAN
 on two such mixtures, a ring of 8 and a 5 × 5 grid of 25 modes, with the same networks
 and the same number of generator updates, and counts:

 - **modes covered**: modes that receive a fair share of the samples that land near them;
 - **high-quality samples**: the share of samples within 3 standard deviations of a mode.

 Run it with `swift run Ch11_3_ModeCollapse` (`--help` lists every option).
 */
import ArgumentParser
import Foundation
import NN
import Tensor
import Workbook

// snippet.hide
enum DataChoice: String, ExpressibleByArgument, CaseIterable {
    case ring, grid, both

    var distributions: [ToyDistribution] {
        switch self {
        case .ring: [.ring]
        case .grid: [.grid]
        case .both: [.ring, .grid]
        }
    }
}

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_3_ModeCollapse", abstract: "Mode collapse measured: minimax GAN, WGAN and WGAN-GP on rings and grids of Gaussians.")

    @Option(help: "Generator iterations per run (the same budget for every method).")
    var steps = 2000

    @Option(help: "Training runs per method and data set, with seeds --seed, --seed + 1, …")
    var seeds = 3

    @Option(help: "First seed: same seed and threads, same table and figures.")
    var seed: UInt64 = 0

    @Option(help: "Folder for the table and figures.")
    var out = "figures"

    @Option(help: "Training runs done in parallel (each on one thread).")
    var threads = 2

    @Flag(help: "A smoke run of a few seconds (few steps, one seed), for tests and CI.")
    var quick = false

    @Option(help: "Data: ring (8 modes), grid (25 modes) or both.")
    var dataset: DataChoice = .both

    func validate() throws {
        try requirePositive(steps, "--steps")
        try requirePositive(seeds, "--seeds")
        try requirePositive(threads, "--threads")
    }
}

let options = Options.parseCommandLine()
orExit { try ensureWritableFolder(options.out) }
// snippet.show
let steps = options.quick ? 40 : options.steps
let seeds = (0..<(options.quick ? 1 : options.seeds)).map { options.seed &+ UInt64($0) }

/*:
 ## Three ways to train the same two networks
 Both players are small MLPs: G maps 2-D noise through two hidden layers of 128 ReLU
 units to a point in the plane; D (or the critic C) maps a point to one score. The
 recipes differ only in what the score means and how it is trained:

 - the **minimax GAN** trains D to tell real from fake with cross-entropy and G with the
   non-saturating loss, one D update per G update;
 - **WGAN** trains a critic to estimate the Wasserstein distance, clipping its weights to
   ±0.01 after every update, 5 critic updates per G update, RMSprop as in the WGAN paper;
 - **WGAN-GP** replaces clipping by the gradient penalty, 5 critic updates per G update,
   Adam with β = (0.5, 0.9) as in the WGAN-GP paper. It runs twice: with λ = 10, the
   paper's value for images, and with λ = 0.1, the value its authors used on toy data.

 The learning rates are ten times the papers' (1e-3 for Adam, 5e-4 for RMSprop): the papers
 train for 100,000 iterations, this study for a few thousand.
 */
// snippet.recipes
let adam = ModeCollapse.OptimizerChoice.adam(learningRate: 1e-3, beta1: 0.5, beta2: 0.9)
let recipes = [
    ModeCollapse.Recipe(.minimax, optimizer: adam, criticUpdates: 1),
    ModeCollapse.Recipe(.wasserstein(.weightClipping(0.01)), optimizer: .rmsprop(learningRate: 5e-4), criticUpdates: 5),
    ModeCollapse.Recipe(.wasserstein(.gradientPenalty(lambda: 10)), optimizer: adam, criticUpdates: 5),
    ModeCollapse.Recipe(.wasserstein(.gradientPenalty(lambda: 0.1)), optimizer: adam, criticUpdates: 5),
]
// snippet.end

/*:
 ## The experiment
 Every recipe trains on every data set with every seed for the same number of generator
 iterations. Snapshots after 1/8, 1/4, 1/2 and all of the budget record the generated
 points and the critic's view of the plane; at the end 2,500 samples are scored.
 */
// snippet.experiment
let snapshotSteps = [steps / 8, steps / 4, steps / 2, steps].filter { $0 > 0 }
let jobs = options.dataset.distributions.flatMap { distribution in
    recipes.flatMap { recipe in seeds.map { ModeCollapse.Job(recipe, on: distribution, seed: $0) } }
}
let started = ContinuousClock.now
let runs: [ModeCollapse.Run]
do {
    runs = try await ModeCollapse.trainAll(jobs, steps: steps, snapshotSteps: snapshotSteps,
                                           concurrently: options.threads) { run in
        print("\(run.distribution) \(run.recipe.method.name) seed \(run.seed): \(run.coverage.modesCovered) modes, "
              + String(format: "%.1f %% high quality, %.1f s", 100 * run.coverage.highQualityFraction, run.seconds))
        fflush(nil)  // a line per finished run, also when the output goes to a log file
    }
} catch {
    exitWithError("\(error)")
}
// snippet.end

/*:
 ## The table
 Means and standard deviations over the seeds.
 */
let table = ModeCollapse.table(of: runs)
print(table)
orExit { try table.write(toFile: "\(options.out)/ch11_3_mode_collapse_table.md", atomically: true, encoding: .utf8) }

/*:
 ## The picture
 For the first seed, one row per method and one column per snapshot: real points in black,
 generated ones in orange, over a heat map of D's probability of "real" (minimax) or of
 the critic's score. A discriminator's landscape is flat near 0.5 where it is unsure and
 saturates elsewhere; a critic's slopes steadily from the generated points towards the
 real ones, and that slope is what moves the generator.
 */
// snippet.figure
for distribution in options.dataset.distributions {
    let firstSeedRuns = runs.filter { $0.distribution == distribution && $0.seed == seeds[0] }
    let figure = ModeCollapse.figure(of: firstSeedRuns,
                                     title: "Real and generated points over the critic's landscape (\(distribution), seed \(seeds[0]))")
    let name = distribution == .ring ? "ch11_3_mode_collapse" : "ch11_3_mode_collapse_grid"
    orExit { try figure.write(to: "\(options.out)/\(name).png") }
}
// snippet.end

let seconds = (ContinuousClock.now - started).components.seconds
let means = ModeCollapse.results(of: runs).map {
    "\($0.distribution)_\($0.method.key)_modes=" + String(format: "%.2f", $0.modesCovered.mean)
}
print("summary: chapter=ch11_3_mode_collapse steps=\(steps) seeds=\(seeds.count) seconds=\(seconds) "
      + means.joined(separator: " "))
