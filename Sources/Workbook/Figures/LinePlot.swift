/// A line chart of one or more series, e.g. generator and discriminator losses per step.
///
/// ```swift
/// let plot = LinePlot(title: "Minimax GAN losses", xTitle: "step", yTitle: "loss",
///                     series: [.init(name: "generator", x: steps, y: gLoss, smoothing: 0.98),
///                              .init(name: "discriminator", x: steps, y: dLoss, smoothing: 0.98)])
/// try plot.write(to: "figures/ch11_2_minimax_losses.png")
/// ```
public struct LinePlot: Figure, Sendable {
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Smoothing weight in [0, 1): when set, the raw values are drawn faint and a smoothed
        /// line over them, an exponential average run forwards and then backwards (weight 0.9
        /// averages about ten points on either side), so that its peaks sit over the raw ones.
        public var smoothing: Double?
        /// Palette position; nil means the series' position in the plot.
        public var colorIndex: Int?

        public init(name: String, x: [Double], y: [Double], smoothing: Double? = nil, colorIndex: Int? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.smoothing = smoothing
            self.colorIndex = colorIndex
        }

        /// A series against its index (step 0, 1, 2, ...).
        public init(name: String, values: [Double], smoothing: Double? = nil, colorIndex: Int? = nil) {
            self.init(name: name, x: values.indices.map(Double.init), y: values, smoothing: smoothing,
                      colorIndex: colorIndex)
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var series: [Series]
    public var logarithmicY: Bool
    /// Fixed axis limits; nil fits the data.
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?
    public var width: Int
    public var height: Int

    public init(title: String, xTitle: String, yTitle: String, series: [Series], logarithmicY: Bool = false,
                xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                width: Int = 1200, height: Int = 750) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.logarithmicY = logarithmicY
        self.xRange = xRange
        self.yRange = yRange
        self.width = width
        self.height = height
    }

    public func render() throws -> Picture {
        let xs = series.flatMap(\.x)
        let ys = series.flatMap(\.y)
        let (xLow, xHigh) = xRange.map { ($0.lowerBound, $0.upperBound) }
            ?? PlotAxis.dataRange(xs, logarithmic: false, padding: 0)
        let (yLow, yHigh) = yRange.map { ($0.lowerBound, $0.upperBound) }
            // A log axis needs no padding: it widens to the ticks around the data anyway.
            ?? PlotAxis.dataRange(ys, logarithmic: logarithmicY, padding: logarithmicY ? 0 : 0.05)
        let colorIndices = series.indices.map { series[$0].colorIndex ?? $0 }
        let colors = colorIndices.map(Palette.color(forSeries:))
        let frame = PlotFrame(
            width: width, height: height, title: title,
            x: PlotAxis(title: xTitle, lower: xLow, upper: xHigh),
            y: PlotAxis(title: yTitle, lower: yLow, upper: yHigh, isLogarithmic: logarithmicY),
            legend: zip(series, colorIndices).map { LegendItem(name: $0.name, colorIndex: $1, marker: .line) })
        return try frame.render { layer in
            // Faint raw lines first, so that no smoothed line is hidden under another series' noise.
            for (series, color) in zip(series, colors) where series.smoothing != nil {
                for piece in pieces(x: series.x, y: series.y, frame: frame) {
                    layer.polyline(piece, color: color.mixed(with: .white, amount: FigureStyle.faintAmount),
                                   width: FigureStyle.faintLineWidth)
                }
            }
            for (series, color) in zip(series, colors) {
                let y = series.smoothing.map { LinePlot.zeroPhaseSmoothing(series.y, weight: $0) } ?? series.y
                for piece in pieces(x: series.x, y: y, frame: frame) {
                    layer.polyline(piece, color: color, width: FigureStyle.lineWidth)
                }
            }
        }
    }

    /// The drawable runs of a series: points that are not finite (or not positive on a log
    /// axis) break the line instead of being drawn.
    private func pieces(x: [Double], y: [Double], frame: PlotFrame) -> [[CanvasPoint]] {
        var pieces: [[CanvasPoint]] = [[]]
        for (xValue, yValue) in zip(x, y) {
            let usable = xValue.isFinite && yValue.isFinite && (!logarithmicY || yValue > 0)
            if usable {
                pieces[pieces.count - 1].append(frame.point(xValue, yValue))
            } else if !pieces[pieces.count - 1].isEmpty {
                pieces.append([])
            }
        }
        return pieces.filter { !$0.isEmpty }
    }

    /// A centred smoother: the exponential moving average run forwards and then backwards
    /// over its own output. A one-way average lags the data by about 1/(1 − weight) points, so
    /// its peaks come late; the two passes' lags cancel (a symmetric, zero-phase filter).
    /// Non-finite values are carried over as they are and do not disturb the average.
    static func zeroPhaseSmoothing(_ values: [Double], weight: Double) -> [Double] {
        let forwards = exponentialMovingAverage(values, weight: weight)
        return exponentialMovingAverage(forwards.reversed(), weight: weight).reversed()
    }

    /// Exponential moving average with bias correction (as TensorBoard does), so that the
    /// first smoothed values are not pulled towards zero. Non-finite values are carried over
    /// as they are and do not disturb the average.
    static func exponentialMovingAverage(_ values: [Double], weight: Double) -> [Double] {
        let weight = min(max(weight, 0), 0.9999)
        var average = 0.0, correction = 1.0
        return values.map { value in
            guard value.isFinite else { return value }
            average = weight * average + (1 - weight) * value
            correction *= weight
            return average / (1 - correction)
        }
    }
}
