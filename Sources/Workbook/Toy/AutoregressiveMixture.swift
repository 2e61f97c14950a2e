import Foundation
import NN
import Tensor

/// An autoregressive model of 2-D points by the chain rule, p(x) = p(x₁)·p(x₂ | x₁), each
/// factor a mixture of K one-dimensional Gaussians (a mixture density network for the
/// conditional). Its log-likelihood is exact, and sampling goes one coordinate at a time.
public final class AutoregressiveMixture: ToyGenerativeModel {
    public let components: Int
    /// (logits, means, log standard deviations) of p(x₁), [1, 3K].
    let marginal: Tensor
    /// x₁ → the same 3K numbers for p(x₂ | x₁).
    let conditional: Sequential
    let optimizer: Adam

    public init(components: Int = 16, width: Int = 128, learningRate: Float = 1e-3,
                using generator: inout SeededGenerator) {
        self.components = components
        // Means spread out at the start, so that the components do not all fit the same mode.
        let means = Tensor.randomNormal([1, components], using: &generator)
        marginal = Tensor.concatenate([Tensor.zeros([1, components]), means, Tensor.zeros([1, components])],
                                      alongAxis: 1).requiringGradient()
        conditional = toyMLP(inputs: 1, outputs: 3 * components, width: width, using: &generator)
        optimizer = Adam([marginal] + conditional.parameters, learningRate: learningRate)
    }

    public var parameters: [Tensor] { optimizer.parameters }

    // snippet.autoregressive-likelihood
    /// log p(x) = log p(x₁) + log p(x₂ | x₁), exact, per point.
    public func logLikelihood(_ x: Tensor) -> Tensor {
        let x1 = x.column(0), x2 = x.column(1)
        return mixtureLogDensity(x1, marginal) + mixtureLogDensity(x2, conditional(x1))
    }

    /// log Σₖ πₖ N(v; μₖ, σₖ²) for values v [n, 1] and mixture parameters [n or 1, 3K].
    func mixtureLogDensity(_ value: Tensor, _ parameters: Tensor) -> Tensor {
        let (logWeights, means, logStds) = split(parameters)
        let standardized = (value - means) / logStds.exp()
        let perComponent = logWeights - logStds - (standardized.squared() + logTwoPi) * 0.5
        return perComponent.logSumExp()
    }
    // snippet.end

    /// Mixture parameters as log weights, means and log standard deviations (limited so
    /// that a component cannot collapse onto a single point and make the likelihood infinite).
    private func split(_ parameters: Tensor) -> (Tensor, Tensor, Tensor) {
        let k = components
        return (parameters.slice(0..<k, alongAxis: 1).logSoftmax(),
                parameters.slice(k..<(2 * k), alongAxis: 1),
                parameters.slice((2 * k)..<(3 * k), alongAxis: 1).clamped(to: -7...3))
    }

    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let loss = -logLikelihood(batch).mean()
        optimizer.step(gradients(of: loss, wrt: parameters))
        return loss.item
    }

    // snippet.autoregressive-sampling
    /// First x₁ ~ p(x₁), then x₂ ~ p(x₂ | x₁): one network pass per coordinate, in order.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients {
            let x1 = sampleMixture(marginal, count: count, using: &random)
            let x2 = sampleMixture(conditional(x1), count: count, using: &random)
            return Tensor.concatenate([x1, x2], alongAxis: 1)
        }
    }
    // snippet.end

    /// One value per row from mixtures given as [n or 1, 3K] parameters: pick a component
    /// by its weight, then draw from its Gaussian. Returns [count, 1].
    private func sampleMixture(_ parameters: Tensor, count: Int, using random: inout SeededGenerator) -> Tensor {
        let (logWeights, means, logStds) = split(parameters)
        let weights = logWeights.exp()
        let k = components, rowStride = parameters.shape[0] == 1 ? 0 : k
        let noise = Tensor.randomNormal([count, 1], using: &random)
        var values = [Float](repeating: 0, count: count)
        weights.withUnsafeBufferPointer { w in
            means.withUnsafeBufferPointer { m in
                logStds.withUnsafeBufferPointer { s in
                    noise.withUnsafeBufferPointer { e in
                        for row in 0..<count {
                            let base = row * rowStride
                            var u = random.nextUnitFloat(), chosen = k - 1
                            for j in 0..<k {
                                u -= w[base + j]
                                if u < 0 { chosen = j; break }
                            }
                            values[row] = m[base + chosen] + expf(s[base + chosen]) * e[row]
                        }
                    }
                }
            }
        }
        return Tensor(shape: [count, 1], values: values)
    }
}
