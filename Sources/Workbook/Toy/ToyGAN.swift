import NN
import Tensor

/// A GAN on 2-D points: generator G: z → x and discriminator D: x → logit, trained with the
/// non-saturating losses of §11.2 (`discriminatorLoss`, `generatorLoss`).
public final class ToyGAN: ToyGenerativeModel {
    public let latentDimension: Int
    let generator: Sequential
    let discriminator: Sequential
    let generatorOptimizer: Adam
    let discriminatorOptimizer: Adam

    public init(latentDimension: Int = 8, width: Int = 128, learningRate: Float = 5e-4,
                using random: inout SeededGenerator) {
        self.latentDimension = latentDimension
        generator = toyMLP(inputs: latentDimension, outputs: 2, width: width, using: &random)
        discriminator = toyMLP(inputs: 2, outputs: 1, width: width, using: &random)
        generatorOptimizer = Adam(generator.parameters, learningRate: learningRate, beta1: 0.5, beta2: 0.9)
        discriminatorOptimizer = Adam(discriminator.parameters, learningRate: learningRate, beta1: 0.5, beta2: 0.9)
    }

    public var parameters: [Tensor] { generator.parameters + discriminator.parameters }

    // snippet.gan-step
    /// One step for D (real → 1, fake → 0), then one for G (make D call the fakes real).
    /// Returns the generator's loss, −E[log D(G(z))].
    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let fake = generator(Tensor.randomNormal([batch.shape[0], latentDimension], using: &random))
        let dLoss = discriminatorLoss(realLogits: discriminator(batch), fakeLogits: discriminator(fake.detached()))
        discriminatorOptimizer.step(gradients(of: dLoss, wrt: discriminator.parameters))
        let gLoss = generatorLoss(fakeLogits: discriminator(fake))
        generatorOptimizer.step(gradients(of: gLoss, wrt: generator.parameters))
        return gLoss.item
    }
    // snippet.end

    /// z ~ N(0, I) through G: one network pass.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients { generator(Tensor.randomNormal([count, latentDimension], using: &random)) }
    }
}
