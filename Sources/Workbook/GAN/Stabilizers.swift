import NN
import Tensor

// Two of §11.3's stabilisers that change what the players are trained on; one-sided label
// smoothing and instance noise live next to the losses (Losses.swift).

// snippet.feature-matching
/// Feature matching (Salimans et al. 2016): instead of fooling D, G matches the mean of an
/// intermediate layer of D on real and generated batches,
/// ‖E_x f(x) − E_z f(G(z))‖², with f the layers of D up to that layer. The real side is a
/// fixed target (detached): only G is trained with this loss.
public func featureMatchingLoss(realFeatures: Tensor, fakeFeatures: Tensor) -> Tensor {
    (fakeFeatures.mean(alongAxes: 0) - realFeatures.detached().mean(alongAxes: 0)).squared().sum()
}
// snippet.end

extension Sequential {
    /// The first `count` layers, sharing their parameters: e.g. D up to a hidden layer,
    /// whose activations feature matching compares.
    public func prefix(_ count: Int) -> Sequential { Sequential(Array(layers.prefix(count))) }
}

// snippet.label-flipping
/// D's targets for a batch of `count` examples that should all be `target`, with a random
/// `fraction` of them (exactly round(fraction · count), chosen by `random`) set to
/// `flippedTarget` instead: label flipping, noisy labels that keep D from becoming certain.
public func flippedTargets(count: Int, target: Float, flippedTarget: Float, fraction: Float,
                           using random: inout SeededGenerator) -> Tensor {
    var targets = [Float](repeating: target, count: count)
    for index in randomSubset(of: count, size: Int((fraction * Float(count)).rounded()), using: &random) {
        targets[index] = flippedTarget
    }
    return Tensor(shape: [count, 1], values: targets)
}
// snippet.end

/// `size` distinct indices of 0..<count, uniformly at random (a partial Fisher–Yates shuffle).
func randomSubset(of count: Int, size: Int, using random: inout SeededGenerator) -> [Int] {
    var indices = Array(0..<count)
    let size = min(max(size, 0), count)
    for position in 0..<size {
        indices.swapAt(position, Int.random(in: position..<count, using: &random))
    }
    return Array(indices.prefix(size))
}
