import NN
import Tensor

// snippet.latent-search
/// Finds, for each target image, the noise z whose image G(z) best matches the target's
/// visible pixels: the search behind AnoGAN's anomaly score and GAN inpainting. It
/// minimises, summed over the batch,
///
///     Σᵢ  mean over visible pixels of (G(zᵢ) − xᵢ)²  +  prior · mean(zᵢ²)
///
/// with Adam on z (G's weights stay fixed), taking the gradient with our own
/// `gradients(of:wrt:)`. The prior keeps z where the generator was trained (z ~ N(0, I)).
public struct LatentSearch {
    public var steps: Int
    public var prior: Float
    public var learningRate: Float

    public init(steps: Int = 100, prior: Float = 0.01, learningRate: Float = 0.05) {
        self.steps = steps
        self.prior = prior
        self.learningRate = learningRate
    }

    public struct Result {
        /// The best noise found, [n, latent], and its images, [n, pixels].
        public let noise: Tensor
        public let images: Tensor
        /// Each sample's reconstruction error over the visible pixels, at the end.
        public let residuals: [Float]
        /// The objective before the first step and after each.
        public let objective: [Float]
    }

    /// `targets` and `mask` are [n, pixels] (mask 1 where a pixel is visible, 0 where hidden);
    /// `generator` maps [n, latent] noise to [n, pixels] images.
    public func run(generator: (Tensor) -> Tensor, targets: Tensor, mask: Tensor, latent: Int,
                    using random: inout SeededGenerator) -> Result {
        let n = targets.shape[0]
        let visible = mask.sum(alongAxes: 1) + 1e-6  // per sample, [n]
        func residuals(_ z: Tensor) -> Tensor {
            (((generator(z).reshaped([n, -1]) - targets) * mask).squared().sum(alongAxes: 1) / visible)
        }
        func perSample(_ z: Tensor) -> Tensor { residuals(z) + prior * z.squared().mean(alongAxes: 1) }
        let z = Tensor.randomNormal([n, latent], using: &random).requiringGradient()
        let optimizer = Adam([z], learningRate: learningRate)
        // Adam moves z; each sample keeps the best point it has visited, so the objective
        // reported (and the z returned) never gets worse from one step to the next.
        var best = z.values, bestValues = [Float](repeating: .infinity, count: n)
        var objective: [Float] = []
        for step in 0...steps {
            let values = perSample(z)
            let seen = values.values, point = z.values
            for i in 0..<n where seen[i] < bestValues[i] {
                bestValues[i] = seen[i]
                best.replaceSubrange((i * latent)..<((i + 1) * latent), with: point[(i * latent)..<((i + 1) * latent)])
            }
            objective.append(bestValues.reduce(0, +))
            if step < steps { optimizer.step(gradients(of: values.sum(), wrt: [z])) }
        }
        let found = Tensor(shape: [n, latent], values: best)
        let (images, finalResiduals) = withoutGradients { (generator(found).reshaped([n, -1]), residuals(found)) }
        return Result(noise: found, images: images, residuals: finalResiduals.values, objective: objective)
    }
}
// snippet.end
