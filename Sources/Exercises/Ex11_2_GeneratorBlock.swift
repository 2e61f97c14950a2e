import ExerciseKit
import NN
import Tensor

// Exercise 11.2: the building block of a DCGAN generator.

/// Task `generator-block`. One upsampling block of the DCGAN generator: a transposed
/// convolution from `inChannels` to `outChannels` with kernel 4, stride 2 and padding 1
/// (it doubles height and width: 7×7 → 14×14 → 28×28), then batch normalisation, then ReLU.
/// Input [n, inChannels, h, w], output [n, outChannels, 2h, 2w].
///
/// Initialise it the DCGAN way, drawing from `weights`: convolution weights from
/// N(0, 0.02²), the batch norm's scale from N(1, 0.02²), every bias zero. The original
/// chapter left this as a to-do and trained with the framework's default (uniform)
/// initialisation; the check measures the distribution of your weights.
/// Use `ConvTranspose2d` (weight layout [in, out, 4, 4], as PyTorch's), `BatchNorm`,
/// `Activation.relu` and `Sequential`; `initializeDCGAN` or `assign` set values in place.
public func generatorBlock(inChannels: Int, outChannels: Int, using weights: inout SeededGenerator) throws -> any Layer {
    throw NotImplementedYet()
}
