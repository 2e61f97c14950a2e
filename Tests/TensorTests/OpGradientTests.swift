import Testing
@testable import Tensor

@Suite("Finite-difference gradients of every op, first and second order")
struct OpGradientTests {
    @Test func addSubMulDivSameShape() {
        let a = normal([3, 4], seed: 1), b = positive([3, 4], seed: 2)
        checkGradients([a, b]) { $0[0] + $0[1] }
        checkGradients([a, b]) { $0[0] - $0[1] }
        checkGradients([a, b]) { $0[0] * $0[1] }
        checkGradients([a, b]) { $0[0] / $0[1] }
    }

    @Test func broadcastingBinaryOps() {
        let m = normal([3, 4], seed: 3), row = positive([4], seed: 4), col = positive([3, 1], seed: 5)
        let s = positive([], seed: 6), cube = normal([2, 3, 4], seed: 7), mid = positive([3, 1], seed: 8)
        checkGradients([m, row]) { $0[0] + $0[1] }
        checkGradients([m, col]) { $0[0] * $0[1] }
        checkGradients([m, s]) { $0[0] / $0[1] }
        checkGradients([s, m]) { $0[0] - $0[1] }
        checkGradients([row, col]) { $0[0] * $0[1] }  // both operands broadcast
        checkGradients([cube, mid]) { $0[0] / $0[1] }
    }

    @Test func scalarOverloads() {
        let x = positive([5], seed: 9)
        checkGradients([x]) { 1 - $0[0] * 3 + 2 / $0[0] }
    }

    @Test func unaryFunctions() {
        let x = normal([2, 5], seed: 10), p = positive([2, 5], seed: 11), away = awayFromZero([2, 5], seed: 12)
        checkGradients([x]) { -$0[0] }
        checkGradients([x]) { $0[0].exp() }
        checkGradients([p]) { $0[0].log() }
        checkGradients([p]) { $0[0].sqrt() }
        checkGradients([x]) { $0[0].pow(2) }
        checkGradients([p]) { $0[0].pow(3) }
        checkGradients([p]) { $0[0].pow(-1.5) }
        checkGradients([away]) { $0[0].abs() }
        checkGradients([x]) { $0[0].tanh() }
        checkGradients([x]) { $0[0].sigmoid() }
        checkGradients([away]) { $0[0].relu() }
        checkGradients([away]) { $0[0].leakyRelu(0.2) }
        checkGradients([x]) { $0[0].softplus() }
        checkGradients([away]) { $0[0].clamped(to: -1.1...1.3) }
    }

    @Test func compositionsHaveNonZeroSecondOrder() {
        // Products of nonlinearities exercise the second-order rules of the fused backward ops.
        let x = normal([4], seed: 13), y = normal([4], seed: 14)
        checkGradients([x, y]) { ($0[0] * $0[1]).tanh() * $0[0].sigmoid() }
        checkGradients([x, y]) { ($0[0] * $0[1]).leakyRelu(0.1) * $0[1] }
    }

    @Test func reductions() {
        let x = normal([3, 4, 2], seed: 15)
        checkGradients([x]) { $0[0].sum() }
        checkGradients([x]) { $0[0].mean() }
        checkGradients([x]) { $0[0].sum(alongAxes: 1) }
        checkGradients([x]) { $0[0].mean(alongAxes: 0, 2, keepingDimensions: true) }
        checkGradients([x]) { $0[0].sum(to: [4, 1]) }
        checkGradients([x]) { $0[0].max(alongAxis: 1) }
        checkGradients([x]) { $0[0].max(alongAxis: -1, keepingDimensions: true) * $0[0].sum(alongAxes: -1, keepingDimensions: true) }
        let row = normal([1, 4], seed: 16)
        checkGradients([row]) { $0[0].broadcast(to: [3, 4]) * $0[0].broadcast(to: [3, 4]) }
    }

    @Test func matrixProducts() {
        let a = normal([3, 4], seed: 17), b = normal([4, 5], seed: 18)
        let aT = normal([4, 3], seed: 19), bT = normal([5, 4], seed: 20)
        checkGradients([a, b]) { matmul($0[0], $0[1]) }
        checkGradients([aT, b]) { matmul($0[0], $0[1], transposeA: true) }
        checkGradients([a, bT]) { matmul($0[0], $0[1], transposeB: true) }
        checkGradients([aT, bT]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        // Second order needs a nonlinearity between the factors to be non-trivial.
        checkGradients([a, b]) { matmul($0[0].tanh(), $0[1]).pow(2) }
    }

    @Test func linearLayerOp() {
        let x = normal([3, 4], seed: 21), w = normal([5, 4], seed: 22), b = normal([5], seed: 23)
        checkGradients([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
        checkGradients([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]).tanh() }
        checkGradients([x, w]) { linear($0[0], weight: $0[1], bias: nil).sigmoid() }
    }

    @Test func shapeOps() {
        let x = normal([2, 3, 4], seed: 24), y = normal([2, 2, 4], seed: 25)
        checkGradients([x]) { $0[0].reshaped([6, 4]).tanh() }
        checkGradients([x]) { $0[0].permuted([2, 0, 1]).pow(2) }
        checkGradients([x]) { $0[0].reshaped([6, 4]).transposed.sigmoid() }
        checkGradients([x]) { $0[0].slice(1..<3, alongAxis: 1).pow(2) }
        checkGradients([x, y]) { Tensor.concatenate([$0[0], $0[1]], alongAxis: 1).tanh() }
        checkGradients([x]) { $0[0].indexSelect([1, 0, 1]).pow(2) }
        let m = normal([3, 4], seed: 26)
        checkGradients([m]) { $0[0].gather(columns: [3, 0, 2]).exp() }
    }

    @Test func softmaxFamily() {
        let x = normal([3, 5], seed: 27)
        checkGradients([x]) { $0[0].logSoftmax() }
        checkGradients([x]) { $0[0].softmax() }
    }
}
