import Foundation
import Tensor

// The tables and figures of §11.2's warm-up.

extension GaussianWarmup.Run {
    /// One panel per snapshot, two rows when there are more than three: the data's points and
    /// G's, their 2σ contours (the data's from b and A Aᵀ, G's from c and W Wᵀ), over a heat
    /// map of D's probability of "real".
    public func pointsFigure(title: String) throws -> FigureGrid {
        let target = try truth.moments()
        var plotted = SeededGenerator(seed: 0, purpose: "plotted real points")
        let real = truth.sample(count: GaussianWarmup.plottedPointCount, using: &plotted).values
        let dataContour = target.contour()
        let panels = snapshots.map { snapshot in
            let generatorContour = snapshot.generator.contour()
            return ScatterPlot(
                title: snapshot.step == 0 ? "before training" : "after \(thousands(snapshot.step)) iterations",
                xTitle: "x₁", yTitle: "x₂", xRange: window.x, yRange: window.y,
                series: [.init(name: "real data", interleaved: real, colorIndex: 6),
                         .init(name: "generated", interleaved: snapshot.samples, colorIndex: 1)],
                curves: [.init(name: "data's 2σ contour", x: dataContour.x, y: dataContour.y, colorIndex: 6),
                         .init(name: "G's 2σ contour", x: generatorContour.x, y: generatorContour.y, colorIndex: 1)],
                heatMap: HeatMap(values: snapshot.landscape.map(Double.init), rows: window.resolution,
                                 columns: window.resolution, range: 0...1, title: "D(x)"),
                dotRadius: 2.5, dotOpacity: 0.5, showsLegend: false, width: 820, height: 720)
        }
        let perRow = panels.count > 3 ? (panels.count + 1) / 2 : panels.count
        return FigureGrid(
            title: title,
            legend: [LegendItem(name: "real data", colorIndex: 6, marker: .dot),
                     LegendItem(name: "generated", colorIndex: 1, marker: .dot),
                     LegendItem(name: "2σ contour of b, A Aᵀ (the data)", colorIndex: 6, marker: .line),
                     LegendItem(name: "2σ contour of c, W Wᵀ (G)", colorIndex: 1, marker: .line)],
            cells: stride(from: 0, to: panels.count, by: perRow).map { Array(panels[$0..<min($0 + perRow, panels.count)]) })
    }

    /// The losses beside the distance to the known answer, per iteration.
    public func trainingFigure() -> FigureGrid {
        let x = history.indices.map { Double($0 + 1) }
        let last = Double(history.count)
        // Where the losses settle when G matches the data and D can only guess, D = ½:
        // D's loss is 2 log 2, G's (−log D) is log 2. One series, broken in two by a NaN.
        let equilibrium = LinePlot.Series(name: "2 log 2 and log 2: the losses when D = ½ everywhere",
                                          x: [1, last, last, 1, last],
                                          y: [2 * log(2), 2 * log(2), .nan, log(2), log(2)], colorIndex: 6)
        let losses = LinePlot(
            title: "Losses", xTitle: "training iteration", yTitle: "binary cross-entropy",
            series: [equilibrium,
                     .init(name: "discriminator", x: x, y: history.map { Double($0.discriminatorLoss) },
                           smoothing: 0.95, colorIndex: 0),
                     .init(name: "generator", x: x, y: history.map { Double($0.generatorLoss) },
                           smoothing: 0.95, colorIndex: 1)],
            width: 1000, height: 720)
        let errors = LinePlot(
            title: "Distance from the known answer", xTitle: "training iteration", yTitle: "error (log scale)",
            series: [.init(name: "‖c − b‖", x: x, y: meanErrors, smoothing: 0.95, colorIndex: 2),
                     .init(name: "‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F", x: x, y: covarianceErrors, smoothing: 0.95, colorIndex: 3)],
            logarithmicY: true, width: 1000, height: 720)
        return FigureGrid(cells: [[losses, errors]])
    }

    /// The last fifth of the run (at least its last iteration), where the table measures the
    /// settled game.
    public var settledIterations: Range<Int> { (steps - max(steps / 5, 1))..<steps }

    /// Four Markdown tables: the true and learnt moments with their errors; A, W and
    /// Q = A⁻¹W (orthogonal when W Wᵀ = A Aᵀ); the losses, scores and errors over the last
    /// fifth of the run, with D's range on the plotted plane at each snapshot; and when the
    /// errors first fell below 0.05.
    public func table() throws -> String {
        let target = try truth.moments()
        func row(_ name: String, _ stats: GaussianStats, errors: Bool = true) -> String {
            let cells = [stats.mu[0], stats.mu[1], stats.sigma[0], stats.sigma[1], stats.sigma[3]].map { f($0, 3) }
                + (errors ? [f(stats.meanDistance(to: target), 3), f(stats.relativeCovarianceError(to: target), 3)]
                          : ["—", "—"])
            return "| \(name) | " + cells.joined(separator: " | ") + " |"
        }
        let n = thousands(GaussianWarmup.Run.measuredSampleCount), trained = "after \(thousands(steps)) iterations"
        let moments = [
            "| | μ₁ | μ₂ | Σ₁₁ | Σ₁₂ | Σ₂₂ | ‖μ − b‖ | ‖Σ − A Aᵀ‖_F / ‖A Aᵀ‖_F |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            row("truth: b and A Aᵀ", target, errors: false),
            row("\(n) real points, measured", realSampleMoments),
            row("G before training: c and W Wᵀ", try initial.moments()),
            row("G \(trained): c and W Wᵀ", try learnt.moments()),
            row("\(n) points of G \(trained), measured", generatedSampleMoments),
        ]

        func matrixRow(_ name: String, _ m: [Double]) -> String {
            "| \(name) | " + m.map { f($0, 3) }.joined(separator: " | ") + " |"
        }
        let q = inverse2x2(truth.matrix).map { product2x2($0, learnt.matrix) } ?? [.nan, .nan, .nan, .nan]
        let maps = [
            "| matrix | [1, 1] | [1, 2] | [2, 1] | [2, 2] |",
            "|---|---:|---:|---:|---:|",
            matrixRow("A, the data's", truth.matrix),
            matrixRow("W, G's \(trained)", learnt.matrix),
            matrixRow("Q = A⁻¹W", q),
            matrixRow("Q Qᵀ", product2x2(q, [q[0], q[2], q[1], q[3]])),
        ]

        let settled = Array(history[settledIterations])
        func spreadRow(_ name: String, _ values: [Double]) -> String {
            "| \(name) | " + [values.reduce(0, +) / Double(values.count), values.min()!, values.max()!]
                .map { f($0, 3) }.joined(separator: " | ") + " |"
        }
        let game = [
            "| \(settledIterations.count == 1 ? "last iteration" : "last \(thousands(settledIterations.count)) iterations") | mean | smallest | largest |",
            "|---|---:|---:|---:|",
            spreadRow("D's loss", settled.map { Double($0.discriminatorLoss) }),
            spreadRow("G's loss", settled.map { Double($0.generatorLoss) }),
            spreadRow("D(x) on real batches", settled.map { Double($0.realScore) }),
            spreadRow("D(G(z)) on generated batches", settled.map { Double($0.fakeScore) }),
            spreadRow("‖c − b‖", Array(meanErrors[settledIterations])),
            spreadRow("‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F", Array(covarianceErrors[settledIterations])),
        ] + snapshots.map { snapshot in
            spreadRow("D(x) on the plotted plane, " + (snapshot.step == 0 ? "before training" : "after \(thousands(snapshot.step)) iterations"),
                      snapshot.landscape.map(Double.init))
        } + (snapshots.last.map { snapshot in
            [spreadRow("D(x) inside the data's 2σ contour, after \(thousands(snapshot.step)) iterations",
                       zip(window.cellCentresPairs, snapshot.landscape)
                           .filter { target.mahalanobisSquared($0.0) <= 4 }.map { Double($0.1) })]
        } ?? [])
        func firstBelow(_ values: [Double], _ level: Double) -> String {
            values.firstIndex { $0 < level }.map { thousands($0 + 1) } ?? "never"
        }
        let milestones = [
            "| milestone | iteration |",
            "|---|---:|",
            "| ‖c − b‖ first below 0.05 | \(firstBelow(meanErrors, 0.05)) |",
            "| ‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F first below 0.05 | \(firstBelow(covarianceErrors, 0.05)) |",
        ]
        return [moments, maps, game, milestones].map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// The summary line's fields.
    public var summaryFields: [(key: String, value: String)] {
        [("steps", "\(steps)"), ("mean_error", f(meanErrors.last ?? .nan, 4)),
         ("covariance_error", f(covarianceErrors.last ?? .nan, 4))]
    }
}

private func f(_ value: Double, _ decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    // "-0.000" would suggest a sign that is not there at this precision.
    return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
}

private func thousands(_ value: Int) -> String {
    let digits = String(value)
    return digits.enumerated().map { index, digit in
        index > 0 && (digits.count - index) % 3 == 0 ? ",\(digit)" : "\(digit)"
    }.joined()
}

/// The inverse of a row-major 2 × 2 matrix, nil when it is singular.
func inverse2x2(_ m: [Double]) -> [Double]? {
    let determinant = m[0] * m[3] - m[1] * m[2]
    guard determinant != 0, determinant.isFinite else { return nil }
    return [m[3] / determinant, -m[1] / determinant, -m[2] / determinant, m[0] / determinant]
}

/// The product of two row-major 2 × 2 matrices.
func product2x2(_ a: [Double], _ b: [Double]) -> [Double] {
    [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3]]
}
