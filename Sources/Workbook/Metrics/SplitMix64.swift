/// A tiny seeded generator (Steele, Lea & Flood's SplitMix64) so that KID's random
/// subsets are the same on every machine and Swift version; the standard library's
/// generator is neither seedable nor promised stable.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound by Lemire's multiply-high (bias below 2⁻³² for our sizes).
    mutating func next(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// `count` distinct indices from 0..<population: a partial Fisher–Yates shuffle.
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var indices = Array(0..<population)
        for i in 0..<count {
            indices.swapAt(i, i + next(below: population - i))
        }
        return Array(indices[0..<count])
    }
}
