import Formats
import CGD
import Foundation
import NN
import Testing
@testable import Workbook

/// Decodes PNG bytes with libgd, as any image viewer would.
private func decodePNG(_ bytes: [UInt8]) throws -> Picture {
    var copy = bytes
    let image = try #require(copy.withUnsafeMutableBytes { gdImageCreateFromPngPtr(Int32($0.count), $0.baseAddress) })
    return Picture(owning: image)
}

/// Counts the image descriptors in a GIF by walking its block structure.
private func gifFrameCount(_ bytes: [UInt8]) -> Int {
    func colorTableSize(_ flags: UInt8) -> Int { flags & 0x80 != 0 ? 3 * (1 << (Int(flags & 0x07) + 1)) : 0 }
    func skipSubBlocks(_ index: inout Int) {
        while index < bytes.count && bytes[index] != 0 { index += Int(bytes[index]) + 1 }
        index += 1
    }
    var index = 13 + colorTableSize(bytes[10])
    var frames = 0
    while index < bytes.count {
        switch bytes[index] {
        case 0x21:                                   // extension: label, then sub-blocks
            index += 2
            skipSubBlocks(&index)
        case 0x2C:                                   // image: descriptor, colour table, LZW data
            frames += 1
            index += 10 + colorTableSize(bytes[index + 9]) + 1
            skipSubBlocks(&index)
        default:                                     // 0x3B trailer
            return frames
        }
    }
    return frames
}

private func temporaryFolder() -> String {
    let folder = NSTemporaryDirectory() + "figures-tests-\(getpid())-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

private func lossPlot(_ y: [Double]) -> LinePlot {
    LinePlot(title: "losses", xTitle: "step", yTitle: "loss",
             series: [.init(name: "generator", values: y, smoothing: 0.9),
                      .init(name: "discriminator", values: y.map { $0 / 2 })])
}

@Suite("Figures")
struct FiguresTests {
    @Test func linePlotPNGDecodesWithItsSize() throws {
        let plot = lossPlot((0..<300).map { sin(Double($0) / 20) })
        let picture = try decodePNG(try plot.pngData())
        #expect(picture.width == 1200)
        #expect(picture.height == 750)
    }

    @Test func sampleGridCellsHaveTheImagesGreyLevels() throws {
        // Two 1x4x4 images: all -1 (black) and all 0.5, i.e. 0.75 of full scale = 191.
        let pixels = [Float](repeating: -1, count: 16) + [Float](repeating: 0.5, count: 16)
        let grid = try SampleGrid(pixels: pixels, height: 4, width: 4, columns: 2, scale: 5, caption: "test")
        let picture = try decodePNG(try grid.pngData())
        let black = grid.cellOrigin(index: 0), grey = grid.cellOrigin(index: 1)
        #expect(picture.color(x: black.x + 10, y: black.y + 10) == Color(red: 0, green: 0, blue: 0))
        #expect(picture.color(x: grey.x, y: grey.y) == Color(red: 191, green: 191, blue: 191))
        #expect(picture.color(x: grey.x + 19, y: grey.y + 19) == Color(red: 191, green: 191, blue: 191))
        // The separator between the two cells is not part of either image.
        #expect(picture.color(x: grey.x - 1, y: grey.y + 10) == FigureStyle.separator)
    }

    @Test func colourSampleGridKeepsChannels() throws {
        // One 3x1x1 image: red 1, green -1, blue 0.
        let grid = try SampleGrid(pixels: [1, -1, 0], channels: 3, height: 1, width: 1, scale: 8)
        let origin = grid.cellOrigin(index: 0)
        #expect(try grid.render().color(x: origin.x + 4, y: origin.y + 4) == Color(red: 255, green: 0, blue: 128))
    }

    @Test func sampleGridRejectsPixelCountsThatAreNotWholeImages() {
        #expect(throws: FigureError.self) { try SampleGrid(pixels: [0, 0, 0], height: 2, width: 2) }
    }

    @Test func sameInputGivesIdenticalBytes() throws {
        let y = (0..<500).map { cos(Double($0) / 30) + 0.1 * sin(Double($0) * 7) }
        #expect(try lossPlot(y).pngData() == lossPlot(y).pngData())
        let pixels = (0..<(9 * 28 * 28)).map { Float(sin(Double($0))) }
        let grid = try SampleGrid(pixels: pixels, height: 28, width: 28, caption: "epoch 1")
        #expect(try grid.pngData() == grid.pngData())
    }

    @Test func nonFiniteValuesAreSkippedNotFatal() throws {
        var y = (0..<100).map { Double($0) }
        y[10] = .nan
        y[20] = .infinity
        y[30] = -.infinity
        #expect(try lossPlot(y).render().width == 1200)
        #expect(try lossPlot([.nan, .nan]).render().height == 750)
        let logPlot = LinePlot(title: "log", xTitle: "x", yTitle: "y",
                               series: [.init(name: "a", values: [0, -1, .nan, 1e-3, 10])], logarithmicY: true)
        #expect(try logPlot.render().width == 1200)
        let grid = try SampleGrid(pixels: [.nan, .infinity, -.infinity, 0], height: 2, width: 2, scale: 1)
        let origin = grid.cellOrigin(index: 0)
        let picture = try grid.render()
        #expect(picture.color(x: origin.x, y: origin.y) == .black)          // NaN shows black
        #expect(picture.color(x: origin.x + 1, y: origin.y) == .white)      // +inf clamps to white
        let histogram = Histogram(title: "h", xTitle: "w", values: [.nan, 1, 2, .infinity])
        #expect(try histogram.render().width == 1200)
    }

    @Test func unwritableFolderThrowsAClearError() throws {
        let folder = temporaryFolder()
        let blocker = folder + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data([1])))
        let path = blocker + "/sub/figure.png"
        do {
            try lossPlot([1, 2, 3]).write(to: path)
            Issue.record("writing under a regular file should fail")
        } catch let error as WorkbookFileError {
            #expect(error.description.contains(path))
            #expect(error.description.contains(writableFolderFix))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func writeCreatesFoldersAndLeavesNoTemporaryFile() throws {
        let folder = temporaryFolder() + "/a/b"
        let path = folder + "/ch11_test.png"
        try lossPlot([1, 2, 3]).write(to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try decodePNG(bytes).width == 1200)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["ch11_test.png"])
    }

    @Test func seriesColoursAppearInThePlot() throws {
        let plot = LinePlot(title: "flat", xTitle: "x", yTitle: "y",
                            series: [.init(name: "first", values: [1, 1, 1, 1]),
                                     .init(name: "second", values: [2, 2, 2, 2], colorIndex: 4)])
        let picture = try plot.render()
        func pixelCount(of color: Color) -> Int {
            var count = 0
            for y in 0..<picture.height {
                for x in 0..<picture.width where picture.color(x: x, y: y) == color { count += 1 }
            }
            return count
        }
        #expect(pixelCount(of: Palette.color(forSeries: 0)) > 500)
        #expect(pixelCount(of: Color(hex: 0xE69F00)) > 500)
        #expect(pixelCount(of: Palette.color(forSeries: 1)) == 0)     // colour 1 is not used
    }

    @Test func paletteIsOkabeItoInOrder() {
        #expect(Palette.color(forSeries: 0) == Color(hex: 0x0072B2))
        #expect(Palette.color(forSeries: 1) == Color(hex: 0xD55E00))
        #expect(Palette.color(forSeries: 6) == .black)
        #expect(Palette.color(forSeries: 7) == Palette.color(forSeries: 0))
    }

    @Test func ticksAreRoundAndReadableAtAnyScale() {
        #expect(PlotAxis.linearTicks(lower: 0, upper: 40000, target: 5).1 == ["0", "10k", "20k", "30k", "40k"])
        #expect(PlotAxis.linearTicks(lower: -1, upper: 1, target: 4).1 == ["-1.0", "-0.5", "0.0", "0.5", "1.0"])
        #expect(PlotAxis.linearTicks(lower: 0, upper: 4e-5, target: 4).1 == ["0", "1e-5", "2e-5", "3e-5", "4e-5"])
        #expect(PlotAxis.linearTicks(lower: 0.1, upper: 0.35, target: 5).1 == ["0.10", "0.15", "0.20", "0.25", "0.30", "0.35"])
        #expect(PlotAxis.logTicks(lower: 0.05, upper: 200).1 == ["0.1", "1", "10", "100"])
    }

    @Test func smoothingIsCentredAndLeavesAConstantAlone() {
        let constant = LinePlot.zeroPhaseSmoothing([4, 4, .nan, 4, 4], weight: 0.9)
        #expect(constant.enumerated().allSatisfy { $0.offset == 2 ? $0.element.isNaN : abs($0.element - 4) < 1e-12 })

        var spike = [Double](repeating: 1, count: 200)
        spike[120] = 50
        let oneWay = LinePlot.exponentialMovingAverage(spike, weight: 0.9)
        let centred = LinePlot.zeroPhaseSmoothing(spike, weight: 0.9)
        func peak(_ values: [Double]) -> Int { values.indices.max { values[$0] < values[$1] }! }
        #expect(peak(centred) == 120)
        #expect(abs(centred[110] - centred[130]) < 0.01)    // symmetric about the spike (up to the ends)
        // The one-way average peaks on the spike too but then decays: more of it lies after.
        #expect(oneWay[130] > oneWay[110] + 0.5)

        // A step: the centred line crosses halfway at the step, the one-way one about 7 points late.
        let step = (0..<200).map { $0 < 100 ? 0.0 : 1.0 }
        func halfway(_ values: [Double]) -> Int { values.firstIndex { $0 >= 0.5 }! }
        #expect(abs(halfway(LinePlot.zeroPhaseSmoothing(step, weight: 0.9)) - 100) <= 1)
        #expect(halfway(LinePlot.exponentialMovingAverage(step, weight: 0.9)) >= 105)
    }

    @Test func aLogAxisHasALabelledTickBelowAndAboveTheData() {
        for (low, high) in [(0.013, 0.9), (3.0, 7.0), (1e-5, 2e-5), (0.05, 200.0), (1.0, 1e20), (0.7, 1.6)] {
            var axis = PlotAxis(title: "y", lower: low, upper: high, isLogarithmic: true)
            axis.placeTicks(target: 5)
            #expect(axis.ticks.count >= 2, "\(low)...\(high)")
            #expect(axis.ticks.first! <= low * (1 + 1e-9) && axis.ticks.last! >= high * (1 - 1e-9), "\(low)...\(high)")
            #expect(axis.lower <= axis.ticks.first! * (1 + 1e-9) && axis.upper >= axis.ticks.last! * (1 - 1e-9))
            #expect(axis.labels.count == axis.ticks.count && Set(axis.labels).count == axis.labels.count)
            #expect(!axis.labels.contains(""))
        }
        var axis = PlotAxis(title: "y", lower: 3, upper: 7, isLogarithmic: true)
        axis.placeTicks(target: 5)
        #expect(axis.labels == ["2", "5", "10"])       // the nearest ticks, not whole decades
    }

    @Test func panelsWithDifferentColourBarsHavePlotAreasOfOneSize() {
        func frame(_ lower: Double, _ upper: Double) -> PlotFrame {
            PlotFrame(width: 680, height: 480, title: "", x: PlotAxis(title: "x₁", lower: -3, upper: 3),
                      y: PlotAxis(title: "x₂", lower: -3, upper: 3),
                      colorBar: ColorBar(colorMap: .viridis, lower: lower, upper: upper, title: "C(x)", opacity: 0.6),
                      equalAspect: true)
        }
        let areas = [frame(0, 1), frame(0.0095, 0.0122), frame(-32, -20), frame(-2, 3)].map(\.plotArea)
        #expect(areas.allSatisfy { [$0.x, $0.y, $0.width, $0.height] == [areas[0].x, areas[0].y, areas[0].width, areas[0].height] })
    }

    @Test func barLabelsCanShareOnePrecision() {
        #expect([59.289, 112.39, 582.17, 0.379].map { BarChart.format($0, decimals: 2) } == ["59.29", "112.39", "582.17", "0.38"])
        #expect([59.289, 112.39, 0.379].map { BarChart.format($0) } == ["59.3", "112", "0.379"])
    }

    @Test func twoLossesAreReadFromTheirLogsAndOverlaid() throws {
        let folder = temporaryFolder()
        func writeLog(_ name: String, gradient: Double, fooled: Double) throws -> String {
            let log = try CSVLog(path: "\(folder)/\(name).csv", columns: ["d_loss", "d_fake", "g_grad_norm"])
            for step in 0..<50 { try log.append(step: step, [1, fooled, gradient * Double(step + 1)]) }
            try log.close()
            return log.path
        }
        let saturating = try writeLog("saturating", gradient: 0.001, fooled: 0.1)
        let nonSaturating = try writeLog("non-saturating", gradient: 1, fooled: 0.4)
        let columns = try CSVLog.read(saturating, columns: ["g_grad_norm", "d_fake"])
        #expect(columns["g_grad_norm"]?.count == 50 && columns["g_grad_norm"]?[49] == 0.05)
        #expect(columns["d_fake"]?.allSatisfy { $0 == 0.1 } == true)
        #expect(throws: WorkbookFileError.self) { try CSVLog.read(saturating, columns: ["w_estimate"]) }

        let figure = try GeneratorLossComparison.figure([.init(name: "saturating", logPath: saturating),
                                                         .init(name: "non-saturating", logPath: nonSaturating)])
        #expect(figure.cells.count == 1 && figure.cells[0].count == 2)
        // Both runs on each panel: the first run's colour and the second's.
        for panel in figure.cells[0] {
            let picture = try panel.render()
            var seen: Set<Int> = []
            for y in 0..<picture.height {
                for x in 0..<picture.width {
                    let color = picture.color(x: x, y: y)
                    if color == Palette.color(forSeries: 0) { seen.insert(0) }
                    if color == Palette.color(forSeries: 1) { seen.insert(1) }
                }
            }
            #expect(seen == [0, 1])
        }
    }

    @Test func histogramCountsValuesInRangeIntoTheirBins() {
        let counts = Histogram.counts([-0.01, -0.01, 0, 0.004, 0.01, 0.5, .nan], bins: 4, lower: -0.01, upper: 0.01)
        #expect(counts == [2, 0, 2, 1])
    }

    @Test func scatterPanelsGridAndBarsRender() throws {
        let heat = HeatMap(values: (0..<100).map { Double($0) }, rows: 10, columns: 10, title: "D(x)")
        let scatter = ScatterPlot(title: "ring", xRange: -2...2, yRange: -2...2,
                                  series: [.init(name: "real", x: [0, 1], y: [0, 1], colorIndex: 6),
                                           .init(name: "fake", interleaved: [0.5, -0.5, .nan, 1])],
                                  heatMap: heat, width: 400, height: 400)
        let bars = BarChart(title: "FID", valueTitle: "FID", bars: [.init(label: "GAN", value: 40, error: 2),
                                                                   .init(label: "WGAN-GP", value: -3)])
        let grid = FigureGrid(title: "panels", columnTitles: ["early", "late"], rowTitles: ["GAN"],
                              legend: [.init(name: "real", colorIndex: 6, marker: .dot)],
                              cells: [[scatter, scatter]])
        let gridPicture = try grid.render()
        #expect(gridPicture.width > 800 && gridPicture.height > 400)
        #expect(try decodePNG(try bars.pngData()).width == 1200)
        let sideBySide = try FigureGrid.sideBySide(title: "pair", [("a", scatter), ("b", bars)]).render()
        #expect(sideBySide.width > 1600)
        // The lowest heat map value (bottom-left cell) is viridis' dark purple washed towards white.
        let corner = try scatter.render()
        let expected = ColorMap.viridis.color(at: 0).mixed(with: .white, amount: 0.4)
        var found = false
        for y in 0..<corner.height where !found {
            for x in 0..<corner.width where corner.color(x: x, y: y) == expected { found = true; break }
        }
        #expect(found)
    }

    @Test func animatedGIFHasAFrameForEachFigure() throws {
        let frames: [any Figure] = try (1...3).map { step in
            try SampleGrid(pixels: [Float](repeating: Float(step) / 3, count: 4 * 28 * 28), height: 28, width: 28,
                           caption: "step \(step)")
        }
        let gif = try AnimatedGIF(frames: frames).gifData()
        #expect(Array(gif.prefix(6)) == Array("GIF89a".utf8))
        #expect(gifFrameCount(gif) == 3)
        #expect(gif.last == 0x3B)                           // GIF trailer
    }
}
