import Foundation
import Tensor

/// How long a step's matrix products alone take: the library's products (`cblas_sgemm` on
/// the blocks of `blockedProduct`, on the step's threads) timed at each of the step's own
/// shapes (operands warm in cache, nothing else running in the process), so it is a floor
/// that no implementation on this BLAS and thread count goes under.
struct GEMMFloor {
    let flopsPerStep: Double
    let secondsPerStep: Double
    var rate: Double { flopsPerStep / secondsPerStep }
}

extension GEMMFloor {
    /// The floor of a step that computes `shapes` (with repeats), measured in about `budget` seconds.
    static func measure(_ shapes: [MatrixProductShape], budget: Double) -> GEMMFloor {
        var counts: [MatrixProductShape: Int] = [:]
        for shape in shapes { counts[shape, default: 0] += 1 }
        let totalFlops = shapes.reduce(0) { $0 + $1.flops }
        var seconds = 0.0
        for (shape, count) in counts {
            // Each shape's share of the budget follows its share of the work.
            let share = budget * shape.flops * Double(count) / totalFlops
            seconds += Self.time(shape, for: max(share, 0.01)) * Double(count)
        }
        return GEMMFloor(flopsPerStep: totalFlops, secondsPerStep: seconds)
    }

    /// Mean seconds per call, after two warm-up calls, over at least three calls and `duration`.
    static func time(_ shape: MatrixProductShape, for duration: Double) -> Double {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        let a = [Float](repeating: 0.01, count: m * k), b = [Float](repeating: 0.02, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        func call() {
            blockedProduct(transposeA: shape.transposeA, transposeB: shape.transposeB, m: m, n: n, k: k,
                           a, leadingA: shape.transposeA ? m : k, b, leadingB: shape.transposeB ? k : n,
                           accumulate: false, into: &c)
        }
        call()
        call()
        let start = ContinuousClock.now
        var calls = 0, elapsed = 0.0
        repeat {
            call()
            calls += 1
            elapsed = (ContinuousClock.now - start).seconds
        } while calls < 3 || elapsed < duration
        return elapsed / Double(calls)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
