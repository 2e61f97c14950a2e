import NN
import Tensor

/// One DCGAN training step on 28×28 images, the workload of `peer/dcgan_step.py`:
/// a discriminator update (BCE on logits, real and fake) then a generator update, Adam.
/// Returns the step as a closure over a freshly built model and random data.
func dcganStep(batchSize: Int, seed: UInt64) -> () -> Void {
    var generator = SeededGenerator(seed: seed)
    let latentDimension = 100
    let g = Sequential(
        Linear(latentDimension, 128 * 7 * 7, using: &generator), BatchNorm(128 * 7 * 7), Activation.relu,
        Unflatten([128, 7, 7]),
        ConvTranspose2d(128, 64, kernelSize: 4, stride: 2, padding: 1, using: &generator), BatchNorm(64), Activation.relu,
        ConvTranspose2d(64, 1, kernelSize: 4, stride: 2, padding: 1, using: &generator), Activation.tanh)
    let d = Sequential(
        Conv2d(1, 64, kernelSize: 4, stride: 2, padding: 1, using: &generator), Activation.leakyRelu(0.2),
        Conv2d(64, 128, kernelSize: 4, stride: 2, padding: 1, using: &generator), BatchNorm(128), Activation.leakyRelu(0.2),
        Flatten(), Linear(128 * 7 * 7, 1, using: &generator))
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
