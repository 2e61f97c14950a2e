import Foundation
import NN
import Tensor

/// Two signs of a collapsed generator, measured on one batch: how little the images differ
/// from each other, and how uniformly the critic pushes them. A critic whose input gradient
/// points the same way at every generated image moves all of them the same way, whatever
/// their z, so a generator trained against it cannot spread out.
public struct CollapseDiagnostics: Sendable, Equatable {
    /// The standard deviation of each pixel across the batch, averaged over pixels: 0 when
    /// every image is the same.
    public let pixelSpread: Double
    /// The mean of ‖∇ₓ C(x)‖ over the batch.
    public let gradientNorm: Double
    /// The mean cosine similarity between each image's ∇ₓ C(x) and the batch's mean
    /// gradient: 1 when the critic pushes every image in the same direction.
    public let gradientAlignment: Double

    /// `images` is a batch [n, …] of at least two images; `critic` maps it to [n, 1] scores.
    public init(critic: (Tensor) -> Tensor, images: Tensor) {
        let n = images.shape[0]
        precondition(n >= 2, "collapse diagnostics need a batch of at least two images")
        let points = images.detached().requiringGradient()
        let slopes = LayerMode.$isTraining.withValue(false) {
            gradients(of: critic(points).sum(), wrt: [points])[0].values
        }
        let pixels = images.count / n
        let values = images.values
        var spread = 0.0
        for p in 0..<pixels {
            let column = (0..<n).map { Double(values[$0 * pixels + p]) }
            let mean = column.reduce(0, +) / Double(n)
            spread += (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
        }
        let rows = (0..<n).map { i in (0..<pixels).map { Double(slopes[i * pixels + $0]) } }
        let meanRow = (0..<pixels).map { p in rows.map { $0[p] }.reduce(0, +) / Double(n) }
        func norm(_ v: [Double]) -> Double { v.map { $0 * $0 }.reduce(0, +).squareRoot() }
        let meanNorm = norm(meanRow)
        let cosines = rows.map { row -> Double in
            let denominator = norm(row) * meanNorm
            return denominator == 0 ? 0 : zip(row, meanRow).map(*).reduce(0, +) / denominator
        }
        pixelSpread = spread / Double(pixels)
        gradientNorm = rows.map(norm).reduce(0, +) / Double(n)
        gradientAlignment = cosines.reduce(0, +) / Double(n)
    }

    /// A Markdown table with one row per named batch.
    public static func table(_ rows: [(name: String, diagnostics: CollapseDiagnostics)]) -> String {
        var lines = ["| images | pixel spread across the batch | critic's gradient norm ‖∇ₓC‖ | alignment of the critic's gradients |",
                     "|---|---:|---:|---:|"]
        for (name, d) in rows {
            lines.append("| \(name) | " + [d.pixelSpread, d.gradientNorm, d.gradientAlignment]
                .enumerated().map { String(format: $0.offset == 1 ? "%.3g" : "%.3f", $0.element) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
