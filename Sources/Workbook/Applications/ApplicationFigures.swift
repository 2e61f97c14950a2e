import Foundation
import Tensor

extension AnomalyDetection {
    /// ROC curves of both scores for one seed's outcome, with a chance diagonal.
    public func rocFigure(_ outcome: Outcome, heldOutName: String) -> LinePlot {
        let byCritic = rocCurve(positives: outcome.discriminator.heldOut, negatives: outcome.discriminator.seen)
        let byResidual = rocCurve(positives: outcome.residual.heldOut, negatives: outcome.residual.seen)
        return LinePlot(
            title: "Is it a \(heldOutName)? A GAN that never saw one decides (seed \(outcome.seed))",
            xTitle: "false-positive rate (seen classes flagged)", yTitle: "true-positive rate (\(heldOutName)s flagged)",
            series: [
                .init(name: String(format: "AnoGAN residual, AUROC %.2f", outcome.residualAUROC),
                      x: byResidual.falsePositiveRate, y: byResidual.truePositiveRate),
                .init(name: String(format: "discriminator score, AUROC %.2f", outcome.discriminatorAUROC),
                      x: byCritic.falsePositiveRate, y: byCritic.truePositiveRate),
                .init(name: "chance", x: [0, 1], y: [0, 1], colorIndex: 6),
            ])
    }

    /// The held-out images the residual finds most anomalous and the seen ones it finds most
    /// ordinary, each above the generator's closest image.
    public func reconstructionsFigure(_ outcome: Outcome, heldOutName: String, columns: Int = 8) throws -> SampleGrid {
        let n = outcome.residual.heldOut.count
        let worst = Array((0..<n).sorted { outcome.residual.heldOut[$0] > outcome.residual.heldOut[$1] }.prefix(columns))
        let best = Array((0..<outcome.residual.seen.count).sorted { outcome.residual.seen[$0] < outcome.residual.seen[$1] }
            .prefix(columns)).map { $0 + n }
        let rows = [outcome.images.indexSelect(worst), outcome.reconstructions.indexSelect(worst),
                    outcome.images.indexSelect(best), outcome.reconstructions.indexSelect(best)]
        return try SampleGrid(pixels: Tensor.concatenate(rows).values, height: 28, width: 28, columns: worst.count,
                              caption: "Ch11.6 anomaly detection — closest images G can make (seed \(outcome.seed))",
                              rowLabels: ["\(heldOutName) (held out)", "G's closest", "seen class", "G's closest"])
    }
}

extension Inpainting.Outcome {
    /// Masked, completed and true images, one row each.
    public func figure(columns: Int = 12) throws -> SampleGrid {
        let shown = Array(0..<min(columns, masked.shape[0]))
        let rows = [masked, completed, truth].map { $0.indexSelect(shown) }
        return try SampleGrid(pixels: Tensor.concatenate(rows).values, height: 28, width: 28, columns: shown.count,
                              caption: String(format: "Ch11.6 inpainting — lower half hidden; error %.3f (mean image: %.3f)",
                                              completionError, meanImageError),
                              rowLabels: ["lower half hidden", "completed by G", "true image"])
    }
}
