/// A histogram of one or more samples sharing the same bins, e.g. a WGAN critic's weights
/// piling up at the clipping bounds ±c.
public struct Histogram: Figure, Sendable {
    public struct Series: Sendable {
        public var name: String
        public var values: [Double]
        public var colorIndex: Int?

        public init(name: String, values: [Double], colorIndex: Int? = nil) {
            self.name = name
            self.values = values
            self.colorIndex = colorIndex
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var series: [Series]
    public var bins: Int
    /// The binned range; nil spans the finite values.
    public var range: ClosedRange<Double>?
    /// Log-scale counts, so a few huge spikes do not flatten everything else.
    public var logarithmicY: Bool
    public var width: Int
    public var height: Int

    public init(title: String, xTitle: String, yTitle: String = "count", series: [Series], bins: Int = 50,
                range: ClosedRange<Double>? = nil, logarithmicY: Bool = false, width: Int = 1200, height: Int = 750) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.bins = max(1, bins)
        self.range = range
        self.logarithmicY = logarithmicY
        self.width = width
        self.height = height
    }

    /// A single-sample histogram.
    public init(title: String, xTitle: String, yTitle: String = "count", values: [Double], bins: Int = 50,
                range: ClosedRange<Double>? = nil, logarithmicY: Bool = false) {
        self.init(title: title, xTitle: xTitle, yTitle: yTitle, series: [Series(name: "", values: values)],
                  bins: bins, range: range, logarithmicY: logarithmicY)
    }

    /// Counts per bin; values outside the range and non-finite values are left out,
    /// the upper edge belongs to the last bin.
    static func counts(_ values: [Double], bins: Int, lower: Double, upper: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: bins)
        let binWidth = (upper - lower) / Double(bins)
        for value in values where value.isFinite && value >= lower && value <= upper {
            counts[min(bins - 1, Int((value - lower) / binWidth))] += 1
        }
        return counts
    }

    public func render() throws -> Picture {
        var (lower, upper) = range.map { ($0.lowerBound, $0.upperBound) }
            ?? PlotAxis.dataRange(series.flatMap(\.values), logarithmic: false, padding: 0)
        if lower == upper { (lower, upper) = (lower - 0.5, upper + 0.5) }
        let counts = series.map { Histogram.counts($0.values, bins: bins, lower: lower, upper: upper) }
        let highest = Double(counts.joined().max() ?? 0)
        // On a log axis bars start below one count so that single counts still show (the axis
        // then widens to its nearest tick, and bars start at the axis).
        let floor = logarithmicY ? 0.7 : 0
        let top = logarithmicY ? max(highest, 1) * 1.6 : max(highest, 1) * 1.05
        let colorIndices = series.indices.map { series[$0].colorIndex ?? $0 }
        let colors = colorIndices.map(Palette.color(forSeries:))
        let margin = (upper - lower) * 0.02
        let frame = PlotFrame(
            width: width, height: height, title: title,
            x: PlotAxis(title: xTitle, lower: lower - margin, upper: upper + margin),
            y: PlotAxis(title: yTitle, lower: floor, upper: top, isLogarithmic: logarithmicY),
            legend: zip(series, colorIndices).map { LegendItem(name: $0.name, colorIndex: $1, marker: .box) })
        let binWidth = (upper - lower) / Double(bins)
        // Translucent bars let overlapping samples show through each other.
        let opacity = series.count > 1 ? 0.55 : 0.85
        return try frame.render { layer in
            for (binCounts, color) in zip(counts, colors) {
                for (bin, count) in binCounts.enumerated() where count > 0 {
                    let topLeft = frame.point(lower + Double(bin) * binWidth, Double(count))
                    let bottomRight = frame.point(lower + Double(bin + 1) * binWidth, frame.y.lower)
                    var bar = CanvasRect(x: topLeft.x, y: topLeft.y, width: bottomRight.x - topLeft.x,
                                   height: bottomRight.y - topLeft.y)
                    if bar.width >= 8 {       // a hairline gap between wide bars
                        bar.x += 0.5
                        bar.width -= 1
                    }
                    layer.fill(bar, color: color, opacity: opacity)
                }
            }
        }
    }
}
