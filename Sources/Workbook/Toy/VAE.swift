import NN
import Tensor

/// A variational autoencoder with a Gaussian encoder q(z|x), a standard normal prior p(z)
/// and a Gaussian decoder p(x|z) = N(μ(z), diag σ²) whose variance σ² is learned.
public final class VAE: ToyGenerativeModel {
    public let latentDimension: Int
    /// x → (mean, log variance) of q(z|x).
    let encoder: Sequential
    /// z → mean of p(x|z).
    let decoder: Sequential
    /// log σ² of p(x|z), one per data dimension.
    let decoderLogVariance: Tensor
    let optimizer: Adam

    public init(latentDimension: Int = 2, width: Int = 128, learningRate: Float = 1e-3,
                using generator: inout SeededGenerator) {
        self.latentDimension = latentDimension
        encoder = toyMLP(inputs: 2, outputs: 2 * latentDimension, width: width, using: &generator)
        decoder = toyMLP(inputs: latentDimension, outputs: 2, width: width, using: &generator)
        // Starting with a small decoder variance makes reconstruction matter from the first
        // step; starting at the data's own variance lets the VAE settle for ignoring z
        // (posterior collapse), a plain Gaussian fit.
        decoderLogVariance = Tensor(repeating: -4, shape: [2], requiresGrad: true)
        optimizer = Adam(encoder.parameters + decoder.parameters + [decoderLogVariance], learningRate: learningRate)
    }

    public var parameters: [Tensor] { optimizer.parameters }

    // snippet.vae-elbo
    /// The evidence lower bound per point, with one reparameterised sample z = μ + σ·ε:
    /// ELBO(x) = E_q(z|x)[log p(x|z)] − KL(q(z|x) ‖ p(z)) ≤ log p(x).
    public func elbo(_ x: Tensor, using random: inout SeededGenerator) -> Tensor {
        let posterior = encoder(x)
        let mean = posterior.slice(0..<latentDimension, alongAxis: 1)
        let logVariance = posterior.slice(latentDimension..<(2 * latentDimension), alongAxis: 1)
        // Reparameterisation: the noise is an input, so gradients flow through μ and σ.
        let epsilon = Tensor.randomNormal(mean.shape, using: &random)
        let z = mean + (logVariance * 0.5).exp() * epsilon
        let reconstruction = gaussianLogDensity(x, mean: decoder(z), logVariance: decoderLogVariance)
        return reconstruction - gaussianKLToStandardNormal(mean: mean, logVariance: logVariance)
    }

    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let loss = -elbo(batch, using: &random).mean()
        optimizer.step(gradients(of: loss, wrt: parameters))
        return loss.item
    }

    /// Ancestral sampling: z ~ p(z), then x ~ p(x|z), decoder noise included.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients {
            let z = Tensor.randomNormal([count, latentDimension], using: &random)
            let noise = Tensor.randomNormal([count, 2], using: &random)
            return decoder(z) + (decoderLogVariance * 0.5).exp() * noise
        }
    }
    // snippet.end

    /// The ELBO averaged over `draws` samples of z per point: still a lower bound on log p(x),
    /// with less noise (for heat maps and the table).
    public func averageELBO(_ x: Tensor, draws: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients {
            (0..<draws).map { _ in elbo(x, using: &random) }.reduce(Tensor.zeros([x.shape[0]]), +) * (1 / Float(draws))
        }
    }
}
