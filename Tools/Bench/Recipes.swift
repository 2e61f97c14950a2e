import NN
import Tensor
import Workbook

/// One benchmarked recipe: how to time our side, the PyTorch peer that trains the same
/// recipe, the ratio issue 13 asks for, and an in-process copy of one training step (same
/// networks, batch and optimisers as the chapter, random data) whose matrix products are
/// recorded to count the step's GEMM work.
struct Recipe {
    enum Ours {
        case chapter(String)            // a chapter executable, timed by its `summary:` line
        case inProcess(() -> Void)      // a step timed here (no chapter trains exactly this)
    }
    let name: Bench.CaseName
    let ours: Ours
    let peer: [String]
    let target: Double
    let makeStep: () -> () -> Void

    static func named(_ name: Bench.CaseName) -> Recipe {
        switch name {
        case .minimax:
            Recipe(name: name, ours: .chapter("Ch11_2_Minimax"), peer: ["minimax.py"], target: 0.7,
                   makeStep: { minimaxStep(seed: 1) })
        case .wgan:
            Recipe(name: name, ours: .chapter("Ch11_2_WGAN"), peer: ["wasserstein.py", "--constraint", "clipping"],
                   target: 0.75, makeStep: { wassersteinStep(.weightClipping(0.01), seed: 1) })
        case .wgangp:
            Recipe(name: name, ours: .chapter("Ch11_3_WGANGP"), peer: ["wasserstein.py", "--constraint", "penalty"],
                   target: 0.65, makeStep: { wassersteinStep(.gradientPenalty(lambda: 10), seed: 1) })
        case .dcgan:
            Recipe(name: name, ours: .inProcess(dcganStep(seed: 1)), peer: ["dcgan_step.py"], target: 0.9,
                   makeStep: { dcganStep(seed: 1) })
        }
    }
}

let batchSize = 64, latent = 100, pixels = 28 * 28

/// Ch11_2_Minimax's iteration: MLPs, Adam(2e-4, β₁ = 0.5), one D and one G update.
func minimaxStep(seed: UInt64) -> () -> Void {
    var random = SeededGenerator(seed: seed)
    let g = mlpGenerator(latent: latent, pixels: pixels, using: &random)
    let d = mlpDiscriminator(pixels: pixels, using: &random)
    let gan = MinimaxGAN(generator: g, discriminator: d,
                         generatorOptimizer: Adam(g.parameters, learningRate: 2e-4, beta1: 0.5),
                         discriminatorOptimizer: Adam(d.parameters, learningRate: 2e-4, beta1: 0.5), latent: latent)
    let real = Tensor.randomUniform([batchSize, pixels], in: -1..<1, using: &random)
    return { _ = gan.trainStep(real: real, using: &random) }
}

/// Ch11_2_WGAN's (RMSprop 5e-5, clipping) or Ch11_3_WGANGP's (Adam 1e-4, β = (0, 0.9),
/// penalty) iteration: five critic updates, then one generator update.
func wassersteinStep(_ constraint: LipschitzConstraint, seed: UInt64) -> () -> Void {
    var random = SeededGenerator(seed: seed)
    let g = mlpGenerator(latent: latent, pixels: pixels, using: &random)
    let c = mlpDiscriminator(pixels: pixels, using: &random)
    let optimizers: (any Optimizer, any Optimizer)
    if case .gradientPenalty = constraint {
        optimizers = (Adam(g.parameters, learningRate: 1e-4, beta1: 0, beta2: 0.9),
                      Adam(c.parameters, learningRate: 1e-4, beta1: 0, beta2: 0.9))
    } else {
        optimizers = (RMSprop(g.parameters, learningRate: 5e-5), RMSprop(c.parameters, learningRate: 5e-5))
    }
    let gan = WassersteinGAN(generator: g, critic: c, generatorOptimizer: optimizers.0, criticOptimizer: optimizers.1,
                             constraint: constraint, criticUpdates: 5, latent: latent)
    let real = Tensor.randomUniform([batchSize, pixels], in: -1..<1, using: &random)
    return { _ = gan.trainStep(nextRealBatch: { real }, using: &random) }
}

/// One DCGAN training step on 28×28 images, the workload of `peer/dcgan_step.py`: the
/// chapters' `MinimaxGAN.trainStep` (a discriminator update with BCE on logits for real and
/// fake, then a generator update; Adam). It also measures G's gradient norm for the log,
/// which the peer does not.
func dcganStep(seed: UInt64) -> () -> Void {
    var random = SeededGenerator(seed: seed)
    let g = dcganGenerator(latent: latent, using: &random)
    let d = dcganDiscriminator(using: &random)
    let gan = MinimaxGAN(generator: g, discriminator: d,
                         generatorOptimizer: Adam(g.parameters, learningRate: 2e-4, beta1: 0.5),
                         discriminatorOptimizer: Adam(d.parameters, learningRate: 2e-4, beta1: 0.5), latent: latent)
    let real = Tensor.randomUniform([batchSize, 1, 28, 28], in: -1..<1, using: &random)
    return { _ = gan.trainStep(real: real, using: &random) }
}
