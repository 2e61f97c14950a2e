import Foundation
import Tensor

/// Two-dimensional distributions for watching generative models learn, generated in code.
/// The ring and the grid are the standard mode-collapse benchmarks (Metz et al.'s unrolled
/// GAN, VEEGAN, PacGAN): Gaussian mixtures whose modes a study can count.
public enum ToyDistribution: String, CaseIterable, Sendable {
    /// 8 Gaussians on a circle of radius 2, standard deviation 0.02.
    case ring
    /// 25 Gaussians at {-4, -2, 0, 2, 4}², standard deviation 0.05.
    case grid
    /// Two interleaving half circles (as scikit-learn's make_moons), noise 0.05, centred.
    case moons
    /// One arm winding 1.5 turns out to radius 2, noise 0.05.
    case spiral
    /// Uniform on the 8 dark squares of a 4 × 4 board covering [-2, 2]².
    case checkerboard

    /// The mixture's components, for the distributions that are Gaussian mixtures.
    public var modes: GaussianModes? {
        switch self {
        case .ring:
            let centres = (0..<8).map { k in
                let angle = 2 * Float.pi * Float(k) / 8
                return SIMD2<Float>(2 * cos(angle), 2 * sin(angle))
            }
            return GaussianModes(centres: centres, standardDeviation: 0.02)
        case .grid:
            let positions: [Float] = [-4, -2, 0, 2, 4]
            let centres = positions.flatMap { x in positions.map { y in SIMD2<Float>(x, y) } }
            return GaussianModes(centres: centres, standardDeviation: 0.05)
        case .moons, .spiral, .checkerboard:
            return nil
        }
    }

    /// `count` points as a flat array [x0, y0, x1, y1, ...] (count × 2, row-major).
    public func sample(count: Int, using generator: inout SeededGenerator) -> [Float] {
        var points = [Float](repeating: 0, count: 2 * count)
        for index in 0..<count {
            let point = samplePoint(using: &generator)
            points[2 * index] = point.x
            points[2 * index + 1] = point.y
        }
        return points
    }

    /// `count` points from a generator seeded with `seed`: the same seed, the same points.
    public func sample(count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return sample(count: count, using: &generator)
    }

    private func samplePoint(using generator: inout SeededGenerator) -> SIMD2<Float> {
        func noise(_ std: Float) -> SIMD2<Float> {
            SIMD2(generator.standardNormal(), generator.standardNormal()) * std
        }
        switch self {
        case .ring, .grid:
            let mixture = modes!
            let centre = mixture.centres[generator.index(below: mixture.centres.count)]
            return centre + noise(mixture.standardDeviation)
        case .moons:
            let angle = Float.pi * generator.nextUnitFloat()
            let upper = generator.index(below: 2) == 0
            let point = upper
                ? SIMD2(cos(angle), sin(angle))
                : SIMD2(1 - cos(angle), 0.5 - sin(angle))
            return point - SIMD2(0.5, 0.25) + noise(0.05)  // centre the pair at the origin
        case .spiral:
            // sqrt spreads points evenly along the arm, which is longer far from the centre.
            let progress = generator.nextUnitFloat().squareRoot()
            let angle = 3 * Float.pi * progress
            return 2 * progress * SIMD2(cos(angle), sin(angle)) + noise(0.05)
        case .checkerboard:
            let column = generator.index(below: 4)
            // Dark squares have an even row + column: two choices of row per column.
            let row = 2 * generator.index(below: 2) + column % 2
            let offset = SIMD2(generator.nextUnitFloat(), generator.nextUnitFloat())
            return SIMD2(Float(column), Float(row)) + offset - 2
        }
    }
}

/// The components of an equal-weight Gaussian mixture with a shared standard deviation.
public struct GaussianModes: Sendable {
    public let centres: [SIMD2<Float>]
    public let standardDeviation: Float

    /// How well samples cover the modes, by the usual rules: a sample is "high quality" when
    /// it lies within 3 standard deviations of its nearest centre, and a mode is covered when
    /// it has at least `minimumSamples` high-quality samples. The default is PacGAN's rule
    /// (20 of 2,500 samples on 25 modes), scaled: a fifth of an even share.
    public func coverage(of samples: [Float], minimumSamples: Int? = nil) -> ModeCoverage {
        precondition(samples.count % 2 == 0, "samples are (x, y) pairs")
        let sampleCount = samples.count / 2
        let threshold = minimumSamples ?? max(1, sampleCount / (5 * centres.count))
        let radiusSquared = (3 * standardDeviation) * (3 * standardDeviation)
        var samplesPerMode = [Int](repeating: 0, count: centres.count)
        for index in 0..<sampleCount {
            let point = SIMD2(samples[2 * index], samples[2 * index + 1])
            var nearest = 0
            var nearestDistanceSquared = Float.infinity
            for (mode, centre) in centres.enumerated() {
                let distanceSquared = ((centre - point) * (centre - point)).sum()
                if distanceSquared < nearestDistanceSquared {
                    (nearest, nearestDistanceSquared) = (mode, distanceSquared)
                }
            }
            if nearestDistanceSquared <= radiusSquared { samplesPerMode[nearest] += 1 }
        }
        let highQuality = samplesPerMode.reduce(0, +)
        return ModeCoverage(
            modesCovered: samplesPerMode.filter { $0 >= threshold }.count,
            highQualityFraction: sampleCount == 0 ? 0 : Double(highQuality) / Double(sampleCount),
            highQualitySamplesPerMode: samplesPerMode)
    }
}

/// The result of `GaussianModes.coverage(of:)`.
public struct ModeCoverage: Sendable, Equatable {
    public let modesCovered: Int
    /// The share of samples within 3 standard deviations of a mode.
    public let highQualityFraction: Double
    public let highQualitySamplesPerMode: [Int]
}

extension SeededGenerator {
    /// A standard normal sample (Box–Muller, one of the pair: clarity over speed for toy data).
    mutating func standardNormal() -> Float {
        let u1 = max(nextUnitFloat(), .leastNormalMagnitude)
        let u2 = nextUnitFloat()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
