import ExerciseKit
import Foundation

// Exercise 11.5: the two classic sample-quality metrics, in Float64.

/// Task `frechet-distance`. The Fréchet distance between the Gaussians N(μa, Σa) and
/// N(μb, Σb): ‖μa − μb‖² + Tr Σa + Tr Σb − 2 Tr (Σa Σb)^½. The means have d entries, the
/// covariances are symmetric positive semi-definite d × d matrices, row-major.
///
/// Do not repeat the original chapter's bug: it took the square root of each entry of
/// Σa Σb. (Σa Σb)^½ is the *matrix* square root, a matrix R with R R = Σa Σb. A way that
/// stays in symmetric matrices: Tr (Σa Σb)^½ is the sum of √λ over the eigenvalues λ of
/// Σa^½ Σb Σa^½, and Σa^½ = V diag(√λ) Vᵀ from Σa's own eigen-decomposition
/// (`symmetricEigen`). Clamp tiny negative eigenvalues (round-off) to 0.
public func frechetDistance(meanA: [Double], covarianceA: [Double], meanB: [Double], covarianceB: [Double]) throws -> Double {
    throw NotImplementedYet()
}

/// Task `inception-score`. The Inception Score exp(E_x KL(p(y|x) ‖ p(y))) of a set of
/// samples, given each sample's class probabilities p(y|x) as one row of `probabilities`
/// (n rows of k values, each row summing to 1). Terms with p(y|x) = 0 contribute 0.
///
/// Do not repeat the original chapter's bug: it computed the marginal p(y) from each image
/// alone, where it equals p(y|x), so every KL term was 0 and the score always 1. The
/// marginal p(y) is the mean of p(y|x) over all n samples.
public func inceptionScore(probabilities: [[Double]]) throws -> Double {
    throw NotImplementedYet()
}
