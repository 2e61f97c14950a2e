/// How a legend item shows its series.
public enum LegendMarker: Sendable {
    case line, box, dot
}

/// One legend item: a marker in a palette colour and a name.
public struct LegendItem: Sendable {
    public var name: String
    public var colorIndex: Int
    public var marker: LegendMarker

    public init(name: String, colorIndex: Int, marker: LegendMarker) {
        self.name = name
        self.colorIndex = colorIndex
        self.marker = marker
    }
}

/// A legend set in centred rows, wrapping when the items do not fit in `width`.
struct Legend {
    let items: [LegendItem]
    let width: Int
    private var placements: [(item: LegendItem, x: Double, centerY: Double)] = []
    private(set) var height = 0

    private static let markerWidth = 36.0
    private static let markerGap = 10.0
    private static let itemSpacing = 34.0
    private static let font = FigureFont.legend

    init(items: [LegendItem], width: Int) {
        self.items = items
        self.width = width
        guard !items.isEmpty else { return }
        let itemWidths = items.map { Legend.markerWidth + Legend.markerGap + Legend.font.width(of: $0.name) }
        var rows: [[Int]] = [[]]
        var rowWidth = 0.0
        for (index, itemWidth) in itemWidths.enumerated() {
            let needed = rowWidth == 0 ? itemWidth : rowWidth + Legend.itemSpacing + itemWidth
            if rowWidth > 0 && needed > Double(width) {
                rows.append([index])
                rowWidth = itemWidth
            } else {
                rows[rows.count - 1].append(index)
                rowWidth = needed
            }
        }
        for (rowNumber, row) in rows.enumerated() {
            let used = row.map { itemWidths[$0] }.reduce(0, +) + Legend.itemSpacing * Double(row.count - 1)
            var x = (Double(width) - used) / 2
            let centerY = Legend.font.lineHeight * (Double(rowNumber) + 0.5)
            for index in row {
                placements.append((items[index], x, centerY))
                x += itemWidths[index] + Legend.itemSpacing
            }
        }
        height = Int((Legend.font.lineHeight * Double(rows.count)).rounded(.up))
    }

    /// The legend on its own white strip, to be copied into a figure.
    func render() -> Picture {
        let layer = ShapeLayer(width: width, height: max(height, 1))
        for (item, left, centerY) in placements {
            let color = Palette.color(forSeries: item.colorIndex)
            let middle = left + Legend.markerWidth / 2
            switch item.marker {
            case .line:
                layer.line(from: CanvasPoint(x: left + 3, y: centerY),
                           to: CanvasPoint(x: left + Legend.markerWidth - 3, y: centerY),
                           color: color, width: FigureStyle.lineWidth + 1)
            case .box:
                layer.fill(CanvasRect(x: middle - 10, y: centerY - 10, width: 20, height: 20), color: color)
            case .dot:
                layer.dot(at: CanvasPoint(x: middle, y: centerY), radius: 8, color: color)
            }
        }
        let picture = layer.downsampled()
        for (item, left, centerY) in placements {
            picture.drawText(item.name, x: left + Legend.markerWidth + Legend.markerGap, y: centerY, font: Legend.font)
        }
        return picture
    }
}
