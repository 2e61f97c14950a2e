import Foundation
import NN
import Tensor

/// The mode-collapse study of §11.3: small GANs of different kinds trained on 2-D Gaussian
/// mixtures (whose modes can be counted), with snapshots of the samples and of the
/// critic's landscape along the way.
public enum ModeCollapse {}

extension ModeCollapse {
    /// What the generator is trained against.
    public enum Method: Sendable {
        /// The original GAN: a discriminator trained with binary cross-entropy, the
        /// generator with the non-saturating loss −log D(G(z)).
        case minimax
        /// A Wasserstein critic kept Lipschitz by clipping (WGAN) or a penalty (WGAN-GP).
        case wasserstein(LipschitzConstraint)

        /// A short name for tables and figures.
        public var name: String {
            switch self {
            case .minimax: "minimax"
            case .wasserstein(.weightClipping): "WGAN"
            case .wasserstein(.gradientPenalty(let lambda)): "WGAN-GP λ=\(String(format: "%g", lambda))"
            }
        }

        /// The name as a key for the summary line: ASCII, no spaces.
        public var key: String {
            switch self {
            case .minimax: "minimax"
            case .wasserstein(.weightClipping): "wgan"
            case .wasserstein(.gradientPenalty(let lambda)): "wgan_gp_lambda\(String(format: "%g", lambda))"
            }
        }

        /// Whether the network judging samples outputs a probability's logit (D) or a score (C).
        public var judgesWithProbability: Bool {
            if case .minimax = self { return true }
            return false
        }
    }

    /// An optimiser and its settings, applied to both players.
    public enum OptimizerChoice: Sendable {
        case adam(learningRate: Float, beta1: Float, beta2: Float)
        case rmsprop(learningRate: Float)

        func make(for parameters: [Tensor]) -> any Optimizer {
            switch self {
            case let .adam(learningRate, beta1, beta2):
                Adam(parameters, learningRate: learningRate, beta1: beta1, beta2: beta2)
            case let .rmsprop(learningRate):
                RMSprop(parameters, learningRate: learningRate)
            }
        }
    }

    /// Everything that defines one training setup except the data, the seed and the budget.
    public struct Recipe: Sendable {
        public var method: Method
        public var optimizer: OptimizerChoice
        /// Updates of the critic per generator update (n_critic); 1 for the minimax GAN.
        public var criticUpdates: Int
        public var batchSize: Int
        public var latentDimension: Int
        public var hiddenUnits: Int

        public init(_ method: Method, optimizer: OptimizerChoice, criticUpdates: Int,
                    batchSize: Int = 256, latentDimension: Int = 2, hiddenUnits: Int = 128) {
            self.method = method
            self.optimizer = optimizer
            self.criticUpdates = criticUpdates
            self.batchSize = batchSize
            self.latentDimension = latentDimension
            self.hiddenUnits = hiddenUnits
        }
    }

    /// The generated points and the critic's landscape after `step` generator iterations.
    public struct Snapshot: Sendable {
        public let step: Int
        /// Generated points from a fixed noise batch, interleaved x0, y0, x1, y1, …
        public let samples: [Float]
        /// D(x) as a probability (minimax) or the critic's score C(x) on `LandscapeGrid`'s cells.
        public let landscape: [Float]
    }

    /// A finished training run.
    public struct Run: Sendable {
        public let recipe: Recipe
        public let distribution: ToyDistribution
        public let seed: UInt64
        public let snapshots: [Snapshot]
        /// Per generator iteration: D's cross-entropy (minimax) or the Wasserstein estimate
        /// E[C(x)] − E[C(G(z))], averaged over the iteration's critic updates.
        public let criticValues: [Float]
        /// Mode coverage of `evaluationSampleCount` samples after the last iteration.
        public let coverage: ModeCoverage
        public let seconds: Double
    }

    /// Samples scored for coverage at the end of a run (PacGAN's 2,500).
    public static let evaluationSampleCount = 2500
    /// Generated points drawn in each snapshot.
    public static let plottedSampleCount = 512

    /// Training stopped because a loss stopped being a finite number.
    public struct Diverged: Error, CustomStringConvertible {
        public let method: String
        public let step: Int
        public var description: String { "\(method) training diverged (loss not finite) at generator iteration \(step)" }
    }
}

extension ModeCollapse {
    /// The two players for 2-D data: G maps noise to a point, D or C maps a point to a score.
    static func players(_ recipe: Recipe, using weights: inout SeededGenerator) -> (generator: Sequential, critic: Sequential) {
        let generator = toyMLP(inputs: recipe.latentDimension, outputs: 2, width: recipe.hiddenUnits,
                               activation: .relu, using: &weights)
        let critic = toyMLP(inputs: 2, outputs: 1, width: recipe.hiddenUnits, activation: .relu, using: &weights)
        return (generator, critic)
    }

    /// Trains `recipe` on `distribution` for `steps` generator iterations, taking a
    /// snapshot after each iteration count in `snapshotSteps`, and scores mode coverage at
    /// the end. Everything random derives from `seed`: same seed, same run.
    public static func train(_ recipe: Recipe, on distribution: ToyDistribution, steps: Int, seed: UInt64,
                             snapshotSteps: [Int]) throws -> Run {
        guard let modes = distribution.modes else {
            preconditionFailure("the mode-collapse study needs a Gaussian mixture, not \(distribution)")
        }
        let started = ContinuousClock.now
        var weights = SeededGenerator(seed: seed, purpose: "weights")
        var dataRandom = SeededGenerator(seed: seed, purpose: "data")
        var random = SeededGenerator(seed: seed, purpose: "noise")
        var plotNoise = SeededGenerator(seed: seed, purpose: "plot noise")
        let fixedNoise = Tensor.randomNormal([plottedSampleCount, recipe.latentDimension], using: &plotNoise)
        let grid = LandscapeGrid(distribution)
        let (generator, critic) = players(recipe, using: &weights)
        let iterate = trainingIteration(recipe, generator: generator, critic: critic)
        let nextRealBatch = {
            Tensor(shape: [recipe.batchSize, 2], values: distribution.sample(count: recipe.batchSize, using: &dataRandom))
        }

        var snapshots: [Snapshot] = []
        var criticValues: [Float] = []
        for step in 1...steps {
            let (criticValue, generatorLoss) = iterate(nextRealBatch, &random)
            guard criticValue.isFinite, generatorLoss.isFinite else { throw Diverged(method: recipe.method.name, step: step) }
            criticValues.append(criticValue)
            if snapshotSteps.contains(step) {
                snapshots.append(evaluating {
                    Snapshot(step: step, samples: generator(fixedNoise).values,
                             landscape: landscape(of: critic, method: recipe.method, on: grid))
                })
            }
        }
        var evaluationNoise = SeededGenerator(seed: seed, purpose: "evaluation noise")
        let evaluationSamples = evaluating {
            generator(Tensor.randomNormal([evaluationSampleCount, recipe.latentDimension], using: &evaluationNoise)).values
        }
        return Run(recipe: recipe, distribution: distribution, seed: seed, snapshots: snapshots,
                   criticValues: criticValues, coverage: modes.coverage(of: evaluationSamples),
                   seconds: (ContinuousClock.now - started).milliseconds / 1000)
    }

    /// One training run still to do.
    public struct Job: Sendable {
        public let recipe: Recipe
        public let distribution: ToyDistribution
        public let seed: UInt64

        public init(_ recipe: Recipe, on distribution: ToyDistribution, seed: UInt64) {
            self.recipe = recipe
            self.distribution = distribution
            self.seed = seed
        }
    }

    /// Trains every job, `concurrently` at a time, and returns the runs in the order of `jobs`;
    /// `finished` sees each run as it ends. Each run does its matrix products on one thread:
    /// these networks are too small for a multi-threaded product to pay off, whole runs in
    /// parallel do. Runs depend only on their seeds, so the results do not depend on `concurrently`.
    public static func trainAll(_ jobs: [Job], steps: Int, snapshotSteps: [Int], concurrently: Int,
                                isolation: isolated (any Actor)? = #isolation,
                                finished: (Run) -> Void) async throws -> [Run] {
        setComputeThreads(1)
        return try await mapConcurrently(jobs, concurrently: concurrently, finished: finished) { job in
            try train(job.recipe, on: job.distribution, steps: steps, seed: job.seed, snapshotSteps: snapshotSteps)
        }
    }

    /// One generator iteration of `recipe`'s method, returning (the critic's value, the
    /// generator's loss). The Wasserstein methods run the WGAN chapters' own step.
    static func trainingIteration(_ recipe: Recipe, generator: Sequential, critic: Sequential)
        -> (_ nextRealBatch: () -> Tensor, _ random: inout SeededGenerator) -> (Float, Float) {
        let optimizerG = recipe.optimizer.make(for: generator.parameters)
        let optimizerD = recipe.optimizer.make(for: critic.parameters)
        // snippet.toy-iteration
        switch recipe.method {
        case .minimax:
            // One D update, then one G update: the minimax chapter's iteration.
            precondition(recipe.criticUpdates == 1, "the minimax recipe updates D once per generator update")
            let gan = MinimaxGAN(generator: generator, discriminator: critic, generatorOptimizer: optimizerG,
                                 discriminatorOptimizer: optimizerD, latent: recipe.latentDimension)
            return { nextRealBatch, random in
                let step = gan.trainStep(real: nextRealBatch(), using: &random)
                return (step.discriminatorLoss, step.generatorLoss)
            }
        case .wasserstein(let constraint):
            // n_critic critic updates (clipped or penalised), then one generator update.
            let wgan = WassersteinGAN(generator: generator, critic: critic, generatorOptimizer: optimizerG,
                                      criticOptimizer: optimizerD, constraint: constraint,
                                      criticUpdates: recipe.criticUpdates, latent: recipe.latentDimension)
            return { nextRealBatch, random in
                let step = wgan.trainStep(nextRealBatch: nextRealBatch, using: &random)
                return (step.wassersteinEstimate, step.generatorLoss)
            }
        }
        // snippet.end
    }

    /// What the judging network says on every cell of `grid`: D's probability of "real"
    /// for the minimax GAN, the raw critic score otherwise.
    static func landscape(of critic: Sequential, method: Method, on grid: LandscapeGrid) -> [Float] {
        let scores = critic(grid.cellCentres)
        return (method.judgesWithProbability ? scores.sigmoid() : scores).values
    }
}

/// A square grid of cells over the plotted part of the plane, where the heat map under
/// the scatter plots is evaluated.
public struct LandscapeGrid: Sendable {
    /// The plot shows [-limit, limit]² .
    public let limit: Float
    /// Cells per side.
    public let resolution: Int

    public init(_ distribution: ToyDistribution, resolution: Int = 64) {
        limit = distribution == .grid ? 6 : 3
        self.resolution = resolution
    }

    /// Cell centres as an [resolution², 2] tensor, row 0 at the bottom, column 0 at the left
    /// (the order `HeatMap` expects).
    var cellCentres: Tensor {
        let cell = 2 * limit / Float(resolution)
        var points = [Float](repeating: 0, count: 2 * resolution * resolution)
        for row in 0..<resolution {
            for column in 0..<resolution {
                let index = 2 * (row * resolution + column)
                points[index] = -limit + (Float(column) + 0.5) * cell
                points[index + 1] = -limit + (Float(row) + 0.5) * cell
            }
        }
        return Tensor(shape: [resolution * resolution, 2], values: points)
    }
}
