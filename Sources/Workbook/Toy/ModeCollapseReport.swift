import Foundation

extension ModeCollapse {
    /// The GAN Lab picture: one row per run (method), one column per snapshot; each panel
    /// shows real and generated points over a heat map of what D or C says about the plane.
    /// Every panel has the same size, so that the rows can be compared point by point.
    public static func figure(of runs: [Run], title: String) -> FigureGrid {
        let distribution = runs[0].distribution
        let grid = LandscapeGrid(distribution)
        let real = distribution.sample(count: plottedSampleCount, seed: stableHash("plotted real points"))
        let limit = Double(grid.limit)
        let cells: [[any Figure]] = runs.map { run in
            run.snapshots.map { snapshot in
                let probability = run.recipe.method.judgesWithProbability
                return ScatterPlot(
                    xTitle: "x₁", yTitle: "x₂", xRange: -limit...limit, yRange: -limit...limit,
                    series: [.init(name: "generated", interleaved: snapshot.samples, colorIndex: 1),
                             .init(name: "real", interleaved: real, colorIndex: 6)],
                    heatMap: HeatMap(values: snapshot.landscape.map(Double.init), rows: grid.resolution,
                                     columns: grid.resolution, range: probability ? 0...1 : nil,
                                     title: probability ? "D(x)" : "C(x)"),
                    dotRadius: 2.5, dotOpacity: 0.6, showsLegend: false, width: 680, height: 480)
            }
        }
        return FigureGrid(
            title: title,
            columnTitles: runs[0].snapshots.map { "after \($0.step) generator steps" },
            rowTitles: runs.map { run in
                run.recipe.method.name + "\n"
                    + (run.recipe.method.judgesWithProbability ? "discriminator's landscape" : "critic's landscape")
            },
            legend: [LegendItem(name: "real data", colorIndex: 6, marker: .dot),
                     LegendItem(name: "generated", colorIndex: 1, marker: .dot)],
            cells: cells)
    }

    /// One data set and method, summarised over its seeds.
    public struct Result: Sendable {
        public let distribution: ToyDistribution
        public let method: Method
        public let seeds: Int
        public let modesCovered: SeedSpread
        /// In percent.
        public let highQualityPercent: SeedSpread
    }

    /// Runs grouped by data set and method, in the order they were run.
    public static func results(of runs: [Run]) -> [Result] {
        var groups: [[Run]] = []
        for run in runs {
            if let index = groups.firstIndex(where: {
                $0[0].distribution == run.distribution && $0[0].recipe.method.name == run.recipe.method.name
            }) {
                groups[index].append(run)
            } else {
                groups.append([run])
            }
        }
        return groups.map { group in
            Result(distribution: group[0].distribution, method: group[0].recipe.method, seeds: group.count,
                   modesCovered: SeedSpread(group.map { Double($0.coverage.modesCovered) }),
                   highQualityPercent: SeedSpread(group.map { 100 * $0.coverage.highQualityFraction }))
        }
    }

    /// The summary line's fields: the mean modes covered per data set and method,
    /// e.g. `ring_wgan_gp_lambda10_modes=0.67`.
    public static func modesCoveredFields(of runs: [Run]) -> [(key: String, value: String)] {
        results(of: runs).map { ("\($0.distribution)_\($0.method.key)_modes", String(format: "%.2f", $0.modesCovered.mean)) }
    }

    /// Mean ± standard deviation over seeds of the modes covered and of the share of
    /// high-quality samples, one row per data set and method, as a Markdown table.
    public static func table(of runs: [Run]) -> String {
        let rows = results(of: runs).map { result in
            let modeCount = result.distribution.modes?.centres.count ?? 0
            return "| \(result.distribution.studyName) | \(result.method.name) | \(result.seeds) "
                + "| \(result.modesCovered.formatted(decimals: 1)) of \(modeCount) "
                + "| \(result.highQualityPercent.formatted(decimals: 1)) % |"
        }
        return ([
            "| data set | method | seeds | modes covered | high-quality samples |",
            "|---|---|---:|---:|---:|",
        ] + rows).joined(separator: "\n") + "\n"
    }
}

extension ModeCollapse {
    public typealias SeedSpread = Workbook.SeedSpread
}

/// The mean and the sample standard deviation (divide by n − 1) of a result over seeds.
public struct SeedSpread: Sendable {
    /// The result of each seed, in order.
    public let values: [Double]
    public let mean: Double
    public let standardDeviation: Double

    public init(_ values: [Double]) {
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.values = values
        self.mean = mean
        standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
    }

    public func formatted(decimals: Int) -> String {
        String(format: "%.\(decimals)f ± %.\(decimals)f", mean, standardDeviation)
    }
}

extension ToyDistribution {
    /// The name the study's table and figures use.
    var studyName: String {
        switch self {
        case .ring: "ring of 8"
        case .grid: "grid of 25"
        default: rawValue
        }
    }
}
