import Foundation
import Tensor

/// Ways to spoil real images by a controllable amount, for checking that a metric notices
/// (Heusel et al. did the same for FID). Strength 0 leaves the images as they are, 1 is
/// heavy. Every random choice depends on the seed only, not on the strength, so stronger
/// disturbances extend weaker ones (the same noise, scaled; the same pixels, and more):
/// a well-behaved distance must then rise with the strength.
public enum Disturbance: String, CaseIterable, Sendable {
    case gaussianNoise = "Gaussian noise"
    case blur = "blur"
    case saltAndPepper = "salt and pepper"
    case occlusion = "occluding rectangles"
    case classMixing = "mixing in trousers"

    /// What strength 1 means, for captions.
    public var fullStrength: String {
        switch self {
        case .gaussianNoise: "noise std 1 (half the pixel range)"
        case .blur: "Gaussian blur, σ = 2.5 px"
        case .saltAndPepper: "40% of pixels black or white"
        case .occlusion: "a grey 18 × 18 square"
        case .classMixing: "every image replaced by a trouser"
        }
    }

    /// `images` [n, 1, 28, 28] in [−1, 1], disturbed by `strength` in [0, 1].
    /// `replacements` are images of another class for `.classMixing` (any count ≥ 1).
    public func apply(to images: Tensor, strength: Double, replacements: Tensor, seed: UInt64) -> Tensor {
        let n = images.shape[0], side = images.shape[3], size = side * side
        var pixels = images.values
        var random = SeededGenerator(seed: seed)
        let s = Float(strength)
        pixels.withUnsafeMutableBufferPointer { p in
            switch self {
            case .gaussianNoise:
                let noise = Tensor.randomNormal([p.count], using: &random)
                noise.withUnsafeBufferPointer { noise in
                    for i in p.indices { p[i] = min(1, max(-1, p[i] + s * noise[i])) }
                }
            case .blur:
                gaussianBlur(p, images: n, side: side, sigma: 2.5 * s)
            case .saltAndPepper:
                for i in p.indices {
                    let hit = random.nextUnitFloat(), white = random.nextUnitFloat() < 0.5
                    if hit < 0.4 * s { p[i] = white ? 1 : -1 }
                }
            case .occlusion:
                let square = Int((18 * s).rounded())
                for image in 0..<n {
                    // A fixed centre per image, so that a larger square covers the smaller one.
                    let top = min(side - square, max(0, Int(random.nextUnitFloat() * Float(side)) - square / 2))
                    let left = min(side - square, max(0, Int(random.nextUnitFloat() * Float(side)) - square / 2))
                    for y in top..<(top + square) {
                        for x in left..<(left + square) { p[image * size + y * side + x] = 0 }
                    }
                }
            case .classMixing:
                let pool = replacements.shape[0]
                replacements.withUnsafeBufferPointer { other in
                    for image in 0..<n {
                        let u = random.nextUnitFloat(), pick = Int(random.next() % UInt64(pool))
                        guard u < s else { continue }
                        for i in 0..<size { p[image * size + i] = other[pick * size + i] }
                    }
                }
            }
        }
        return Tensor(shape: images.shape, values: pixels)
    }
}

/// Blurs each side × side image in place with a separable Gaussian of std `sigma` pixels
/// (edges clamped); sigma 0 leaves the images unchanged.
private func gaussianBlur(_ p: UnsafeMutableBufferPointer<Float>, images: Int, side: Int, sigma: Float) {
    guard sigma > 0 else { return }
    let radius = Int((3 * sigma).rounded(.up))
    let weights = (-radius...radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
    let total = weights.reduce(0, +)
    let kernel = UnsafeMutableBufferPointer<Float>.allocate(capacity: weights.count)
    let line = UnsafeMutableBufferPointer<Float>.allocate(capacity: side)
    defer { kernel.deallocate(); line.deallocate() }
    for (k, weight) in weights.enumerated() { kernel[k] = weight / total }
    for image in 0..<images {
        // One pass along rows (pixels 1 apart), one along columns (pixels `side` apart).
        for (lineStep, pixelStep) in [(side, 1), (1, side)] {
            for lineIndex in 0..<side {
                let start = image * side * side + lineIndex * lineStep
                for i in 0..<side {
                    var sum: Float = 0
                    for k in -radius...radius {
                        let j = min(side - 1, max(0, i + k))
                        sum += kernel[k + radius] * p[start + j * pixelStep]
                    }
                    line[i] = sum
                }
                for i in 0..<side { p[start + i * pixelStep] = line[i] }
            }
        }
    }
}
