import Foundation

/// Horizontal bars with optional error bars, e.g. a leaderboard of FID per method.
/// Horizontal so that long method names stay readable.
public struct BarChart: Figure, Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// Half-length of the error bar (e.g. one standard deviation); nil draws none.
        public var error: Double?
        public var colorIndex: Int

        public init(label: String, value: Double, error: Double? = nil, colorIndex: Int = 0) {
            self.label = label
            self.value = value
            self.error = error
            self.colorIndex = colorIndex
        }
    }

    public var title: String
    /// Title of the value axis, e.g. "FID (lower is better)".
    public var valueTitle: String
    /// Drawn top to bottom in this order.
    public var bars: [Bar]
    public var width: Int
    /// nil: tall enough for the bars.
    public var height: Int?
    /// Decimals of every value label, so that a column of scores reads at one precision
    /// (and matches a table beside it); nil gives each value three significant digits.
    public var decimals: Int?

    public init(title: String, valueTitle: String, bars: [Bar], width: Int = 1200, height: Int? = nil,
                decimals: Int? = nil) {
        self.decimals = decimals
        self.title = title
        self.valueTitle = valueTitle
        self.bars = bars
        self.width = width
        self.height = height
    }

    public func render() throws -> Picture {
        let finite = bars.filter { $0.value.isFinite }
        let ends = finite.flatMap { bar in [bar.value, bar.value - (bar.error ?? 0), bar.value + (bar.error ?? 0)] }
        var lower = min(0, ends.min() ?? 0), upper = max(0, ends.max() ?? 1)
        if lower == upper { upper = 1 }
        // Room beyond the longest bars for their value labels.
        let span = upper - lower
        if upper > 0 { upper += span * 0.12 }
        if lower < 0 { lower -= span * 0.12 }
        // Categories: bar i sits at y = count - 1 - i so the first bar is at the top.
        var categories = PlotAxis(title: "", lower: -0.5, upper: Double(bars.count) - 0.5)
        categories.ticks = bars.indices.map { Double(bars.count - 1 - $0) }
        categories.labels = bars.map(\.label)
        categories.showsGrid = false
        let frame = PlotFrame(width: width, height: height ?? (230 + 70 * bars.count), title: title,
                              x: PlotAxis(title: valueTitle, lower: lower, upper: upper), y: categories)
        var valueLabels: [(text: String, at: CanvasPoint, alignment: TextAlignment)] = []
        let picture = try frame.render { layer in
            for (index, bar) in bars.enumerated() where bar.value.isFinite {
                let slot = Double(bars.count - 1 - index)
                let start = frame.point(0, slot + 0.32), end = frame.point(bar.value, slot - 0.32)
                layer.fill(CanvasRect(x: min(start.x, end.x), y: start.y, width: abs(end.x - start.x), height: end.y - start.y),
                           color: Palette.color(forSeries: bar.colorIndex))
                var outer = bar.value
                if let error = bar.error, error.isFinite {
                    drawErrorBar(center: bar.value, error: error, slot: slot, frame: frame, on: layer)
                    outer += bar.value < 0 ? -error : error
                }
                let anchor = frame.point(outer, slot)
                valueLabels.append((BarChart.format(bar.value, decimals: decimals),
                                    CanvasPoint(x: anchor.x + (bar.value < 0 ? -10 : 10), y: anchor.y),
                                    bar.value < 0 ? .right : .left))
            }
        }
        for label in valueLabels {
            picture.drawText(label.text, x: label.at.x, y: label.at.y, font: .tickLabel, alignment: label.alignment)
        }
        return picture
    }

    private func drawErrorBar(center: Double, error: Double, slot: Double, frame: PlotFrame, on layer: ShapeLayer) {
        let color = FigureStyle.text, width = 2.5
        let low = frame.point(center - error, slot), high = frame.point(center + error, slot)
        let capHalf = 12.0
        layer.line(from: low, to: high, color: color, width: width)
        for end in [low, high] {
            layer.line(from: CanvasPoint(x: end.x, y: end.y - capHalf), to: CanvasPoint(x: end.x, y: end.y + capHalf),
                       color: color, width: width)
        }
    }

    /// `decimals` decimals, or else three significant digits, without a trailing exponent for
    /// everyday magnitudes.
    static func format(_ value: Double, decimals: Int? = nil) -> String {
        if let decimals { return String(format: "%.\(decimals)f", value) }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) { return String(format: "%.2e", value) }
        let decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
        return String(format: "%.\(decimals)f", value)
    }
}
