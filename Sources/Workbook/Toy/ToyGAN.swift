import NN
import Tensor

/// A GAN on 2-D points: generator G: z → x and discriminator D: x → logit, trained with the
/// non-saturating losses of §11.2 (`discriminatorLoss`, `generatorLoss`).
public final class ToyGAN: ToyGenerativeModel {
    public let latentDimension: Int
    let generator: Sequential
    let game: MinimaxGAN

    public init(latentDimension: Int = 8, width: Int = 128, learningRate: Float = 5e-4,
                using random: inout SeededGenerator) {
        self.latentDimension = latentDimension
        generator = toyMLP(inputs: latentDimension, outputs: 2, width: width, using: &random)
        let discriminator = toyMLP(inputs: 2, outputs: 1, width: width, using: &random)
        game = MinimaxGAN(
            generator: generator, discriminator: discriminator,
            generatorOptimizer: Adam(generator.parameters, learningRate: learningRate, beta1: 0.5, beta2: 0.9),
            discriminatorOptimizer: Adam(discriminator.parameters, learningRate: learningRate, beta1: 0.5, beta2: 0.9),
            latent: latentDimension)
    }

    public var parameters: [Tensor] { generator.parameters + game.discriminator.parameters }

    /// The minimax chapter's iteration: one step for D (real → 1, fake → 0), then one for G
    /// (make D call the fakes real). Returns the generator's loss, −E[log D(G(z))].
    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        game.trainStep(real: batch, using: &random).generatorLoss
    }

    /// z ~ N(0, I) through G: one network pass.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients { generator(Tensor.randomNormal([count, latentDimension], using: &random)) }
    }
}
