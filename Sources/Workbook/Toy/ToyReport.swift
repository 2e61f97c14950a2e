import Foundation
import NN
import Tensor

// The table and figures of the §11.1 comparison.

extension ToyComparison {
    /// The summary line's fields: `energy_distance_<family>` for each family, named by the
    /// first word of its name, e.g. `energy_distance_flow=0.1004`.
    public func energyDistanceFields(_ results: [FamilyResult]) -> [(key: String, value: String)] {
        results.map { ("energy_distance_\($0.family.split(separator: " ")[0].lowercased())",
                       String(format: "%.4f", $0.energyDistance)) }
    }

    /// The measurements as a markdown table, one row per family.
    public func markdownTable(_ results: [FamilyResult]) -> String {
        let hasModes = data.distribution.modes != nil
        var header = ["family", "parameters", "training (s)", "sampling 10k (s)", "energy distance"]
        if hasModes { header += ["modes covered", "high-quality"] }
        header.append("test log-likelihood (nats)")
        var lines = [row(header), row(header.map { _ in "---" })]
        for result in results {
            var cells = [
                result.family,
                result.parameterCount == 0 ? "—" : "\(result.parameterCount)",
                result.parameterCount == 0 ? "—" : String(format: "%.1f", result.trainingSeconds),
                result.parameterCount == 0 ? "—" : String(format: "%.2f", result.samplingSecondsPer10k),
                String(format: "%.4f", result.energyDistance),
            ]
            if let modes = data.distribution.modes, let coverage = result.coverage {
                cells += ["\(coverage.modesCovered) / \(modes.centres.count)",
                          String(format: "%.0f%%", 100 * coverage.highQualityFraction)]
            }
            cells.append(logLikelihoodCell(result))
            lines.append(row(cells))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

    private func logLikelihoodCell(_ result: FamilyResult) -> String {
        guard let value = result.testLogLikelihood else {
            return result.density?.kind == .unnormalised ? "— (Z unknown)" : "—"
        }
        let number = String(format: "%.2f", value)
        return result.density?.kind == .lowerBound ? "≥ \(number) (ELBO)" : number
    }

    /// True samples and each family's samples, one panel each, on the same axes.
    public func samplesFigure(_ truth: FamilyResult, _ families: [FamilyResult], pointsPerPanel: Int = 2000) -> FigureGrid {
        let panels = [panel(truth, colorIndex: 6, pointsPerPanel: pointsPerPanel)]
            + families.enumerated().map { panel($1, colorIndex: $0, pointsPerPanel: pointsPerPanel) }
        let perRow = (panels.count + 1) / 2
        return FigureGrid(
            title: "Samples on the \(data.distribution.rawValue) data, \(steps) training steps each",
            cells: [Array(panels.prefix(perRow)), Array(panels.dropFirst(perRow))])
    }

    private func panel(_ result: FamilyResult, colorIndex: Int, pointsPerPanel: Int) -> ScatterPlot {
        let bound = data.plotBound
        return ScatterPlot(
            title: result.family, xTitle: "x₁", yTitle: "x₂", xRange: -bound...bound, yRange: -bound...bound,
            series: [.init(name: result.family, interleaved: Array(result.samples.prefix(2 * pointsPerPanel)),
                           colorIndex: colorIndex)],
            dotRadius: 2.5, dotOpacity: 0.45, showsLegend: false, width: 640, height: 640)
    }

    /// Heat maps of log p(x) (or its ELBO bound, or −E(x) normalised on the grid) for the
    /// families that score points, with held-out points on top.
    public func densitiesFigure(_ families: [FamilyResult], resolution: Int = 120) -> FigureGrid {
        let bound = data.plotBound
        let step = 2 * bound / Double(resolution)
        var grid = [Float]()
        for row in 0..<resolution {
            for column in 0..<resolution {
                grid += [Float(-bound + (Double(column) + 0.5) * step), Float(-bound + (Double(row) + 0.5) * step)]
            }
        }
        let testOverlay = ScatterPlot.Series(name: "held-out data", interleaved: Array(data.testPoints.prefix(600)),
                                             colorIndex: 6)
        let panels: [any Figure] = families.compactMap { result in
            guard let density = result.density else { return nil }
            var values = evaluating { density.logDensity(data.standardised(grid)) }.values
                .map { Double(data.logDensityInDataUnits($0)) }
            if density.kind == .unnormalised {
                // Z by summing exp(−E) over the grid cells: possible in 2-D, hopeless in high dimension.
                let largest = values.max() ?? 0
                let logZ = largest + Foundation.log(values.reduce(0) { $0 + Foundation.exp($1 - largest) } * step * step)
                values = values.map { $0 - logZ }
            }
            let top = values.filter(\.isFinite).max() ?? 0
            let title = switch density.kind {
            case .exact: "log p(x)"
            case .lowerBound: "ELBO(x) ≤ log p(x)"
            case .unnormalised: "−E(x) − log Z"
            }
            return ScatterPlot(
                title: result.family, xTitle: "x₁", yTitle: "x₂", xRange: -bound...bound, yRange: -bound...bound,
                series: [testOverlay],
                heatMap: HeatMap(values: values, rows: resolution, columns: resolution,
                                 range: (top - 12)...top, title: title, opacity: 0.9),
                dotRadius: 1.5, dotOpacity: 0.35, showsLegend: false, width: 700, height: 640)
        }
        return FigureGrid(title: "Densities on the \(data.distribution.rawValue) data (black: held-out points)",
                          cells: [panels])
    }
}
