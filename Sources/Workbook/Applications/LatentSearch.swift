import NN
import Tensor

// snippet.latent-search
/// Finds, for each target image, the noise z whose image G(z) best matches the target's
/// visible pixels: the search behind AnoGAN's anomaly score and GAN inpainting. It
/// minimises, summed over the batch,
///
///     Σᵢ  mean over visible pixels of (G(zᵢ) − xᵢ)²  +  prior · mean(zᵢ²)
///
/// by gradient descent on z (G's weights stay fixed), taking the gradient with our own
/// `gradients(of:wrt:)`. The prior keeps z where the generator was trained (z ~ N(0, I)).
/// Each step backtracks until the objective falls, so it never rises from one step to the next.
public struct LatentSearch {
    public var steps: Int
    public var prior: Float
    public var initialStepSize: Float

    public init(steps: Int = 100, prior: Float = 0.01, initialStepSize: Float = 1) {
        self.steps = steps
        self.prior = prior
        self.initialStepSize = initialStepSize
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
        func terms(_ z: Tensor) -> (total: Tensor, residuals: Tensor) {
            let difference = (generator(z).reshaped([n, -1]) - targets) * mask
            let residuals = difference.squared().sum(alongAxes: 1) / visible
            return ((residuals + prior * z.squared().mean(alongAxes: 1)).sum(), residuals)
        }
        var z = Tensor.randomNormal([n, latent], using: &random)
        var current = withoutGradients { terms(z).total.item }
        var objective = [current]
        var stepSize = initialStepSize
        for _ in 0..<steps {
            let point = z.detached().requiringGradient()
            let slope = gradients(of: terms(point).total, wrt: [point])[0].detached()
            let slopeSquared = withoutGradients { slope.squared().sum().item }
            guard slopeSquared > 0 else { break }
            // Armijo backtracking: halve the step until the objective falls enough.
            var accepted = false
            for _ in 0..<20 {
                let candidate = withoutGradients { z - stepSize * slope }
                let value = withoutGradients { terms(candidate).total.item }
                if value <= current - 1e-4 * stepSize * slopeSquared {
                    (z, current, accepted) = (candidate, value, true)
                    stepSize *= 1.5
                    break
                }
                stepSize /= 2
            }
            objective.append(current)
            if !accepted { break }  // no step lowers it: a (local) minimum at float precision
        }
        let (images, residuals) = withoutGradients { (generator(z).reshaped([n, -1]), terms(z).residuals) }
        return Result(noise: z, images: images, residuals: residuals.values, objective: objective)
    }
}
// snippet.end
