/// Several finished figures laid out in rows and columns in one picture, with an overall
/// title, column titles on top and row titles at the left. For example rows = methods,
/// columns = moments of training; or two figures side by side ("clipping" vs "penalty").
public struct FigureGrid: Figure {
    public var title: String
    public var columnTitles: [String]
    /// Row titles; a "\n" starts a second, regular-weight line under the bold first one
    /// (e.g. "minimax\ndiscriminator's landscape").
    public var rowTitles: [String]
    /// cells[row][column]; rows may be shorter than others.
    public var cells: [[any Figure]]
    /// One legend for all cells, under the title.
    public var legend: [LegendItem]

    static let gap = 20

    public init(title: String = "", columnTitles: [String] = [], rowTitles: [String] = [],
                legend: [LegendItem] = [], cells: [[any Figure]]) {
        self.title = title
        self.columnTitles = columnTitles
        self.rowTitles = rowTitles
        self.cells = cells
        self.legend = legend
    }

    /// Figures next to each other, each under its own title.
    public static func sideBySide(title: String = "", _ panels: [(title: String, figure: any Figure)]) -> FigureGrid {
        FigureGrid(title: title, columnTitles: panels.map(\.title), cells: [panels.map(\.figure)])
    }

    public func render() throws -> Picture {
        try FigureFont.ensureAvailable()
        let pictures = try cells.map { try $0.map { try $0.render() } }
        let columnCount = max(pictures.map(\.count).max() ?? 0, columnTitles.count)
        // Each column is as wide as its widest cell, each row as tall as its tallest.
        let columnWidths = (0..<columnCount).map { column in
            pictures.compactMap { $0.indices.contains(column) ? $0[column].width : nil }.max() ?? 0
        }
        let rowHeights = pictures.map { row in row.map(\.height).max() ?? 0 }
        let padding = Int(FigureStyle.padding), gap = FigureGrid.gap
        let titleHeight = title.isEmpty ? 0 : Int(FigureFont.title.lineHeight) + gap
        let columnTitleFont = FigureFont(size: FigureStyle.axisTitleSize, bold: true)
        let columnTitleHeight = columnTitles.isEmpty ? 0 : Int(columnTitleFont.lineHeight) + gap / 2
        let rowTitleLines = rowTitles.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        let rowTitleSubFont = FigureFont.axisTitle
        func lineFont(_ index: Int) -> FigureFont { index == 0 ? columnTitleFont : rowTitleSubFont }
        let rowTitleWidth = rowTitles.isEmpty ? 0 : Int((rowTitleLines.flatMap { lines in
            lines.enumerated().map { lineFont($0.offset).width(of: $0.element) }
        }.max() ?? 0).rounded(.up)) + gap

        let gridLeft = padding + rowTitleWidth
        let gridWidth = columnWidths.reduce(0, +) + gap * max(0, columnCount - 1)
        let legendStrip = Legend(items: legend, width: gridWidth)
        let legendHeight = legend.isEmpty ? 0 : legendStrip.height + gap
        let gridTop = padding + titleHeight + legendHeight + columnTitleHeight
        let gridHeight = rowHeights.reduce(0, +) + gap * max(0, rowHeights.count - 1)
        let titleWidth = Int(FigureFont.title.width(of: title).rounded(.up))
        let picture = Picture(width: max(gridLeft + gridWidth, titleWidth + padding) + padding,
                              height: gridTop + gridHeight + padding)

        let columnLefts = columnWidths.indices.map { gridLeft + columnWidths[..<$0].reduce(0, +) + gap * $0 }
        let rowTops = rowHeights.indices.map { gridTop + rowHeights[..<$0].reduce(0, +) + gap * $0 }
        for (row, rowPictures) in pictures.enumerated() {
            for (column, cell) in rowPictures.enumerated() {
                picture.draw(cell, x: columnLefts[column] + (columnWidths[column] - cell.width) / 2,
                             y: rowTops[row] + (rowHeights[row] - cell.height) / 2)
            }
        }
        if !legend.isEmpty {
            picture.draw(legendStrip.render(), x: gridLeft, y: padding + titleHeight)
        }
        if !title.isEmpty {
            picture.drawText(title, x: Double(picture.width / 2),
                             y: Double(padding) + FigureFont.title.capHeight / 2 + 4, font: .title, alignment: .center)
        }
        for (column, text) in columnTitles.enumerated() where column < columnCount {
            picture.drawText(text, x: Double(columnLefts[column] + columnWidths[column] / 2),
                             y: Double(gridTop - columnTitleHeight / 2 - gap / 4), font: columnTitleFont,
                             alignment: .center)
        }
        for (row, lines) in rowTitleLines.enumerated() where row < rowTops.count {
            let lineHeight = columnTitleFont.lineHeight * 1.2
            let firstCentre = Double(rowTops[row] + rowHeights[row] / 2) - lineHeight * Double(lines.count - 1) / 2
            for (index, line) in lines.enumerated() {
                picture.drawText(line, x: Double(gridLeft - gap), y: firstCentre + lineHeight * Double(index),
                                 font: lineFont(index), alignment: .right)
            }
        }
        return picture
    }
}
