import NN
import Tensor

/// Unadjusted Langevin dynamics: x ← x + (η/2)·∇ₓ log p(x) + √η·ξ with ξ ~ N(0, I).
/// For small steps and many of them, x is distributed as p, whatever p's normaliser.
public struct LangevinSampler: Sendable {
    public var stepSize: Float
    public var steps: Int

    public init(stepSize: Float, steps: Int) {
        self.stepSize = stepSize
        self.steps = steps
    }

    /// Runs the chains that start at `start`; `score` gives ∇ₓ log p at a batch of points.
    public func run(from start: Tensor, score: (Tensor) -> Tensor, using random: inout SeededGenerator) -> Tensor {
        var x = start
        for _ in 0..<steps {
            let noise = Tensor.randomNormal(x.shape, std: stepSize.squareRoot(), using: &random)
            x = withoutGradients { x + score(x) * (stepSize / 2) + noise }
        }
        return x
    }
}

/// An energy-based model p(x) = exp(−E(x)) / Z with an MLP energy E. The normaliser Z is
/// never computed: training fits the score −∇ₓE by denoising score matching at noise level
/// σ (Vincent, 2011), which learns the data smoothed by N(0, σ²I), and sampling is
/// "walk-jump" (Saremi & Hyvärinen, 2019): Langevin dynamics on that smoothed density,
/// then one jump to the denoised estimate x + σ²·(−∇ₓE(x)) (Tweedie's formula).
public final class EnergyModel: ToyGenerativeModel {
    let energyNetwork: Sequential
    public let noiseLevel: Float
    public let sampler: LangevinSampler
    let optimizer: Adam

    public init(noiseLevel: Float = 0.15, width: Int = 128, learningRate: Float = 1e-3,
                sampler: LangevinSampler = LangevinSampler(stepSize: 0.01, steps: 200),
                using generator: inout SeededGenerator) {
        self.noiseLevel = noiseLevel
        self.sampler = sampler
        energyNetwork = toyMLP(inputs: 2, outputs: 1, width: width, hiddenLayers: 3, using: &generator)
        optimizer = Adam(energyNetwork.parameters, learningRate: learningRate)
    }

    public var parameters: [Tensor] { optimizer.parameters }

    /// E(x) per point.
    public func energy(_ x: Tensor) -> Tensor { energyNetwork(x).reshaped([-1]) }

    /// ∇ₓ log p(x) = −∇ₓE(x); with `createGraph` it can be differentiated again (training).
    public func score(_ x: Tensor, createGraph: Bool = false) -> Tensor {
        let point = x.requiringGradient()
        return GradMode.$isEnabled.withValue(true) {
            -gradients(of: energy(point).sum(), wrt: [point], createGraph: createGraph)[0]
        }
    }

    // snippet.ebm-training
    /// Denoising score matching: for x̃ = x + σε the score of the noising kernel is −ε/σ,
    /// so the loss ‖σ·score(x̃) + ε‖² is minimised by the score of the smoothed data.
    public func scoreMatchingLoss(_ x: Tensor, using random: inout SeededGenerator) -> Tensor {
        let epsilon = Tensor.randomNormal(x.shape, using: &random)
        let noisy = x + epsilon * noiseLevel
        return (score(noisy, createGraph: true) * noiseLevel + epsilon).squared().sum(alongAxes: 1).mean()
    }
    // snippet.end

    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let loss = scoreMatchingLoss(batch, using: &random)
        optimizer.step(gradients(of: loss, wrt: parameters))
        return loss.item
    }

    // snippet.ebm-sampling
    /// Walk (Langevin chains from N(0, I)), then jump (denoise once).
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        let start = Tensor.randomNormal([count, 2], using: &random)
        let walked = sampler.run(from: start, score: { score($0) }, using: &random)
        return withoutGradients { walked + score(walked) * (noiseLevel * noiseLevel) }
    }
    // snippet.end
}
