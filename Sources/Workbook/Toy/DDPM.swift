import Foundation
import NN
import Tensor

/// The noise schedule of a DDPM: βₜ for t = 1…T, αₜ = 1 − βₜ and ᾱₜ = α₁⋯αₜ (index t − 1 here).
public struct DiffusionSchedule: Sendable {
    public let betas: [Float]
    public let alphaBars: [Float]

    /// The cosine schedule of Nichol & Dhariwal (2021): ᾱₜ = f(t)/f(0) with
    /// f(t) = cos²((t/T + s)/(1 + s)·π/2), s = 0.008. Unlike a linear schedule it spreads the
    /// steps evenly over signal-to-noise ratios, which matters when T is as short as 100.
    /// βₜ = 1 − ᾱₜ/ᾱₜ₋₁ is capped at 0.5: the reverse step divides by √αₜ = √(1 − βₜ), and
    /// near 1 that would blow up the network's small errors (ᾱ_T still ends near 10⁻⁴).
    public init(steps: Int) {
        func f(_ t: Int) -> Double {
            let angle = (Double(t) / Double(steps) + 0.008) / 1.008 * Double.pi / 2
            return Foundation.cos(angle) * Foundation.cos(angle)
        }
        betas = (1...steps).map { t in Float(min(1 - f(t) / f(t - 1), 0.5)) }
        var product: Float = 1
        alphaBars = betas.map { beta in
            product *= 1 - beta
            return product
        }
    }

    public var steps: Int { betas.count }

    // snippet.ddpm-forward
    /// One step of the forward process, q(xₜ | xₜ₋₁) = N(√(1−βₜ)·xₜ₋₁, βₜI).
    public func forwardStep(_ previous: Tensor, step t: Int, noise: Tensor) -> Tensor {
        previous * (1 - betas[t]).squareRoot() + noise * betas[t].squareRoot()
    }

    /// All t steps at once, q(xₜ | x₀) = N(√ᾱₜ·x₀, (1−ᾱₜ)I), one step per row.
    public func noised(_ x0: Tensor, steps t: [Int], noise: Tensor) -> Tensor {
        let signal = Tensor(shape: [t.count, 1], values: t.map { alphaBars[$0].squareRoot() })
        let spread = Tensor(shape: [t.count, 1], values: t.map { (1 - alphaBars[$0]).squareRoot() })
        return x0 * signal + noise * spread
    }
    // snippet.end
}

/// A denoising diffusion probabilistic model (Ho et al., 2020) on 2-D points: an MLP
/// ε̂(xₜ, t) learns to predict the noise that the forward process added; sampling runs the
/// learned reverse process from pure noise, one network pass per step.
public final class DDPM: ToyGenerativeModel {
    public let schedule: DiffusionSchedule
    /// (xₜ, embedding of t) → ε̂.
    let network: Sequential
    let optimizer: Adam
    static let embeddingFrequencies = 8

    public init(schedule: DiffusionSchedule = DiffusionSchedule(steps: 100), width: Int = 128,
                learningRate: Float = 1e-3, using generator: inout SeededGenerator) {
        self.schedule = schedule
        network = toyMLP(inputs: 2 + 2 * DDPM.embeddingFrequencies, outputs: 2, width: width, hiddenLayers: 3,
                         using: &generator)
        optimizer = Adam(network.parameters, learningRate: learningRate)
    }

    public var parameters: [Tensor] { optimizer.parameters }

    /// sin and cos of t/T at octave-spaced frequencies, so the network can tell steps apart.
    func timeEmbedding(_ t: [Int]) -> Tensor {
        let k = DDPM.embeddingFrequencies
        var values = [Float](repeating: 0, count: t.count * 2 * k)
        for (row, step) in t.enumerated() {
            let phase = Float(step) / Float(schedule.steps) * .pi
            for j in 0..<k {
                let angle = phase * Float(1 << j)
                values[row * 2 * k + j] = sinf(angle)
                values[row * 2 * k + k + j] = cosf(angle)
            }
        }
        return Tensor(shape: [t.count, 2 * k], values: values)
    }

    func predictNoise(_ x: Tensor, steps t: [Int]) -> Tensor {
        network(Tensor.concatenate([x, timeEmbedding(t)], alongAxis: 1))
    }

    // snippet.ddpm-loss
    /// Ho et al.'s simplified objective: E_{t, x₀, ε} ‖ε − ε̂(√ᾱₜ·x₀ + √(1−ᾱₜ)·ε, t)‖².
    public func loss(_ x0: Tensor, using random: inout SeededGenerator) -> Tensor {
        let t = (0..<x0.shape[0]).map { _ in Int.random(in: 0..<schedule.steps, using: &random) }
        let epsilon = Tensor.randomNormal(x0.shape, using: &random)
        let predicted = predictNoise(schedule.noised(x0, steps: t, noise: epsilon), steps: t)
        return (epsilon - predicted).squared().sum(alongAxes: 1).mean()
    }
    // snippet.end

    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let loss = loss(batch, using: &random)
        optimizer.step(gradients(of: loss, wrt: parameters))
        return loss.item
    }

    // snippet.ddpm-sampling
    /// The reverse process from x_T ~ N(0, I):
    /// xₜ₋₁ = (xₜ − βₜ/√(1−ᾱₜ)·ε̂(xₜ, t)) / √αₜ + √βₜ·z, with no noise on the last step.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients {
            var x = Tensor.randomNormal([count, 2], using: &random)
            for t in stride(from: schedule.steps - 1, through: 0, by: -1) {
                let beta = schedule.betas[t]
                let predicted = predictNoise(x, steps: Array(repeating: t, count: count))
                x = (x - predicted * (beta / (1 - schedule.alphaBars[t]).squareRoot())) / (1 - beta).squareRoot()
                if t > 0 { x = x + Tensor.randomNormal([count, 2], std: beta.squareRoot(), using: &random) }
            }
            return x
        }
    }
    // snippet.end
}
