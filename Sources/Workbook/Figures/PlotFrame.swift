import Foundation

/// A colour bar beside the plot explaining a heat map.
struct ColorBar: Sendable {
    var colorMap: ColorMap
    var lower: Double
    var upper: Double
    var title: String
    var opacity: Double

    func color(for value: Double) -> Color {
        colorMap.color(at: (value - lower) / (upper - lower)).mixed(with: .white, amount: 1 - opacity)
    }
}

/// Everything around the data of a 2-D plot: title, legend, axes with ticks and grid,
/// axis titles and an optional colour bar. It lays these out so that nothing is clipped
/// and the legend sits above the data instead of covering it.
struct PlotFrame {
    let width: Int
    let height: Int
    let title: String
    private(set) var x: PlotAxis
    private(set) var y: PlotAxis
    let colorBar: ColorBar?

    /// Where the data goes, in figure pixels.
    private(set) var plotArea = CanvasRect(x: 0, y: 0, width: 1, height: 1)
    private var legend: Legend?
    private var legendTop = 0.0
    private var yLabelWidth = 0.0
    private var colorBarTicks: (values: [Double], labels: [String]) = ([], [])

    private static let tickLength = 8.0
    private static let tickGap = 6.0
    private static let colorBarGap = 28.0
    private static let colorBarWidth = 26.0

    /// - Parameters:
    ///   - legend: shown when it has more than one item.
    ///   - equalAspect: one data unit is as long on x as on y (for 2-D point clouds).
    init(width: Int, height: Int, title: String, x: PlotAxis, y: PlotAxis,
         legend: [LegendItem] = [], colorBar: ColorBar? = nil, equalAspect: Bool = false) {
        self.width = width
        self.height = height
        self.title = title
        self.x = x
        self.y = y
        self.colorBar = colorBar
        layOut(legendItems: legend.count > 1 ? legend : [], equalAspect: equalAspect)
    }

    private mutating func layOut(legendItems: [LegendItem], equalAspect: Bool) {
        let padding = FigureStyle.padding
        let tickFont = FigureFont.tickLabel, axisFont = FigureFont.axisTitle

        if y.ticks.isEmpty { y.placeTicks(target: max(3, (height - 220) / 110)) }
        yLabelWidth = y.labels.map(tickFont.width(of:)).max() ?? 0
        var left = padding + yLabelWidth + PlotFrame.tickLength + PlotFrame.tickGap
        if !y.title.isEmpty { left += axisFont.lineHeight + 10 }

        var right = padding
        if let colorBar {
            colorBarTicks = PlotAxis.linearTicks(lower: colorBar.lower, upper: colorBar.upper, target: 5)
            // Room for labels as wide as "-0.0000" whatever this bar's are, so that panels in a
            // grid with different colour bars keep plot areas of one size.
            let labelWidth = max(colorBarTicks.labels.map(tickFont.width(of:)).max() ?? 0,
                                 tickFont.width(of: "-0.0000"))
            right += PlotFrame.colorBarGap + PlotFrame.colorBarWidth + PlotFrame.tickGap + 6 + labelWidth
            if !colorBar.title.isEmpty { right += 12 + axisFont.lineHeight }
        }

        // x ticks: as many as fit without their labels touching.
        let estimatedWidth = Double(width) - left - right - 30
        if x.ticks.isEmpty {
            var target = max(2, Int(estimatedWidth / 150))
            repeat {
                x.placeTicks(target: target)
                target -= 1
            } while target >= 2 && Double(x.labels.count) * ((x.labels.map(tickFont.width(of:)).max() ?? 0) + 28)
                > estimatedWidth
        }
        // The last x label is centred on the right edge of the plot: leave room for its half.
        let lastLabelHalf = (x.labels.last.map(tickFont.width(of:)) ?? 0) / 2
        right = max(right, padding + lastLabelHalf)

        var top = padding
        if !title.isEmpty { top += FigureFont.title.lineHeight + 10 }
        if !legendItems.isEmpty {
            let legend = Legend(items: legendItems, width: Int(Double(width) - left - right))
            legendTop = top
            top += Double(legend.height) + 14
            self.legend = legend
        }

        var bottom = padding + PlotFrame.tickLength + PlotFrame.tickGap + tickFont.lineHeight
        if !x.title.isEmpty { bottom += axisFont.lineHeight + 6 }

        plotArea = CanvasRect(x: left, y: top, width: Double(width) - left - right,
                              height: Double(height) - top - bottom)
        if equalAspect { shrinkToEqualAspect() }
    }

    /// Narrows or flattens the plot area, keeping it centred, so that both axes have the
    /// same scale.
    private mutating func shrinkToEqualAspect() {
        let dataRatio = (y.upper - y.lower) / (x.upper - x.lower)
        guard dataRatio.isFinite, dataRatio > 0 else { return }
        let areaRatio = plotArea.height / plotArea.width
        if areaRatio > dataRatio {
            let newHeight = plotArea.width * dataRatio
            plotArea.y += (plotArea.height - newHeight) / 2
            plotArea.height = newHeight
        } else {
            let newWidth = plotArea.height / dataRatio
            plotArea.x += (plotArea.width - newWidth) / 2
            plotArea.width = newWidth
        }
    }

    private var colorBarArea: CanvasRect {
        CanvasRect(x: plotArea.maxX + PlotFrame.colorBarGap, y: plotArea.y, width: PlotFrame.colorBarWidth,
                   height: plotArea.height)
    }

    /// Figure position of a data point.
    func point(_ dataX: Double, _ dataY: Double) -> CanvasPoint {
        CanvasPoint(x: plotArea.x + x.fraction(dataX) * plotArea.width,
                    y: plotArea.maxY - y.fraction(dataY) * plotArea.height)
    }

    /// Draws the frame, lets `drawData` draw inside the plot area (clipped to it), and
    /// returns the finished picture with all text on top.
    func render(drawData: (ShapeLayer) -> Void) throws -> Picture {
        try FigureFont.ensureAvailable()
        let layer = ShapeLayer(width: width, height: height)
        drawGrid(on: layer)
        layer.clip(to: plotArea)
        drawData(layer)
        layer.clip(to: nil)
        drawAxes(on: layer)
        drawColorBar(on: layer)
        let picture = layer.downsampled()
        if let legend {
            picture.draw(legend.render(), x: Int(plotArea.midX) - legend.width / 2, y: Int(legendTop))
        }
        drawText(on: picture)
        return picture
    }

    // Tick positions are snapped to whole pixels so the thin grid lines stay sharp.
    private func xTickPositions() -> [Double] {
        x.ticks.map { (plotArea.x + x.fraction($0) * plotArea.width).rounded() }
    }

    private func yTickPositions() -> [Double] {
        y.ticks.map { (plotArea.maxY - y.fraction($0) * plotArea.height).rounded() }
    }

    private func drawGrid(on layer: ShapeLayer) {
        let half = FigureStyle.gridWidth / 2
        if x.showsGrid {
            for position in xTickPositions() {
                layer.fill(CanvasRect(x: position - half, y: plotArea.y, width: FigureStyle.gridWidth,
                                      height: plotArea.height),
                           color: FigureStyle.grid)
            }
        }
        if y.showsGrid {
            for position in yTickPositions() {
                layer.fill(CanvasRect(x: plotArea.x, y: position - half, width: plotArea.width,
                                      height: FigureStyle.gridWidth),
                           color: FigureStyle.grid)
            }
        }
    }

    private func drawAxes(on layer: ShapeLayer) {
        let axisWidth = 2.0, color = FigureStyle.axisLine
        let left = plotArea.x.rounded(), bottom = plotArea.maxY.rounded()
        layer.fill(CanvasRect(x: left - axisWidth, y: plotArea.y, width: axisWidth,
                              height: bottom - plotArea.y + axisWidth), color: color)
        layer.fill(CanvasRect(x: left - axisWidth, y: bottom, width: plotArea.maxX - left + axisWidth,
                              height: axisWidth), color: color)
        for position in xTickPositions() {
            layer.fill(CanvasRect(x: position - axisWidth / 2, y: bottom, width: axisWidth,
                                  height: PlotFrame.tickLength), color: color)
        }
        for position in yTickPositions() {
            layer.fill(CanvasRect(x: left - PlotFrame.tickLength, y: position - axisWidth / 2,
                                  width: PlotFrame.tickLength, height: axisWidth), color: color)
        }
    }

    private func drawColorBar(on layer: ShapeLayer) {
        guard let colorBar else { return }
        let area = colorBarArea
        let steps = Int(area.height)
        for step in 0..<steps {
            let value = colorBar.upper - (Double(step) + 0.5) / Double(steps) * (colorBar.upper - colorBar.lower)
            layer.fill(CanvasRect(x: area.x, y: area.y + Double(step), width: area.width, height: 1),
                       color: colorBar.color(for: value))
        }
        for position in colorBarTickPositions() {
            layer.fill(CanvasRect(x: area.maxX, y: position - 1, width: PlotFrame.tickGap, height: 2),
                       color: FigureStyle.axisLine)
        }
    }

    private func colorBarTickPositions() -> [Double] {
        guard let colorBar else { return [] }
        let area = colorBarArea
        return colorBarTicks.values.map {
            (area.maxY - ($0 - colorBar.lower) / (colorBar.upper - colorBar.lower) * area.height).rounded()
        }
    }

    private func drawText(on picture: Picture) {
        let tickFont = FigureFont.tickLabel, axisFont = FigureFont.axisTitle
        let labelColor = FigureStyle.mutedText
        if !title.isEmpty {
            // Centred over the plot, but shifted back inside the figure when it is long.
            let half = FigureFont.title.width(of: title) / 2, padding = FigureStyle.padding
            let center = min(max(plotArea.midX, padding + half), Double(width) - padding - half)
            picture.drawText(title, x: center, y: padding + FigureFont.title.capHeight / 2 + 4,
                             font: .title, alignment: .center)
        }
        let xLabelsCenterY = plotArea.maxY + PlotFrame.tickLength + PlotFrame.tickGap + tickFont.capHeight / 2 + 2
        for (label, position) in zip(x.labels, xTickPositions()) {
            picture.drawText(label, x: position, y: xLabelsCenterY, font: tickFont, color: labelColor,
                             alignment: .center)
        }
        let yLabelsRight = plotArea.x - PlotFrame.tickLength - PlotFrame.tickGap
        for (label, position) in zip(y.labels, yTickPositions()) {
            picture.drawText(label, x: yLabelsRight, y: position, font: tickFont, color: labelColor,
                             alignment: .right)
        }
        picture.drawText(x.title, x: plotArea.midX,
                         y: xLabelsCenterY + tickFont.lineHeight / 2 + 6 + axisFont.lineHeight / 2 + 6,
                         font: axisFont, alignment: .center)
        picture.drawText(y.title, x: yLabelsRight - yLabelWidth - 10 - axisFont.lineHeight / 2, y: plotArea.midY,
                         font: axisFont, rotated: true)
        if let colorBar {
            let area = colorBarArea
            for (label, position) in zip(colorBarTicks.labels, colorBarTickPositions()) {
                picture.drawText(label, x: area.maxX + PlotFrame.tickGap + 6, y: position, font: tickFont,
                                 color: labelColor)
            }
            picture.drawText(colorBar.title, x: Double(width) - FigureStyle.padding - axisFont.lineHeight / 2,
                             y: area.midY, font: axisFont, rotated: true)
        }
    }
}
