import NN
import Tensor

/// The adversarial losses of the relativistic and conditional chapters (`--loss`), all on
/// the discriminator's raw scores C(x).
///
/// A standard discriminator judges each image alone: "how likely is x real?". A
/// relativistic one judges real against fake: "how much more real is x_r than x_f?"
/// (Jolicoeur-Martineau, 2018). The "average" variants compare each image with the mean
/// score of the other kind in the batch.
public enum AdversarialLoss: String, CaseIterable, Sendable {
    /// Relativistic average least squares, the original chapter's choice.
    case ralsgan
    /// Relativistic standard GAN: σ(C(x_r) − C(x_f)) for pairs of one real and one fake.
    case rsgan
    /// Relativistic average standard GAN: σ(C(x_r) − E C(x_f)) and σ(C(x_f) − E C(x_r)).
    case rasgan
    /// The standard (non-relativistic) GAN: binary cross-entropy on logits, non-saturating G.
    case bce

    // snippet.relativistic-losses
    /// The discriminator's loss for a batch of real and a batch of generated scores, [n, 1].
    /// RaLSGAN: E[(C(x_r) − E C(x_f) − 1)²] + E[(C(x_f) − E C(x_r) + 1)²]: real images should
    /// score one above the average fake, fakes one below the average real.
    public func discriminatorLoss(realScores: Tensor, fakeScores: Tensor) -> Tensor {
        switch self {
        case .ralsgan:
            meanSquaredError(realScores, fakeScores.mean() + 1) + meanSquaredError(fakeScores, realScores.mean() - 1)
        case .rsgan:
            binaryCrossEntropy(logits: realScores - fakeScores, target: 1)
        case .rasgan:
            binaryCrossEntropy(logits: realScores - fakeScores.mean(), target: 1)
                + binaryCrossEntropy(logits: fakeScores - realScores.mean(), target: 0)
        case .bce:
            Workbook.discriminatorLoss(realLogits: realScores, fakeLogits: fakeScores)
        }
    }

    /// The generator's loss: the discriminator's with real and fake swapped. Unlike a standard
    /// GAN's, the real images' term gives G a gradient too (it contains E C(x_f) or C(x_f)):
    /// G raises its fakes *and* lowers how much more real the real images look.
    public func generatorLoss(realScores: Tensor, fakeScores: Tensor) -> Tensor {
        switch self {
        case .ralsgan, .rsgan, .rasgan:
            discriminatorLoss(realScores: fakeScores, fakeScores: realScores)
        case .bce:
            Workbook.generatorLoss(fakeLogits: fakeScores)
        }
    }
    // snippet.end
}

/// What one iteration with an `AdversarialLoss` reports.
public struct AdversarialStep {
    public var discriminatorLoss: Float
    public var generatorLoss: Float
    /// E[C(x_r)] − E[C(x_f)] as the updated discriminator scores them: how much more real the
    /// real images look, the quantity every relativistic loss is built on.
    public var realismGap: Float

    /// The names of `values`, as the CSV log and the figures use them.
    public static let metrics = ["d_loss", "g_loss", "realism_gap"]
    public var values: [Float] { [discriminatorLoss, generatorLoss, realismGap] }
}

extension AdversarialLoss {
    /// One iteration on a batch of `real` images and the generator's `fake` ones (still
    /// attached to G's graph): the discriminator steps on real and detached fakes, then G
    /// steps on the same batch scored by the updated discriminator. Relativistic losses give
    /// G a gradient through the real scores too, so G's loss sees both.
    public func trainStep(real: Tensor, fake: Tensor, discriminator D: any Layer, discriminatorOptimizer: any Optimizer,
                          generatorParameters: [Tensor], generatorOptimizer: any Optimizer) -> AdversarialStep {
        // snippet.adversarial-step
        let dLoss = discriminatorLoss(realScores: D(real), fakeScores: D(fake.detached()))
        discriminatorOptimizer.step(gradients(of: dLoss, wrt: D.parameters))

        let realScores = D(real), fakeScores = D(fake)
        let gLoss = generatorLoss(realScores: realScores, fakeScores: fakeScores)
        generatorOptimizer.step(gradients(of: gLoss, wrt: generatorParameters))
        // snippet.end
        let gap = withoutGradients { realScores.mean() - fakeScores.mean() }
        return AdversarialStep(discriminatorLoss: dLoss.item, generatorLoss: gLoss.item, realismGap: gap.item)
    }
}
