import NN
import Tensor

// The convolutional networks of the DCGAN family (DCGAN, relativistic GAN, conditional
// GAN). They return raw scores, no sigmoid: each chapter's loss decides what to do with them.

// snippet.dcgan-models
/// The DCGAN generator for 28×28 images. A linear layer lifts z to a 128-channel 7×7 map;
/// two stride-2 transposed convolutions (kernel 4, padding 1) double it to 14×14, then 28×28.
public func dcganGenerator(latent: Int, channels: Int = 1, using weights: inout SeededGenerator) -> Sequential {
    Sequential(
        Linear(latent, 128 * 7 * 7, using: &weights), BatchNorm(128 * 7 * 7), Activation.relu,
        Unflatten([128, 7, 7]),
        ConvTranspose2d(128, 64, kernelSize: 4, stride: 2, padding: 1, using: &weights),   // 7 → 14
        BatchNorm(64), Activation.relu,
        ConvTranspose2d(64, channels, kernelSize: 4, stride: 2, padding: 1, using: &weights), // 14 → 28
        Activation.tanh)
}

/// The DCGAN discriminator for 28×28 images: the generator in reverse, with stride-2
/// convolutions halving 28 → 14 → 7, LeakyReLU(0.2), and one linear score at the end.
public func dcganDiscriminator(channels: Int = 1, using weights: inout SeededGenerator) -> Sequential {
    Sequential(dcganFeatureLayers(channels: channels, using: &weights) + [Linear(128 * 7 * 7, 1, using: &weights)])
}
// snippet.end

/// The discriminator's convolutional trunk, 28×28 images → 128·7·7 features.
func dcganFeatureLayers(channels: Int, using weights: inout SeededGenerator) -> [any Layer] {
    [
        Conv2d(channels, 64, kernelSize: 4, stride: 2, padding: 1, using: &weights),        // 28 → 14
        Activation.leakyRelu(0.2),
        Conv2d(64, 128, kernelSize: 4, stride: 2, padding: 1, using: &weights),             // 14 → 7
        BatchNorm(128), Activation.leakyRelu(0.2),
        Flatten(),
    ]
}

// snippet.dcgan64-models
/// The 64×64 generator of the PyTorch examples' DCGAN (and the original chapter's
/// relativistic GAN): z as a 1×1 map, then transposed convolutions 1 → 4 → 8 → 16 → 32 → 64.
/// `width` is the channel count of the last hidden layer (ngf).
public func dcgan64Generator(latent: Int, channels: Int = 3, width: Int = 64,
                             using weights: inout SeededGenerator) -> Sequential {
    func up(_ from: Int, _ to: Int, stride: Int = 2, padding: Int = 1) -> ConvTranspose2d {
        ConvTranspose2d(from, to, kernelSize: 4, stride: stride, padding: padding, bias: false, using: &weights)
    }
    return Sequential(
        Unflatten([latent, 1, 1]),
        up(latent, 8 * width, stride: 1, padding: 0), BatchNorm(8 * width), Activation.relu,  // 4×4
        up(8 * width, 4 * width), BatchNorm(4 * width), Activation.relu,                      // 8×8
        up(4 * width, 2 * width), BatchNorm(2 * width), Activation.relu,                      // 16×16
        up(2 * width, width), BatchNorm(width), Activation.relu,                              // 32×32
        up(width, channels), Activation.tanh)                                                 // 64×64
}

/// Its discriminator: stride-2 convolutions 64 → 32 → 16 → 8 → 4, then a 4×4 convolution
/// to one score per image.
public func dcgan64Discriminator(channels: Int = 3, width: Int = 64,
                                 using weights: inout SeededGenerator) -> Sequential {
    func down(_ from: Int, _ to: Int, stride: Int = 2, padding: Int = 1) -> Conv2d {
        Conv2d(from, to, kernelSize: 4, stride: stride, padding: padding, bias: false, using: &weights)
    }
    return Sequential(
        down(channels, width), Activation.leakyRelu(0.2),                                    // 32×32
        down(width, 2 * width), BatchNorm(2 * width), Activation.leakyRelu(0.2),             // 16×16
        down(2 * width, 4 * width), BatchNorm(4 * width), Activation.leakyRelu(0.2),         // 8×8
        down(4 * width, 8 * width), BatchNorm(8 * width), Activation.leakyRelu(0.2),         // 4×4
        down(8 * width, 1, stride: 1, padding: 0), Flatten())                                // 1 score
}
// snippet.end

/// The pair of networks for `images`: the 28×28 DCGAN for Fashion-MNIST-sized data, the
/// 64×64 one for `--images` (which loads 64×64 RGB); other sizes are an error.
public func dcganNetworks(latent: Int, for images: ImageDataset,
                          using weights: inout SeededGenerator) throws -> (generator: Sequential, discriminator: Sequential) {
    switch (images.height, images.width) {
    case (28, 28):
        return (dcganGenerator(latent: latent, channels: images.channels, using: &weights),
                dcganDiscriminator(channels: images.channels, using: &weights))
    case (64, 64):
        return (dcgan64Generator(latent: latent, channels: images.channels, using: &weights),
                dcgan64Discriminator(channels: images.channels, using: &weights))
    default:
        throw DataError(problem: "the DCGAN networks take 28×28 or 64×64 images, not \(images.height)×\(images.width)",
                        fix: "pass --data with 28×28 IDX files, or --images DIR (resized to 64×64)")
    }
}
