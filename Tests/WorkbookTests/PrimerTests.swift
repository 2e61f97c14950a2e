import NN
import Tensor
import Testing
import Workbook

/// The examples of the book's API primer, `Docs/api.md`, which shows them as excerpts: run
/// here, so that every listing in the primer compiles and says what it does. They use only
/// the library's public API, as a chapter does.
@Suite("The book's API primer")
struct PrimerTests {
    @Test func tensors() {
        // snippet.tensor
        let x = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])   // row-major
        let y = x * 2 + 1                                          // elementwise
        #expect(y.shape == [2, 3] && y.values == [3, 5, 7, 9, 11, 13])
        #expect(y.sum(alongAxes: 1).values == [15, 33])             // one sum per row
        #expect(y.mean().item == 8)                                 // a scalar's value
        #expect(matmul(x, x, transposeB: true).shape == [2, 2])     // x·xᵀ, on OpenBLAS
        #expect(x.reshaped([3, 2]).shape == [3, 2])

        var noise = SeededGenerator(seed: 0)                        // same seed, same numbers
        let z = Tensor.randomNormal([64, 100], using: &noise)       // z ~ N(0, I), 64 rows
        #expect(z.shape == [64, 100])
        // snippet.end
    }

    @Test func gradientsAndAGradientOfAGradient() {
        // snippet.gradients
        let x = Tensor(shape: [3], values: [1, 2, 3], requiresGrad: true)
        let y = x.pow(3).sum()                                      // y = Σ xᵢ³
        let slope = gradients(of: y, wrt: [x], createGraph: true)[0]
        #expect(slope.values == [3, 12, 27])                        // ∂y/∂xᵢ = 3xᵢ²
        let curvature = gradients(of: slope.sum(), wrt: [x])[0]
        #expect(curvature.values == [6, 12, 18])                    // ∂(Σ 3xᵢ²)/∂xᵢ = 6xᵢ

        // Without createGraph the gradient is a plain number with no history: differentiating
        // it again gives zero, which is how the original chapter's gradient penalty failed.
        let plain = gradients(of: y, wrt: [x])[0]
        #expect(gradients(of: plain.sum(), wrt: [x])[0].values == [0, 0, 0])
        // snippet.end
    }

    @Test func trainingAndEvaluationMode() {
        // snippet.evaluating
        var weights = SeededGenerator(seed: 0)
        let network = Sequential(Linear(4, 8, using: &weights), BatchNorm(8), Activation.relu)
        let batch = Tensor.randomNormal([16, 4], using: &weights)
        let trained = network(batch)                  // batch statistics, graph recorded
        let sampled = evaluating { network(batch) }   // running statistics, no graph
        #expect(trained.requiresGrad && !sampled.requiresGrad)
        #expect(!withoutGradients { network(batch) }.requiresGrad)
        // snippet.end
    }

    @Test func aNetworkAndAnOptimizer() {
        // snippet.optimizer
        var weights = SeededGenerator(seed: 0)
        let model = Sequential(Linear(1, 16, using: &weights), Activation.tanh, Linear(16, 1, using: &weights))
        #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        let adam = Adam(model.parameters, learningRate: 0.01)
        let x = Tensor(shape: [5, 1], values: [-2, -1, 0, 1, 2])
        let target = x * 3 + 1
        for _ in 0..<500 {
            let loss = (model(x) - target).squared().mean()
            adam.step(gradients(of: loss, wrt: model.parameters))  // one gradient per parameter
        }
        #expect((model(x) - target).squared().mean().item < 0.01)
        // snippet.end
    }
}
