import Foundation
import Testing
@testable import Tensor

private extension UInt32 {
    /// Float bit patterns mapped to integers that are ordered like the floats, so that
    /// the difference of two is their distance in ulps.
    var ulpOrder: Int64 { self & 0x8000_0000 == 0 ? Int64(self) : -Int64(self & 0x7fff_ffff) }
}

@Suite("Tensor values and the autodiff engine")
struct TensorTests {
    @Test func broadcastingValues() {
        let m = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        #expect((m + Tensor(shape: [3], values: [10, 20, 30])).values == [11, 22, 33, 14, 25, 36])
        #expect((m * Tensor(shape: [2, 1], values: [2, 3])).values == [2, 4, 6, 12, 15, 18])
        #expect((Tensor(shape: [2, 1], values: [1, 2]) - Tensor(shape: [1, 3], values: [1, 2, 3])).values == [0, -1, -2, 1, 0, -1])
        #expect(m.sum(alongAxes: 0).values == [5, 7, 9])
        #expect(m.sum(alongAxes: 1).values == [6, 15])
        #expect(m.max(alongAxis: 1).values == [3, 6])
        #expect(m.transposed.values == [1, 4, 2, 5, 3, 6])
    }

    @Test func matmulMatchesHandComputed() {
        let a = Tensor(shape: [2, 2], values: [1, 2, 3, 4]), b = Tensor(shape: [2, 2], values: [5, 6, 7, 8])
        #expect(matmul(a, b).values == [19, 22, 43, 50])
        #expect(matmul(a, b, transposeA: true).values == [26, 30, 38, 44])
        #expect(matmul(a, b, transposeB: true).values == [17, 23, 39, 53])
        let x = Tensor(shape: [1, 2], values: [1, 1])
        #expect(linear(x, weight: a, bias: Tensor(shape: [2], values: [0.5, -0.5])).values == [3.5, 6.5])
    }

    @Test func numericallyStableFunctions() {
        let x = Tensor(shape: [4], values: [-200, -30, 30, 200])
        #expect(x.sigmoid().values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(x.softplus().values == [0, x.softplus().values[1], 30, 200])
        #expect(x.softplus().values[1] > 0)
        let big = Tensor(shape: [1, 3], values: [1000, 1001, 1002])
        #expect(big.logSoftmax().values.allSatisfy { $0.isFinite })
        #expect(abs(big.softmax().sum().item - 1) < 1e-6)
    }

    /// The vectorised tanh against the correctly rounded value (via Double) at every 9,797th
    /// float in [−12, 12], both signs: within 1 ulp. The special values keep their meaning.
    @Test func tanhIsWithinOneULP() {
        var inputs: [Float] = []
        var bits: UInt32 = 0
        while Float(bitPattern: bits) <= 12 {
            inputs += [Float(bitPattern: bits), -Float(bitPattern: bits)]
            bits += 97 * 101
        }
        let outputs = Tensor(shape: [inputs.count], values: inputs).tanh().values
        var worst = 0
        for (x, y) in zip(inputs, outputs) {
            let exact = Float(Foundation.tanh(Double(x)))
            worst = max(worst, abs(Int(y.bitPattern.ulpOrder) - Int(exact.bitPattern.ulpOrder)))
        }
        #expect(inputs.count > 200_000)
        #expect(worst <= 1)
        let special = Tensor(shape: [7], values: [.nan, .infinity, -.infinity, -0.0, 30, -30, 0.3]).tanh().values
        #expect(special[0].isNaN)
        #expect(Array(special[1...2]) == [1, -1])
        #expect(special[3] == 0 && special[3].sign == .minus)
        #expect(Array(special[4...5]) == [1, -1])
        #expect(abs(special[6] - 0.29131261) < 1e-7)
    }

    @Test func seededRandomNumbersRepeat() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let x = Tensor.randomNormal([1000], using: &a), y = Tensor.randomNormal([1000], using: &b)
        #expect(x.values == y.values)
        #expect(x.values != Tensor.randomNormal([1000], using: &c).values)
        let mean = x.mean().item, variance = (x - mean).pow(2).mean().item
        #expect(abs(mean) < 0.1 && abs(variance - 1) < 0.1)
        let u = Tensor.randomUniform([1000], in: -1..<1, using: &a).values
        #expect(u.allSatisfy { $0 >= -1 && $0 < 1 })
    }

    @Test func unrelatedInputGetsZeroGradient() {
        let x = Tensor(shape: [2], values: [1, 2], requiresGrad: true)
        let unused = Tensor(shape: [3], values: [1, 2, 3], requiresGrad: true)
        let g = gradients(of: (x * x).sum(), wrt: [x, unused])
        #expect(g[0].values == [2, 4])
        #expect(g[1].values == [0, 0, 0])
    }

    @Test func gradientsAccumulateOverSharedUses() {
        let x = Tensor(shape: [1], values: [3], requiresGrad: true)
        let y = x * x + x * 2 + x.exp() * 0
        #expect(gradients(of: y.sum(), wrt: [x])[0].values == [8])
    }

    @Test func noGradScopeAndDetachRecordNothing() {
        let w = Tensor(shape: [2], values: [1, 2], requiresGrad: true)
        let y = withoutGradients { w * 3 }
        #expect(!y.requiresGrad)
        #expect(!(w * 3).detached().requiresGrad)
        let z = (w * 3).detached() * w
        #expect(gradients(of: z.sum(), wrt: [w])[0].values == [3, 6])
    }

    @Test func firstOrderGradientsCarryNoGraphUnlessAsked() {
        let x = Tensor(shape: [2], values: [1, 2], requiresGrad: true)
        #expect(!gradients(of: x.pow(3).sum(), wrt: [x])[0].requiresGrad)
        let g = gradients(of: x.pow(3).sum(), wrt: [x], createGraph: true)[0]
        #expect(g.requiresGrad)
        // d/dx (3x²) = 6x
        #expect(gradients(of: g.sum(), wrt: [x])[0].values == [6, 12])
    }

    @Test func graphsAreFreedWhenDropped() {
        weak var weakNode: Tensor?
        do {
            let x = Tensor(shape: [3], values: [1, 2, 3], requiresGrad: true)
            let y = (x.tanh() * x).sigmoid()
            weakNode = y
            _ = gradients(of: y.sum(), wrt: [x], createGraph: true)
        }
        #expect(weakNode == nil, "a retain cycle keeps the graph alive")
    }

    @Test func deepGraphsDoNotOverflowTheStack() {
        let x = Tensor(shape: [1], values: [1], requiresGrad: true)
        var y = x
        for _ in 0..<50_000 { y = y * 1.0 }
        #expect(gradients(of: y.sum(), wrt: [x])[0].values == [1])
    }

    @Test func onlyTheNeededBranchIsDifferentiated() {
        // The generator step must not pay for the discriminator's weight gradients:
        // the rule of matmul is asked only for the gradient it needs.
        let x = Tensor(shape: [2, 2], values: [1, 2, 3, 4], requiresGrad: true)
        let w = Tensor(shape: [2, 2], values: [1, 0, 0, 1])  // constant
        let g = gradients(of: matmul(x, w).sum(), wrt: [x])
        #expect(g[0].values == [1, 1, 1, 1])
        // With both inputs trainable but only x asked for, a rule is told not to compute w's.
        let parameter = Tensor(shape: [2, 2], values: [1, 0, 0, 1], requiresGrad: true)
        var asked: [Bool] = []
        let probe = Tensor.result(matmul(x, parameter).detached(), [x, parameter]) { g, _, needs in
            asked = needs
            return [needs[0] ? matmul(g, parameter, transposeB: true) : nil, needs[1] ? matmul(x, g, transposeA: true) : nil]
        }
        #expect(gradients(of: probe.sum(), wrt: [x])[0].values == [1, 1, 1, 1])
        #expect(asked == [true, false])
    }
}
