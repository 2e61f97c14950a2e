import NN
import Workbook
import Tensor

/// One DCGAN training step on 28×28 images, the workload of `peer/dcgan_step.py`:
/// a discriminator update (BCE on logits, real and fake) then a generator update, Adam.
/// Returns the step as a closure over a freshly built model and random data.
func dcganStep(batchSize: Int, seed: UInt64) -> () -> Void {
    var generator = SeededGenerator(seed: seed)
    let latentDimension = 100
    let g = dcganGenerator(latent: latentDimension, using: &generator)
    let d = dcganDiscriminator(using: &generator)
    let optimizerG = Adam(g.parameters, learningRate: 2e-4, beta1: 0.5)
    let optimizerD = Adam(d.parameters, learningRate: 2e-4, beta1: 0.5)
    let real = Tensor.randomUniform([batchSize, 1, 28, 28], in: -1..<1, using: &generator)

    return {
        let fake = g(Tensor.randomNormal([batchSize, latentDimension], using: &generator))
        let lossD = binaryCrossEntropy(logits: d(real), target: 1)
            + binaryCrossEntropy(logits: d(fake.detached()), target: 0)
        optimizerD.step(gradients(of: lossD, wrt: d.parameters))
        let lossG = binaryCrossEntropy(logits: d(fake), target: 1)
        optimizerG.step(gradients(of: lossG, wrt: g.parameters))
    }
}
