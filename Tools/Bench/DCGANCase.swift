import NN
import Workbook
import Tensor

/// One DCGAN training step on 28×28 images, the workload of `peer/dcgan_step.py`: the
/// chapters' `MinimaxGAN.trainStep` (a discriminator update with BCE on logits for real and
/// fake, then a generator update; Adam). It also measures G's gradient norm for the log,
/// which the peer does not. Returns the step as a closure over a fresh model and random data.
func dcganStep(batchSize: Int, seed: UInt64) -> () -> Void {
    var generator = SeededGenerator(seed: seed)
    let latentDimension = 100
    let g = dcganGenerator(latent: latentDimension, using: &generator)
    let d = dcganDiscriminator(using: &generator)
    let gan = MinimaxGAN(generator: g, discriminator: d,
                         generatorOptimizer: Adam(g.parameters, learningRate: 2e-4, beta1: 0.5),
                         discriminatorOptimizer: Adam(d.parameters, learningRate: 2e-4, beta1: 0.5),
                         latent: latentDimension)
    let real = Tensor.randomUniform([batchSize, 1, 28, 28], in: -1..<1, using: &generator)
    return { _ = gan.trainStep(real: real, using: &generator) }
}
