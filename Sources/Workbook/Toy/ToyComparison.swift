import Foundation
import NN
import Tensor

/// Training and held-out points of a toy distribution. The models see standardised points
/// (divided by the training data's root mean square, so every data set has unit scale);
/// samples and densities are converted back to data units for figures and the table.
public struct ToyData {
    public let distribution: ToyDistribution
    /// Standardised training points, [n, 2].
    public let training: Tensor
    /// Held-out points in data units (interleaved x, y), never trained on.
    public let testPoints: [Float]
    /// Data units per standardised unit.
    public let scale: Float

    public init(_ distribution: ToyDistribution, trainingCount: Int, testCount: Int, seed: UInt64) {
        self.distribution = distribution
        let points = distribution.sample(count: trainingCount, seed: seed &+ stableHash("training data"))
        let rootMeanSquare = (points.reduce(0) { $0 + $1 * $1 } / Float(trainingCount)).squareRoot()
        scale = rootMeanSquare
        training = Tensor(shape: [trainingCount, 2], values: points.map { $0 / rootMeanSquare })
        testPoints = distribution.sample(count: testCount, seed: seed &+ stableHash("test data"))
    }

    /// Standardised [n, 2] points from interleaved data-unit pairs.
    public func standardised(_ points: [Float]) -> Tensor {
        Tensor(shape: [points.count / 2, 2], values: points.map { $0 / scale })
    }

    /// Interleaved data-unit pairs from standardised [n, 2] points.
    public func inDataUnits(_ x: Tensor) -> [Float] { x.values.map { $0 * scale } }

    /// A density over standardised points, converted to data units: p_x(x) = p_u(x/s)/s².
    public func logDensityInDataUnits(_ logDensityStandardised: Float) -> Float {
        logDensityStandardised - 2 * Foundation.log(scale)
    }

    /// `size` training points drawn at random (with replacement).
    public func minibatch(size: Int, using random: inout SeededGenerator) -> Tensor {
        let rows = training.shape[0]
        return training.indexSelect((0..<size).map { _ in random.index(below: rows) })
    }

    /// A square plotting window, centred on 0, that holds the held-out points with a margin.
    public var plotBound: Double {
        let largest = testPoints.map { Swift.abs(Double($0)) }.max() ?? 1
        return (largest * 1.15 * 2).rounded(.up) / 2
    }
}

/// How a family scores points, if it can: exactly, by a lower bound, or up to a constant.
public enum DensityKind: Sendable {
    case exact, lowerBound, unnormalised
}

/// A family's log-density (or bound, or negative energy) on standardised points [n, 2] → [n].
public struct DensityEstimate {
    public let kind: DensityKind
    public let logDensity: (Tensor) -> Tensor

    public init(_ kind: DensityKind, _ logDensity: @escaping (Tensor) -> Tensor) {
        self.kind = kind
        self.logDensity = logDensity
    }
}

/// Everything measured for one family.
public struct FamilyResult {
    public let family: String
    public let parameterCount: Int
    public let trainingSeconds: Double
    public let samplingSecondsPer10k: Double
    /// Samples in data units, interleaved.
    public let samples: [Float]
    public let energyDistance: Double
    public let coverage: ModeCoverage?
    /// Mean over the held-out points, nats per point, data units: exact log p(x), or the ELBO.
    public let testLogLikelihood: Double?
    public let density: DensityEstimate?
}

/// Trains each family with the same budget, then measures it on the same held-out data:
/// the comparison behind §11.1's table and figures.
public struct ToyComparison {
    public let data: ToyData
    public let steps: Int
    public let batchSize: Int
    /// Samples drawn per family (10,000 for the table; fewer in a quick run).
    public let sampleCount: Int
    /// Points per side of the energy distance's two samples (its cost grows with the square).
    public let distanceSampleCount: Int
    public let seed: UInt64

    public init(data: ToyData, steps: Int, batchSize: Int, sampleCount: Int, distanceSampleCount: Int, seed: UInt64) {
        self.data = data
        self.steps = steps
        self.batchSize = batchSize
        self.sampleCount = sampleCount
        self.distanceSampleCount = distanceSampleCount
        self.seed = seed
    }

    /// A generator for one purpose, derived from the seed, so that each purpose draws the
    /// same numbers whatever the others consume.
    public func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: seed, purpose: purpose)
    }

    /// Trains `model` for `steps` minibatches with a progress line, then samples and measures it.
    /// A non-finite objective stops the program with a message naming the family and step.
    public func run(_ family: String, _ model: some ToyGenerativeModel, density: DensityEstimate? = nil) -> FamilyResult {
        var random = generator("\(family) training")
        var progress = WorkProgress("\(family) step", total: steps)
        let trainingStart = ContinuousClock.now
        for step in 0..<steps {
            let objective = model.trainingStep(on: data.minibatch(size: batchSize, using: &random), using: &random)
            guard objective.isFinite else {
                progress.interrupt()
                exitWithError("\(family): the training objective became \(objective) at step \(step + 1); try another --seed")
            }
            progress.update(step + 1, note: "objective \(String(format: "%.4f", objective))")
        }
        let trainingSeconds = (ContinuousClock.now - trainingStart).milliseconds / 1000

        var sampling = generator("\(family) sampling")
        let samplingStart = ContinuousClock.now
        let samples = evaluating { model.sample(count: sampleCount, using: &sampling) }
        let samplingSeconds = (ContinuousClock.now - samplingStart).milliseconds / 1000
        let points = data.inDataUnits(samples)

        let testLogLikelihood = density.flatMap { density -> Double? in
            guard density.kind != .unnormalised else { return nil }
            let values = evaluating { density.logDensity(data.standardised(data.testPoints)) }.values
            return Double(data.logDensityInDataUnits(values.reduce(0, +) / Float(values.count)))
        }
        return FamilyResult(
            family: family, parameterCount: model.parameterCount, trainingSeconds: trainingSeconds,
            samplingSecondsPer10k: samplingSeconds * 10_000 / Double(sampleCount), samples: points,
            energyDistance: distanceToTestData(points), coverage: data.distribution.modes?.coverage(of: points),
            testLogLikelihood: testLogLikelihood, density: density)
    }

    /// The energy distance from `points` to the held-out data, on `distanceSampleCount` of each.
    public func distanceToTestData(_ points: [Float]) -> Double {
        let length = 2 * distanceSampleCount
        return energyDistance(Array(points.prefix(length)), Array(data.testPoints.prefix(length)))
    }

    /// The reference row: fresh samples of the true distribution, measured like a model's.
    /// Its energy distance is the noise floor of the estimate.
    public func trueDistribution() -> FamilyResult {
        let points = data.distribution.sample(count: sampleCount, seed: seed &+ stableHash("reference samples"))
        let testLogLikelihood = data.distribution.modes.map { $0.meanLogDensity(of: data.testPoints) }
        return FamilyResult(
            family: "true distribution", parameterCount: 0, trainingSeconds: 0, samplingSecondsPer10k: 0,
            samples: points, energyDistance: distanceToTestData(points),
            coverage: data.distribution.modes?.coverage(of: points), testLogLikelihood: testLogLikelihood,
            density: nil)
    }
}

extension GaussianModes {
    /// The mean log-density of the mixture at `points` (interleaved pairs), in Float64.
    public func meanLogDensity(of points: [Float]) -> Double {
        let variance = Double(standardDeviation * standardDeviation)
        let logNormaliser = Foundation.log(2 * Double.pi * variance) + Foundation.log(Double(centres.count))
        var total = 0.0
        for index in 0..<(points.count / 2) {
            let x = Double(points[2 * index]), y = Double(points[2 * index + 1])
            let exponents = centres.map { centre in
                -((x - Double(centre.x)) * (x - Double(centre.x)) + (y - Double(centre.y)) * (y - Double(centre.y)))
                    / (2 * variance)
            }
            let largest = exponents.max()!
            total += largest + Foundation.log(exponents.reduce(0) { $0 + Foundation.exp($1 - largest) }) - logNormaliser
        }
        return total / Double(points.count / 2)
    }
}

