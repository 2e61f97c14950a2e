/// A grid of generated images with a caption strip, e.g. 8x8 Fashion-MNIST samples from a
/// fixed noise batch. Class-conditional grids can label their rows.
///
/// ```swift
/// let grid = try SampleGrid(pixels: samples, channels: 1, height: 28, width: 28, columns: 8,
///                           caption: "Ch11.2 minimax GAN — epoch 3, step 2811")
/// try grid.write(to: "figures/ch11_2_minimax_samples.png")
/// ```
public struct SampleGrid: Figure, Sendable {
    /// All images, each channels x height x width (CHW), values in [-1, 1].
    public let pixels: [Float]
    public let count: Int
    public let channels: Int
    public let imageHeight: Int
    public let imageWidth: Int
    public let rows: Int
    public let columns: Int
    /// Each image pixel becomes a scale x scale block.
    public let scale: Int
    public let caption: String
    public let rowLabels: [String]

    static let separator = 2
    static let margin = 16

    /// - Parameters:
    ///   - columns: images per row; by default a square-ish grid, or with `rowLabels`
    ///     as many columns as needed for one row per label.
    ///   - scale: nearest-neighbour magnification; by default about 112 pixels per image side
    ///     (4x for 28x28).
    public init(pixels: [Float], channels: Int = 1, height: Int, width: Int, columns: Int? = nil,
                scale: Int? = nil, caption: String = "", rowLabels: [String] = []) throws {
        guard channels == 1 || channels == 3 else {
            throw FigureError.invalidInput("sample grid images need 1 or 3 channels, got \(channels)")
        }
        let imageSize = channels * height * width
        guard height > 0, width > 0, !pixels.isEmpty, pixels.count % imageSize == 0 else {
            throw FigureError.invalidInput(
                "sample grid got \(pixels.count) values, not a whole number of \(channels)x\(height)x\(width) images")
        }
        self.pixels = pixels
        count = pixels.count / imageSize
        self.channels = channels
        imageHeight = height
        imageWidth = width
        let defaultColumns = rowLabels.isEmpty
            ? Int(Double(count).squareRoot().rounded(.up))
            : (count + rowLabels.count - 1) / rowLabels.count
        self.columns = max(1, columns ?? defaultColumns)
        rows = (count + self.columns - 1) / self.columns
        self.scale = max(1, scale ?? Int((112 / Double(max(height, width))).rounded()))
        self.caption = caption
        self.rowLabels = rowLabels
    }

    private var cellWidth: Int { imageWidth * scale }
    private var cellHeight: Int { imageHeight * scale }

    private var labelColumnWidth: Int {
        let widest = rowLabels.map(FigureFont.legend.width(of:)).max() ?? 0
        return rowLabels.isEmpty ? 0 : Int(widest.rounded(.up)) + SampleGrid.margin
    }

    private var gridWidth: Int { columns * cellWidth + (columns + 1) * SampleGrid.separator }
    private var gridHeight: Int { rows * cellHeight + (rows + 1) * SampleGrid.separator }
    private var captionHeight: Int { caption.isEmpty ? 0 : Int(FigureFont.caption.lineHeight) + SampleGrid.margin }

    /// Top-left pixel of image `index` in the rendered picture.
    func cellOrigin(index: Int) -> (x: Int, y: Int) {
        let row = index / columns, column = index % columns
        let gridLeft = gridLeft
        return (gridLeft + SampleGrid.separator + column * (cellWidth + SampleGrid.separator),
                SampleGrid.margin + SampleGrid.separator + row * (cellHeight + SampleGrid.separator))
    }

    /// The grid is centred when the caption is wider than it.
    private var gridLeft: Int {
        SampleGrid.margin + labelColumnWidth + max(0, (contentWidth - labelColumnWidth - gridWidth) / 2)
    }

    private var contentWidth: Int {
        max(labelColumnWidth + gridWidth, Int(FigureFont.caption.width(of: caption).rounded(.up)))
    }

    public func render() throws -> Picture {
        try FigureFont.ensureAvailable()
        let picture = Picture(width: contentWidth + 2 * SampleGrid.margin,
                              height: gridHeight + 2 * SampleGrid.margin + captionHeight)
        picture.fill(x: gridLeft, y: SampleGrid.margin, width: gridWidth, height: gridHeight, color: FigureStyle.separator)
        for index in 0..<count {
            drawImage(index, into: picture)
        }
        for (row, label) in rowLabels.prefix(rows).enumerated() {
            let centerY = cellOrigin(index: row * columns).y + cellHeight / 2
            picture.drawText(label, x: Double(gridLeft - SampleGrid.margin), y: Double(centerY), font: .legend,
                             alignment: .right)
        }
        let captionCenter = Double(contentWidth) / 2 + Double(SampleGrid.margin)
        picture.drawText(caption, x: captionCenter,
                         y: Double(SampleGrid.margin + gridHeight) + Double(captionHeight) / 2 + 4,
                         font: .caption, color: FigureStyle.mutedText, alignment: .center)
        return picture
    }

    /// Writes one upscaled image straight into libgd's pixel rows: this runs every epoch
    /// on tens of thousands of pixels.
    private func drawImage(_ index: Int, into picture: Picture) {
        let (left, top) = cellOrigin(index: index)
        let plane = imageHeight * imageWidth
        let start = index * channels * plane
        let rowsOfPixels = picture.image.pointee.tpixels!
        pixels.withUnsafeBufferPointer { values in
            for sourceY in 0..<imageHeight {
                for sourceX in 0..<imageWidth {
                    let offset = start + sourceY * imageWidth + sourceX
                    let red = SampleGrid.byte(values[offset])
                    let green = channels == 3 ? SampleGrid.byte(values[offset + plane]) : red
                    let blue = channels == 3 ? SampleGrid.byte(values[offset + 2 * plane]) : red
                    let color = Int32(red) << 16 | Int32(green) << 8 | Int32(blue)
                    for y in (top + sourceY * scale)..<(top + (sourceY + 1) * scale) {
                        let row = rowsOfPixels[y]!
                        for x in (left + sourceX * scale)..<(left + (sourceX + 1) * scale) {
                            row[x] = color
                        }
                    }
                }
            }
        }
    }

    /// Maps [-1, 1] to 0...255; out-of-range values are clamped and NaN shows as black.
    static func byte(_ value: Float) -> UInt8 {
        guard !value.isNaN else { return 0 }
        return UInt8(((min(max(value, -1), 1) + 1) * 127.5).rounded())
    }
}
