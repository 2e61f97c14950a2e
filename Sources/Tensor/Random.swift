#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A small, fast, seeded generator (xoshiro256**, seeded through SplitMix64): the same
/// seed gives the same numbers on every machine, which the workbook's reproducible
/// figures rely on.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    public mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// Uniform in [0, 1) with 24 random bits.
    @inline(__always) public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }
}

extension Tensor {
    /// Samples of N(mean, std²) (Box–Muller).
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                                    using generator: inout SeededGenerator, requiresGrad: Bool = false) -> Tensor {
        let out = Tensor.empty(shape)
        let p = out.storage.pointer, n = out.count
        var i = 0
        while i < n {
            let u1 = Swift.max(generator.nextUnitFloat(), Float.leastNormalMagnitude)
            let u2 = generator.nextUnitFloat()
            let radius = (-2 * logf(u1)).squareRoot(), angle = 2 * Float.pi * u2
            p[i] = mean + std * radius * cosf(angle)
            if i + 1 < n { p[i + 1] = mean + std * radius * sinf(angle) }
            i += 2
        }
        return requiresGrad ? out.requiringGradient() : out
    }

    /// Samples of U[low, high).
    public static func randomUniform(_ shape: [Int], in range: Range<Float> = 0..<1,
                                     using generator: inout SeededGenerator, requiresGrad: Bool = false) -> Tensor {
        let out = Tensor.empty(shape)
        let p = out.storage.pointer, width = range.upperBound - range.lowerBound
        for i in 0..<out.count { p[i] = range.lowerBound + width * generator.nextUnitFloat() }
        return requiresGrad ? out.requiringGradient() : out
    }
}
