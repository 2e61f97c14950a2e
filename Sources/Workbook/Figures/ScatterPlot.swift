/// Values on a regular grid over a scatter plot's axes box, e.g. the discriminator's
/// output D(x, y), drawn under the points.
public struct HeatMap: Sendable {
    /// rows x columns values, row-major; row 0 is the bottom (lowest y), column 0 the left.
    public var values: [Double]
    public var rows: Int
    public var columns: Int
    public var colorMap: ColorMap
    /// Values mapped to the ends of the colour map; nil spans the finite values.
    public var range: ClosedRange<Double>?
    /// Title of the colour bar, e.g. "D(x)".
    public var title: String
    /// Washing the colours towards white keeps the points on top readable.
    public var opacity: Double

    public init(values: [Double], rows: Int, columns: Int, colorMap: ColorMap = .viridis,
                range: ClosedRange<Double>? = nil, title: String = "", opacity: Double = 0.6) {
        self.values = values
        self.rows = rows
        self.columns = columns
        self.colorMap = colorMap
        self.range = range
        self.title = title
        self.opacity = opacity
    }
}

/// Points of 2-D toy data, real and generated, over fixed axes limits (equal scale on both
/// axes), an optional heat map under them and optional curves over them (e.g. a Gaussian's
/// contour).
public struct ScatterPlot: Figure, Sendable {
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var colorIndex: Int?

        public init(name: String, x: [Double], y: [Double], colorIndex: Int? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.colorIndex = colorIndex
        }

        /// Points given as interleaved pairs x0, y0, x1, y1, ... (an N x 2 tensor's storage).
        public init(name: String, interleaved pairs: [Float], colorIndex: Int? = nil) {
            let count = pairs.count / 2
            self.init(name: name, x: (0..<count).map { Double(pairs[2 * $0]) },
                      y: (0..<count).map { Double(pairs[2 * $0 + 1]) }, colorIndex: colorIndex)
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var series: [Series]
    /// Drawn as lines through their points, in order, over the dots.
    public var curves: [Series]
    public var heatMap: HeatMap?
    public var dotRadius: Double
    public var dotOpacity: Double
    /// Off for panels in a grid that shows one shared legend.
    public var showsLegend: Bool
    public var width: Int
    public var height: Int

    public init(title: String = "", xTitle: String = "", yTitle: String = "", xRange: ClosedRange<Double>,
                yRange: ClosedRange<Double>, series: [Series], curves: [Series] = [], heatMap: HeatMap? = nil,
                dotRadius: Double = 3,
                dotOpacity: Double = 0.5, showsLegend: Bool = true, width: Int = 800, height: Int = 800) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.xRange = xRange
        self.yRange = yRange
        self.series = series
        self.curves = curves
        self.heatMap = heatMap
        self.dotRadius = dotRadius
        self.dotOpacity = dotOpacity
        self.showsLegend = showsLegend
        self.width = width
        self.height = height
    }

    public func render() throws -> Picture {
        if let heatMap, heatMap.values.count != heatMap.rows * heatMap.columns {
            throw FigureError.invalidInput(
                "heat map has \(heatMap.values.count) values for \(heatMap.rows)x\(heatMap.columns) cells")
        }
        let colorIndices = series.indices.map { series[$0].colorIndex ?? $0 }
        let colors = colorIndices.map(Palette.color(forSeries:))
        let colorBar = heatMap.map { map in
            let (lower, upper) = map.range.map { ($0.lowerBound, $0.upperBound) }
                ?? PlotAxis.dataRange(map.values, logarithmic: false, padding: 0)
            return ColorBar(colorMap: map.colorMap, lower: lower, upper: upper, title: map.title, opacity: map.opacity)
        }
        let curveColorIndices = curves.indices.map { curves[$0].colorIndex ?? (series.count + $0) }
        let legend = zip(series, colorIndices).map { LegendItem(name: $0.name, colorIndex: $1, marker: .dot) }
            + zip(curves, curveColorIndices).map { LegendItem(name: $0.name, colorIndex: $1, marker: .line) }
        let frame = PlotFrame(
            width: width, height: height, title: title,
            x: PlotAxis(title: xTitle, lower: xRange.lowerBound, upper: xRange.upperBound),
            y: PlotAxis(title: yTitle, lower: yRange.lowerBound, upper: yRange.upperBound),
            legend: showsLegend ? legend : [],
            colorBar: colorBar, equalAspect: true)
        return try frame.render { layer in
            if let heatMap, let colorBar {
                drawHeatMap(heatMap, colorBar: colorBar, frame: frame, on: layer)
            }
            for (series, color) in zip(series, colors) {
                for (x, y) in zip(series.x, series.y) where x.isFinite && y.isFinite {
                    layer.dot(at: frame.point(x, y), radius: dotRadius, color: color, opacity: dotOpacity)
                }
            }
            for (curve, colorIndex) in zip(curves, curveColorIndices) {
                let points = zip(curve.x, curve.y).filter { $0.isFinite && $1.isFinite }.map { frame.point($0, $1) }
                // A white halo keeps the line visible over dots of its own colour.
                layer.polyline(points, color: .white, width: 2 * FigureStyle.lineWidth)
                layer.polyline(points, color: Palette.color(forSeries: colorIndex), width: FigureStyle.lineWidth)
            }
        }
    }

    private func drawHeatMap(_ heatMap: HeatMap, colorBar: ColorBar, frame: PlotFrame, on layer: ShapeLayer) {
        let area = frame.plotArea
        let cellWidth = area.width / Double(heatMap.columns), cellHeight = area.height / Double(heatMap.rows)
        for row in 0..<heatMap.rows {
            for column in 0..<heatMap.columns {
                let value = heatMap.values[row * heatMap.columns + column]
                // Cells overlap by a hair so rounding never leaves a white seam between them.
                layer.fill(CanvasRect(x: area.x + Double(column) * cellWidth, y: area.maxY - Double(row + 1) * cellHeight,
                                      width: cellWidth + 0.01, height: cellHeight + 0.01),
                           color: colorBar.color(for: value))
            }
        }
    }
}
