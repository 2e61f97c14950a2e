import Foundation
import Tensor

// snippet.slerp
/// `steps` points on the way from z₀ to z₁ (both ends included), [steps, d].
/// Spherical interpolation (slerp) follows the great circle between them, so every point
/// has about the norm of a typical Gaussian sample; the straight line between two such
/// samples passes closer to the origin, where G saw few inputs during training.
public func sphericalInterpolation(from start: [Float], to end: [Float], steps: Int) -> Tensor {
    precondition(start.count == end.count && steps >= 2, "slerp needs two vectors of one length and 2+ steps")
    let norms = [start, end].map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let cosine = zip(start, end).reduce(0) { $0 + $1.0 * $1.1 } / max(norms[0] * norms[1], .leastNormalMagnitude)
    let angle = acos(min(max(cosine, -1), 1))
    var values: [Float] = []
    for step in 0..<steps {
        let t = Float(step) / Float(steps - 1)
        // For (nearly) parallel vectors sin(angle) → 0: fall back to the straight line.
        let (a, b) = angle < 1e-4
            ? (1 - t, t)
            : (sin((1 - t) * angle) / sin(angle), sin(t * angle) / sin(angle))
        values += zip(start, end).map { a * $0 + b * $1 }
    }
    return Tensor(shape: [steps, start.count], values: values)
}
// snippet.end
