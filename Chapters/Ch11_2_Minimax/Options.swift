import ArgumentParser
import Foundation
import Workbook

enum Defaults: ChapterDefaults { static let recipe = Recipe(epochs: 5, batchSize: 64, learningRate: 2e-4, latentDimension: 100) }

struct Options: ParsableCommand, Sendable {
    static let configuration = CommandConfiguration.chapter("Ch11_2_Minimax", "The original (minimax) GAN with MLPs on Fashion-MNIST.")

    @OptionGroup var training: TrainingOptions<Defaults>
    @OptionGroup var data: DataOptions

    @Option(help: "Generator loss: non-saturating, −log D(G(z)), or saturating, log(1 − D(G(z))).")
    var loss: GeneratorLossKind = .nonSaturating

    @Option(help: "Also draw this run and the run that logged this CSV (the other --loss, e.g. figures/saturating/ch11_2_minimax_log.csv) on shared axes.")
    var compareWith: String?

    @Option(help: "One-sided label smoothing: the target for real images (1 = none; 0.9 is usual).")
    var labelSmoothing: Float = 1

    @Option(help: "Instance noise: initial std of Gaussian noise added to D's inputs, annealed to 0.")
    var instanceNoise: Float = 0

    func validate() throws {
        guard labelSmoothing > 0.5, labelSmoothing <= 1 else {
            throw ValidationError("--label-smoothing must be in (0.5, 1], got \(labelSmoothing); try 0.9")
        }
        if let compareWith, !FileManager.default.isReadableFile(atPath: compareWith) {
            throw ValidationError("--compare-with: cannot read \(compareWith); run `--loss saturating --out figures/saturating` first")
        }
        guard instanceNoise >= 0, instanceNoise.isFinite else {
            throw ValidationError("--instance-noise must be 0 or more, got \(instanceNoise); try 0.1")
        }
    }
}

/// The command line, parsed when the chapter first reads it.
let options = Options.parseCommandLine()
