import Foundation
import NN
import Tensor

// §11.2's warm-up: a linear generator learning a 2-D Gaussian, a game whose answer we know.

/// The distribution of x = A z + b for z ~ N(0, I): a Gaussian with mean b and covariance
/// A Aᵀ. It is the warm-up's data, and, read off a `Linear` layer (A = W, b = c), everything
/// a linear generator can produce.
public struct AffineGaussian: Sendable {
    /// A, `dimension` × `noiseDimension`, row-major.
    public let matrix: [Double]
    /// b, length `dimension`.
    public let offset: [Double]

    public var dimension: Int { offset.count }
    public var noiseDimension: Int { matrix.count / offset.count }

    /// A given by its rows.
    public init(matrix rows: [[Double]], offset: [Double]) {
        precondition(!offset.isEmpty && rows.count == offset.count && Set(rows.map(\.count)).count == 1,
                     "A needs one row per entry of b, all of the same length")
        matrix = rows.flatMap { $0 }
        self.offset = offset
    }

    /// What a linear layer makes of standard normal inputs: A = W (its [out, in] weight), b = c.
    public init(_ layer: Linear) {
        matrix = layer.weight.values.map(Double.init)
        offset = layer.bias.map { $0.values.map(Double.init) } ?? Array(repeating: 0, count: layer.weight.shape[0])
    }

    /// A[row, column].
    public subscript(row: Int, column: Int) -> Double { matrix[row * noiseDimension + column] }

    /// Mean b and covariance A Aᵀ, in closed form: E[Az + b] = b, Cov[Az] = A E[zzᵀ] Aᵀ = A Aᵀ.
    /// Throws when the numbers are not finite (a diverged generator).
    public func moments() throws -> GaussianStats {
        let d = dimension, k = noiseDimension
        var covariance = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0..<d {
                covariance[i * d + j] = (0..<k).reduce(0) { $0 + self[i, $1] * self[j, $1] }
            }
        }
        return try GaussianStats(mu: offset, sigma: covariance)
    }

    /// `count` points x = A z + b, fresh z for each, as a [count, dimension] tensor.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        let z = Tensor.randomNormal([count, noiseDimension], using: &random)
        return linear(z, weight: Tensor(shape: [dimension, noiseDimension], values: matrix.map(Float.init)),
                      bias: Tensor(shape: [dimension], values: offset.map(Float.init)))
    }
}

extension GaussianStats {
    /// The mean and (unbiased) covariance of the rows of an [n, d] tensor of points.
    public init(points: Tensor) throws {
        precondition(points.rank == 2, "points must be an [n, d] tensor")
        try self.init(features: FeatureMatrix(rows: points.shape[0], columns: points.shape[1], values: points.values))
    }

    /// ‖μ − μ_ref‖, the Euclidean distance between the two means.
    public func meanDistance(to reference: GaussianStats) -> Double {
        zip(mu, reference.mu).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    /// ‖Σ − Σ_ref‖_F / ‖Σ_ref‖_F: the covariance error relative to the reference's size, so
    /// that 0.05 means "5 % off" whatever the data's scale.
    public func relativeCovarianceError(to reference: GaussianStats) -> Double {
        let difference = zip(sigma, reference.sigma).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return (difference / reference.sigma.reduce(0) { $0 + $1 * $1 }).squareRoot()
    }

    /// (x − μ)ᵀ Σ⁻¹ (x − μ) for a 2-D point: 4 on the 2σ contour, less inside it.
    public func mahalanobisSquared(_ point: (Double, Double)) -> Double {
        precondition(dimension == 2, "written for 2-D Gaussians")
        let dx = point.0 - mu[0], dy = point.1 - mu[1]
        let determinant = sigma[0] * sigma[3] - sigma[1] * sigma[2]
        return (sigma[3] * dx * dx - (sigma[1] + sigma[2]) * dx * dy + sigma[0] * dy * dy) / determinant
    }

    /// The points `k` standard deviations from the mean of a 2-D Gaussian, μ + k L (cos t, sin t)
    /// with L Lᵀ = Σ (the Cholesky factor): the ellipse inside which the density is higher.
    public func contour(standardDeviations k: Double = 2, points: Int = 120) -> (x: [Double], y: [Double]) {
        precondition(dimension == 2, "contours are drawn for 2-D Gaussians")
        let l11 = sigma[0].squareRoot(), l21 = sigma[2] / l11
        let l22 = max(sigma[3] - l21 * l21, 0).squareRoot()
        let angles = (0...points).map { 2 * Double.pi * Double($0) / Double(points) }
        return (angles.map { mu[0] + k * l11 * cos($0) },
                angles.map { mu[1] + k * (l21 * cos($0) + l22 * sin($0)) })
    }
}

/// The warm-up of §11.2: the minimax game with a linear generator G(z) = W z + c and a small
/// discriminator, on data from a known Gaussian, so that what G learns can be checked
/// against the answer: c against b, W Wᵀ against A Aᵀ.
public enum GaussianWarmup {
    /// The plane at one moment of training: where G's points are and what D says about it.
    public struct Snapshot: Sendable {
        public let step: Int
        /// G(z) for the fixed noise, as interleaved pairs x₀, y₀, x₁, y₁, …
        public let samples: [Float]
        /// c and W Wᵀ at this step.
        public let generator: GaussianStats
        /// D's probability of "real" on the `Window`'s grid, row 0 at the bottom.
        public let landscape: [Float]
    }

    /// The square part of the plane the figures show, with the grid D is evaluated on.
    public struct Window: Sendable {
        public let x: ClosedRange<Double>
        public let y: ClosedRange<Double>
        public let resolution: Int

        /// Holds the data's 3.5σ box and the square around the origin where an untrained
        /// G's points start, with equal ranges on both axes.
        public init(around truth: GaussianStats, resolution: Int = 90) {
            let spread = (0..<2).map { 3.5 * truth.sigma[$0 * 3].squareRoot() }
            let low = (0..<2).map { min(truth.mu[$0] - spread[$0], -1.5) }
            let high = (0..<2).map { max(truth.mu[$0] + spread[$0], 1.5) }
            let side = max(high[0] - low[0], high[1] - low[1])
            let centre = (0..<2).map { (low[$0] + high[$0]) / 2 }
            x = (centre[0] - side / 2)...(centre[0] + side / 2)
            y = (centre[1] - side / 2)...(centre[1] + side / 2)
            self.resolution = resolution
        }

        /// The centres of the grid's cells as interleaved pairs, row by row from the bottom.
        var cellCentres: [Float] {
            let dx = (x.upperBound - x.lowerBound) / Double(resolution)
            let dy = (y.upperBound - y.lowerBound) / Double(resolution)
            var centres = [Float]()
            centres.reserveCapacity(2 * resolution * resolution)
            for row in 0..<resolution {
                for column in 0..<resolution {
                    centres.append(Float(x.lowerBound + (Double(column) + 0.5) * dx))
                    centres.append(Float(y.lowerBound + (Double(row) + 0.5) * dy))
                }
            }
            return centres
        }

        /// The same centres as (x, y) pairs.
        var cellCentresPairs: [(Double, Double)] {
            let centres = cellCentres
            return (0..<(centres.count / 2)).map { (Double(centres[2 * $0]), Double(centres[2 * $0 + 1])) }
        }
    }

    /// Everything a training run leaves behind.
    public struct Run {
        public let truth: AffineGaussian
        public let window: Window
        /// One entry per iteration: the losses and D's mean scores.
        public let history: [MinimaxStep]
        /// ‖c − b‖ and ‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F after each iteration.
        public let meanErrors: [Double]
        public let covarianceErrors: [Double]
        public let snapshots: [Snapshot]
        /// G's distribution before the first and after the last update.
        public let initial: AffineGaussian
        public let learnt: AffineGaussian
        /// Moments measured on 10,000 points of the data and of the trained G: the first
        /// shows how far a perfect G's samples would be from the truth (the noise floor),
        /// the second checks the closed form c, W Wᵀ against G's actual output.
        public let realSampleMoments: GaussianStats
        public let generatedSampleMoments: GaussianStats
        public static let measuredSampleCount = 10_000

        public var steps: Int { history.count }
    }

    public struct Diverged: Error, CustomStringConvertible {
        public let step: Int
        public var description: String {
            "the warm-up's losses or G's weights became non-finite at iteration \(step); try a smaller --lr or another --seed"
        }
    }

    /// Trains `game` (whose generator must be one `Linear` layer) for `steps` iterations on
    /// fresh batches of `truth`, keeping snapshots after the iterations in `snapshotSteps`
    /// (0 = before training).
    public static func train(_ game: MinimaxGAN, toMatch truth: AffineGaussian, steps: Int, batchSize: Int,
                             snapshotSteps: [Int], seed: UInt64) throws -> Run {
        precondition(steps > 0 && batchSize > 0, "the warm-up needs at least one iteration and one point a batch")
        guard let generator = game.generator as? Linear else {
            preconditionFailure("the warm-up's generator is a single Linear layer, G(z) = W z + c")
        }
        let target = try truth.moments()
        let window = Window(around: target)
        var noise = SeededGenerator(seed: seed, purpose: "fixed noise")
        let fixedNoise = Tensor.randomNormal([plottedPointCount, game.latent], using: &noise)
        func snapshot(_ step: Int) throws -> Snapshot {
            let (samples, landscape) = withoutGradients {
                (generator(fixedNoise).values,
                 game.discriminator(Tensor(shape: [window.resolution * window.resolution, 2],
                                           values: window.cellCentres)).sigmoid().values)
            }
            return Snapshot(step: step, samples: samples, generator: try AffineGaussian(generator).moments(),
                            landscape: landscape)
        }

        let initial = AffineGaussian(generator)
        var snapshots = snapshotSteps.contains(0) ? [try snapshot(0)] : []
        var history: [MinimaxStep] = [], meanErrors: [Double] = [], covarianceErrors: [Double] = []
        var random = SeededGenerator(seed: seed, purpose: "training")
        var progress = WorkProgress("warm-up iteration", total: steps)
        for step in 1...steps {
            // snippet.warmup-iteration
            let real = truth.sample(count: batchSize, using: &random)  // a fresh batch of x = A z + b
            let result = game.trainStep(real: real, using: &random)    // one update of D, then one of G
            let learnt = try? AffineGaussian(generator).moments()       // c and W Wᵀ, read off G's weights
            // snippet.end
            guard let learnt, result.discriminatorLoss.isFinite, result.generatorLoss.isFinite else {
                progress.interrupt()
                throw Diverged(step: step)
            }
            let errors = [learnt.meanDistance(to: target), learnt.relativeCovarianceError(to: target)]
            history.append(result)
            meanErrors.append(errors[0])
            covarianceErrors.append(errors[1])
            if snapshotSteps.contains(step) { snapshots.append(try snapshot(step)) }
            progress.update(step, note: String(format: "D loss %.3f  G loss %.3f  ‖c − b‖ %.3f  Σ error %.3f",
                                               result.discriminatorLoss, result.generatorLoss, errors[0], errors[1]))
        }

        var measuring = SeededGenerator(seed: seed, purpose: "measured samples")
        let realPoints = truth.sample(count: Run.measuredSampleCount, using: &measuring)
        let generatedPoints = withoutGradients {
            generator(Tensor.randomNormal([Run.measuredSampleCount, game.latent], using: &measuring))
        }
        return Run(truth: truth, window: window, history: history, meanErrors: meanErrors,
                   covarianceErrors: covarianceErrors, snapshots: snapshots, initial: initial,
                   learnt: AffineGaussian(generator), realSampleMoments: try GaussianStats(points: realPoints),
                   generatedSampleMoments: try GaussianStats(points: generatedPoints))
    }

    /// Points of G and of the data drawn in each panel.
    static let plottedPointCount = 1000
}
