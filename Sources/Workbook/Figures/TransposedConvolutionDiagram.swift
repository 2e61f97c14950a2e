/// A diagram of the transposed-convolution size formula
/// out = (in − 1)·s − 2p + k + output_padding, drawn as what the layer computes: the input's
/// pixels spread s apart (s − 1 zeros between), a border of k − 1 − p zeros, and an ordinary
/// stride-1 convolution with a k×k kernel sliding over the result.
public struct TransposedConvolutionDiagram: Figure, Sendable {
    public let inputSize: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int
    /// A note under the formula, e.g. where the layer appears in a network.
    public let note: String

    public init(inputSize: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int = 0,
                note: String = "") throws {
        guard inputSize > 0, inputSize <= 26, stride > 0, kernelSize > padding, outputPadding < stride else {
            throw FigureError.invalidInput(
                "a transposed-convolution diagram needs 1…26 input pixels, stride ≥ 1, p < k and output padding < s")
        }
        (self.inputSize, self.kernelSize, self.stride, self.padding, self.outputPadding) =
            (inputSize, kernelSize, stride, padding, outputPadding)
        self.note = note
    }

    /// The formula.
    public var outputSize: Int { (inputSize - 1) * stride - 2 * padding + kernelSize + outputPadding }
    /// The zero-border around the spread-out input.
    var border: Int { kernelSize - 1 - padding }
    /// Side of the spread-out, bordered grid the kernel slides over.
    var spreadSize: Int { (inputSize - 1) * stride + 1 + 2 * border + outputPadding }

    static let width = 1400, height = 760
    static let inputCell = 56.0, spreadCell = 40.0, outputCell = 48.0
    static let panelTop = 150.0

    public func render() throws -> Picture {
        try FigureFont.ensureAvailable()
        let layer = ShapeLayer(width: Self.width, height: Self.height)
        let sizes = [Double(inputSize) * Self.inputCell, Double(spreadSize) * Self.spreadCell,
                     Double(outputSize) * Self.outputCell]
        let arrowGap = 150.0
        var left = (Double(Self.width) - sizes.reduce(0, +) - 2 * arrowGap) / 2
        var panels: [CanvasRect] = []
        for size in sizes {
            let top = Self.panelTop + (sizes.max()! - size) / 2
            panels.append(CanvasRect(x: left, y: top, width: size, height: size))
            left += size + arrowGap
        }
        let inputColor = Palette.color(forSeries: 0), kernelColor = Palette.color(forSeries: 1)
        let outputColor = Palette.color(forSeries: 2)

        drawCells(inputSize, in: panels[0], on: layer) { _, _ in inputColor.mixed(with: .white, amount: 0.55) }
        drawCells(spreadSize, in: panels[1], on: layer) { row, column in
            inputPosition(row, column) != nil ? inputColor.mixed(with: .white, amount: 0.55)
                : isBorder(row, column) ? Color(hex: 0xEEEEEE) : .white
        }
        drawCells(outputSize, in: panels[2], on: layer) { row, column in
            row == 0 && column == 0 ? kernelColor.mixed(with: .white, amount: 0.3) : outputColor.mixed(with: .white, amount: 0.7)
        }
        // The kernel's first position, and the output pixel it makes.
        let kernel = Double(kernelSize) * Self.spreadCell
        outline(CanvasRect(x: panels[1].x, y: panels[1].y, width: kernel, height: kernel), color: kernelColor, on: layer)
        for (from, to) in [(panels[0], panels[1]), (panels[1], panels[2])] {
            arrow(from: CanvasPoint(x: from.maxX + 24, y: from.midY), to: CanvasPoint(x: to.x - 24, y: to.midY), on: layer)
        }

        let picture = layer.downsampled()
        labelCells(panels[0], cell: Self.inputCell, on: picture) { row, column in row * inputSize + column }
        labelCells(panels[1], cell: Self.spreadCell, on: picture) { inputPosition($0, $1) }
        drawText(on: picture, panels: panels)
        return picture
    }

    /// The input pixel (row-major index) that lands on this cell of the spread grid, if any.
    private func inputPosition(_ row: Int, _ column: Int) -> Int? {
        let (r, c) = (row - border, column - border)
        guard r >= 0, c >= 0, r % stride == 0, c % stride == 0, r / stride < inputSize, c / stride < inputSize
        else { return nil }
        return (r / stride) * inputSize + c / stride
    }

    private func isBorder(_ row: Int, _ column: Int) -> Bool {
        let inner = (border)..<(spreadSize - border - outputPadding)
        return !inner.contains(row) || !inner.contains(column)
    }

    private func drawCells(_ count: Int, in rect: CanvasRect, on layer: ShapeLayer, color: (Int, Int) -> Color) {
        let cell = rect.width / Double(count)
        layer.fill(rect, color: FigureStyle.axisLine)
        for row in 0..<count {
            for column in 0..<count {
                layer.fill(CanvasRect(x: rect.x + Double(column) * cell + 1, y: rect.y + Double(row) * cell + 1,
                                      width: cell - 2, height: cell - 2), color: color(row, column))
            }
        }
    }

    private func outline(_ rect: CanvasRect, color: Color, on layer: ShapeLayer) {
        let corners = [CanvasPoint(x: rect.x, y: rect.y), CanvasPoint(x: rect.maxX, y: rect.y),
                       CanvasPoint(x: rect.maxX, y: rect.maxY), CanvasPoint(x: rect.x, y: rect.maxY),
                       CanvasPoint(x: rect.x, y: rect.y)]
        layer.polyline(corners, color: color, width: 6)
    }

    private func arrow(from start: CanvasPoint, to end: CanvasPoint, on layer: ShapeLayer) {
        layer.line(from: start, to: end, color: FigureStyle.axisLine, width: FigureStyle.lineWidth)
        for dy in [-12.0, 12.0] {
            layer.line(from: CanvasPoint(x: end.x - 16, y: end.y + dy), to: end, color: FigureStyle.axisLine,
                       width: FigureStyle.lineWidth)
        }
    }

    /// Letters a, b, c, … on the input pixels, so they can be found again in the spread grid.
    private func labelCells(_ rect: CanvasRect, cell: Double, on picture: Picture, index: (Int, Int) -> Int?) {
        let count = Int((rect.width / cell).rounded())
        for row in 0..<count {
            for column in 0..<count {
                guard let index = index(row, column), let letter = UnicodeScalar(97 + index % 26) else { continue }
                picture.drawText(String(Character(letter)), x: rect.x + (Double(column) + 0.5) * cell,
                                 y: rect.y + (Double(row) + 0.45) * cell, font: .legend, alignment: .center)
            }
        }
    }

    private func drawText(on picture: Picture, panels: [CanvasRect]) {
        let center = Double(Self.width) / 2
        picture.drawText("Transposed convolution: k = \(kernelSize), s = \(stride), p = \(padding)",
                         x: center, y: 44, font: .title, alignment: .center)
        let below = panels.map(\.maxY).max()! + 44
        let captions = [
            ["input", "\(inputSize)×\(inputSize)"],
            ["\(stride - 1) \(stride == 2 ? "zero" : "zeros") between pixels (s − 1),", "border of \(border) (k − 1 − p)"],
            ["output", "\(outputSize)×\(outputSize)"],
        ]
        for (panel, lines) in zip(panels, captions) {
            for (line, text) in lines.enumerated() {
                picture.drawText(text, x: panel.midX, y: below + Double(line) * FigureFont.axisTitle.lineHeight,
                                 font: .axisTitle, alignment: .center)
            }
        }
        picture.drawText("slide a \(kernelSize)×\(kernelSize) kernel, stride 1", x: (panels[1].maxX + panels[2].x) / 2,
                         y: Self.panelTop - 40, font: .legend, color: Palette.color(forSeries: 1), alignment: .center)
        let formula = "out = (in − 1)·s − 2p + k + output_padding = (\(inputSize) − 1)·\(stride) − 2·\(padding) + \(kernelSize)"
            + " + \(outputPadding) = \(outputSize)"
        picture.drawText(formula, x: center, y: Double(Self.height) - 110, font: .axisTitle, alignment: .center)
        picture.drawText(note, x: center, y: Double(Self.height) - 60, font: .legend, color: FigureStyle.mutedText,
                         alignment: .center)
    }
}
