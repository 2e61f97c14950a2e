import ArgumentParser
import Foundation
import NN
import Tensor

/// The stabilisers of §11.3, each a change to one minimax recipe, and the study that trains
/// them side by side on the same data, seed and budget (`Ch11_3_Techniques`).
public enum Technique: String, CaseIterable, ExpressibleByArgument, Sendable {
    case baseline
    case labelSmoothing = "label-smoothing"
    case instanceNoise = "instance-noise"
    case featureMatching = "feature-matching"
    case labelFlipping = "label-flipping"
    case spectralNorm = "spectral-norm"
    case ttur
    /// The learning-rate and batch-size sweep: the baseline with one setting changed.
    case highLearningRate = "lr-high"
    case lowLearningRate = "lr-low"
    case smallBatch = "batch-small"
    case largeBatch = "batch-large"

    /// The name in tables and figures.
    public var title: String {
        switch self {
        case .baseline: "baseline"
        case .labelSmoothing: "label smoothing"
        case .instanceNoise: "instance noise"
        case .featureMatching: "feature matching"
        case .labelFlipping: "label flipping"
        case .spectralNorm: "spectral norm"
        case .ttur: "TTUR"
        case .highLearningRate: "lr × 20"
        case .lowLearningRate: "lr ÷ 20"
        case .smallBatch: "batch ÷ 4"
        case .largeBatch: "batch × 4"
        }
    }

    /// The key in the summary line: ASCII, no spaces.
    public var key: String { rawValue.replacingOccurrences(of: "-", with: "_") }

    /// The batch size this technique trains with, from the recipe's.
    public func batchSize(_ recipeBatch: Int) -> Int {
        switch self {
        case .smallBatch: max(1, recipeBatch / 4)
        case .largeBatch: recipeBatch * 4
        default: recipeBatch
        }
    }
}

/// The settings of the shared minimax recipe (the chapter sets one for images, one for 2-D data).
public struct MinimaxRecipe: Sendable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var batchSize: Int
    public var latentDimension: Int

    public init(learningRate: Float, beta1: Float, beta2: Float, batchSize: Int, latentDimension: Int) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.batchSize = batchSize
        self.latentDimension = latentDimension
    }
}

/// Builds the game of one technique from fresh players: G, D, the run's length (for
/// annealing) and a generator for anything random the technique creates (spectral norm's u).
public typealias GameBuilder = @Sendable (_ technique: Technique, _ generator: Sequential, _ discriminator: Sequential,
                                          _ recipe: MinimaxRecipe, _ steps: Int, _ random: inout SeededGenerator) -> MinimaxGAN

public enum TechniqueStudy {
    /// One image run: what D believed along the way, the final samples, and whether it broke.
    public struct ImageRun {
        public let technique: Technique
        public let realScores: [Double]
        public let fakeScores: [Double]
        /// Samples of the fixed noise batch after the last iteration, [n, 1, 28, 28].
        public let samples: Tensor
        /// The generator, for drawing the images the metrics score.
        public let generator: Sequential
        /// The iteration at which a loss stopped being finite, if it did.
        public let divergedAt: Int?
        public let seconds: Double
    }

    /// Trains `technique` on `images` for `steps` generator iterations, everything random
    /// derived from `seed` (the same initial weights for every technique).
    public static func trainImages(_ technique: Technique, recipe: MinimaxRecipe, images: ImageDataset, steps: Int,
                                   seed: UInt64, fixedNoise: Tensor, build: GameBuilder) throws -> ImageRun {
        let started = ContinuousClock.now
        var weights = SeededGenerator(seed: seed, purpose: "weights")
        let G = mlpGenerator(latent: recipe.latentDimension, pixels: images.imageSize, using: &weights)
        let D = mlpDiscriminator(pixels: images.imageSize, using: &weights)
        let gan = build(technique, G, D, recipe, steps, &weights)
        let batchSize = technique.batchSize(recipe.batchSize)
        let batches = try ImageBatches(images, batchSize: batchSize, seed: seed &+ stableHash("data order"), startBatch: 0)
        var realScores: [Double] = [], fakeScores: [Double] = []
        var divergedAt: Int?
        var progress = WorkProgress(technique.title, total: steps)
        for step in 0..<steps {
            var random = SeededGenerator(seed: seed, purpose: "step \(step)")
            let result = gan.trainStep(real: batches.next().reshaped([batchSize, images.imageSize]), step: step, using: &random)
            guard result.values.allSatisfy({ $0.isFinite }) else {
                divergedAt = step + 1
                progress.interrupt()
                break
            }
            realScores.append(Double(result.realScore))
            fakeScores.append(Double(result.fakeScore))
            progress.update(step + 1, note: String(format: "D(x) %.3f  D(G(z)) %.3f", result.realScore, result.fakeScore))
        }
        let samples = evaluating { G(fixedNoise).reshaped([-1] + images.imageShape) }
        return ImageRun(technique: technique, realScores: realScores, fakeScores: fakeScores, samples: samples,
                        generator: G, divergedAt: divergedAt,
                        seconds: (ContinuousClock.now - started).milliseconds / 1000)
    }

    /// `count` images from a trained generator, [count, 1, 28, 28], from noise of its own seed.
    public static func sample(_ run: ImageRun, count: Int, latent: Int, seed: UInt64) -> Tensor {
        var noise = SeededGenerator(seed: seed, purpose: "evaluation noise")
        return evaluating {
            let images = run.generator(Tensor.randomNormal([count, latent], using: &noise))
            return images.reshaped([count] + FeatureClassifier.imageShape)
        }
    }

    // MARK: 2-D data

    /// One toy job: a technique on a mixture with one seed.
    public struct ToyJob: Sendable {
        public let technique: Technique
        public let distribution: ToyDistribution
        public let seed: UInt64

        public init(technique: Technique, distribution: ToyDistribution, seed: UInt64) {
            self.technique = technique
            self.distribution = distribution
            self.seed = seed
        }
    }

    public struct ToyRun: Sendable {
        public let job: ToyJob
        /// nil when training diverged.
        public let coverage: ModeCoverage?
    }

    /// Trains `job` on its 2-D mixture with the mode-collapse chapter's players, then counts
    /// the modes 2,500 samples cover.
    public static func trainToy(_ job: ToyJob, recipe: MinimaxRecipe, steps: Int, build: GameBuilder) -> ToyRun {
        let modes = job.distribution.modes!
        var weights = SeededGenerator(seed: job.seed, purpose: "weights")
        var data = SeededGenerator(seed: job.seed, purpose: "data")
        let shape = ModeCollapse.Recipe(.minimax, optimizer: .adam(learningRate: 0, beta1: 0, beta2: 0), criticUpdates: 1,
                                        latentDimension: recipe.latentDimension)
        let (G, D) = ModeCollapse.players(shape, using: &weights)
        let gan = build(job.technique, G, D, recipe, steps, &weights)
        let batchSize = job.technique.batchSize(recipe.batchSize)
        var random = SeededGenerator(seed: job.seed, purpose: "noise")
        for step in 0..<steps {
            let real = Tensor(shape: [batchSize, 2], values: job.distribution.sample(count: batchSize, using: &data))
            let result = gan.trainStep(real: real, step: step, using: &random)
            guard result.values.allSatisfy({ $0.isFinite }) else { return ToyRun(job: job, coverage: nil) }
        }
        var noise = SeededGenerator(seed: job.seed, purpose: "evaluation noise")
        let samples = evaluating {
            G(Tensor.randomNormal([ModeCollapse.evaluationSampleCount, recipe.latentDimension], using: &noise)).values
        }
        return ToyRun(job: job, coverage: modes.coverage(of: samples))
    }

    /// All toy jobs, `concurrently` at a time, each on one thread; results in the order of `jobs`.
    public static func trainToys(_ jobs: [ToyJob], recipe: MinimaxRecipe, steps: Int, concurrently: Int,
                                 build: @escaping GameBuilder) async -> [ToyRun] {
        setComputeThreads(1)
        var progress = WorkProgress("2-D runs", total: jobs.count)
        var done = 0
        // `try!`: the body throws nothing, so the map cannot throw either.
        return try! await mapConcurrently(jobs, concurrently: concurrently, finished: { _ in
            done += 1
            progress.update(done)
        }) { job in trainToy(job, recipe: recipe, steps: steps, build: build) }
    }

    /// "5.0 ± 2.6 of 8": modes covered over the seeds of one technique and mixture;
    /// a diverged seed counts as 0 modes and is marked.
    public static func coverage(of runs: [ToyRun], _ technique: Technique, _ distribution: ToyDistribution) -> String {
        let group = runs.filter { $0.job.technique == technique && $0.job.distribution == distribution }
        guard !group.isEmpty else { return "–" }
        let spread = ModeCollapse.SeedSpread(group.map { Double($0.coverage?.modesCovered ?? 0) })
        let diverged = group.count { $0.coverage == nil }
        return spread.formatted(decimals: 1) + " of \(distribution.modes!.centres.count)"
            + (diverged > 0 ? " (\(diverged) diverged)" : "")
    }
}

// MARK: Report

extension TechniqueStudy {
    /// The final samples of every run side by side, `perRow` runs to a row.
    public static func samplesFigure(_ runs: [ImageRun], steps: Int, perRow: Int = 4) throws -> FigureGrid {
        let grids: [any Figure] = try runs.map { run in
            let caption = run.divergedAt.map { "\(run.technique.title) (diverged at \($0))" } ?? run.technique.title
            return try SampleGrid(pixels: run.samples.values, height: run.samples.shape[2], width: run.samples.shape[3],
                                  columns: 6, scale: 3, caption: caption)
        }
        return FigureGrid(title: "Samples after \(steps) generator iterations, same seed and noise",
                          cells: stride(from: 0, to: grids.count, by: perRow).map { Array(grids[$0..<min($0 + perRow, grids.count)]) })
    }

    /// D(x) and D(G(z)) over training, one small panel per run.
    public static func scoresFigure(_ runs: [ImageRun], perRow: Int = 4) -> FigureGrid {
        let panels: [any Figure] = runs.map { run in
            LinePlot(title: run.technique.title, xTitle: "generator iteration", yTitle: "mean D(·)",
                     series: [LinePlot.Series(name: "D(x), real", values: run.realScores, smoothing: 0.95),
                              LinePlot.Series(name: "D(G(z)), generated", values: run.fakeScores, smoothing: 0.95)],
                     yRange: 0...1, width: 560, height: 400)
        }
        return FigureGrid(title: "What the discriminator believes, per technique",
                          cells: stride(from: 0, to: panels.count, by: perRow).map { Array(panels[$0..<min($0 + perRow, panels.count)]) })
    }

    /// The Markdown table: image metrics of each run, then mode coverage on the 2-D mixtures.
    public static func table(_ runs: [ImageRun], cards: [ScoreCard?], toyRuns: [ToyRun]) -> String {
        let rows = zip(runs, cards).map { run, card -> String in
            let metrics = card.map { card in
                [String(format: "%.1f", card.fd),
                 card.kid.map { String(format: "%.2f ± %.2f", $0.mean, $0.std) } ?? "–",
                 card.precisionRecall.map { String(format: "%.3f", $0.precision) } ?? "–",
                 card.precisionRecall.map { String(format: "%.3f", $0.recall) } ?? "–"]
            } ?? ["–", "–", "–", "–"]
            let status = run.divergedAt.map { "diverged at \($0)" } ?? String(format: "%.0f s", run.seconds)
            return "| \(run.technique.title) | " + metrics.joined(separator: " | ")
                + " | \(coverage(of: toyRuns, run.technique, .ring)) | \(coverage(of: toyRuns, run.technique, .grid)) | \(status) |"
        }
        return ([
            "| technique | FD ↓ | KID ↓ | precision ↑ | recall ↑ | ring: modes | grid: modes | image run |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ] + rows).joined(separator: "\n") + "\n"
    }
}
