import Foundation
import Tensor
import Testing
@testable import Workbook

/// The text a terminal shows of `line`: escape sequences removed.
private func visible(_ line: String) -> String {
    line.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
}

private let escape = "\u{1B}["

@Suite("Live samples and the progress line on a terminal")
struct TerminalPreviewTests {
    /// A 2-wide, 3-high grey image: black/white, white/black, then a grey row whose lower
    /// halves fall outside the image (the terminal's own background).
    @Test func greyImageBecomesHalfBlocksWithColourCodes() {
        let lines = HalfBlocks.lines(pixels: [-1, 1, 1, -1, 0, 0], count: 1, channels: 1, height: 3, width: 2)
        #expect(lines.count == 2)  // ceil(3 / 2) character rows
        #expect(lines[0] == "\(escape)38;2;0;0;0m\(escape)48;2;255;255;255m▀"
                + "\(escape)38;2;255;255;255m\(escape)48;2;0;0;0m▀\(escape)0m")
        // Colours are not repeated while they stay the same; the odd row has no background.
        #expect(lines[1] == "\(escape)38;2;128;128;128m\(escape)49m▀▀\(escape)0m")
        #expect(lines.allSatisfy { visible($0) == "▀▀" && $0.hasSuffix("\(escape)0m") })
    }

    /// Channels are planes ([c, h, w]): red above blue in a 1×2 RGB image.
    @Test func colourImageTakesItsChannelsFromThreePlanes() {
        let red: [Float] = [1, -1], green: [Float] = [-1, -1], blue: [Float] = [-1, 1]
        let lines = HalfBlocks.lines(pixels: red + green + blue, count: 1, channels: 3, height: 2, width: 1)
        #expect(lines == ["\(escape)38;2;255;0;0m\(escape)48;2;0;0;255m▀\(escape)0m"])
    }

    /// Images sit one blank column apart, and each starts its colours afresh after the reset.
    @Test func imagesStandSideBySideOneColumnApart() {
        let lines = HalfBlocks.lines(pixels: [Float](repeating: 1, count: 3 * 4 * 3), count: 3, channels: 1,
                                     height: 4, width: 3)
        #expect(lines.count == 2)
        for line in lines {
            #expect(visible(line) == "▀▀▀ ▀▀▀ ▀▀▀")
            #expect(line.components(separatedBy: "\(escape)38;2;255;255;255m").count - 1 == 3)
            #expect(line.components(separatedBy: "\(escape)0m").count - 1 == 3)
        }
    }

    /// Count, width and height of the strip for `available` square images of `side` pixels.
    private func layout(_ available: Int, side: Int, columns: Int) -> [Int]? {
        SampleStrip(available: available, imageWidth: side, imageHeight: side, columns: columns)
            .map { [$0.count, $0.width, $0.height] }
    }

    @Test func stripFitsTheTerminalWidth() throws {
        #expect(layout(64, side: 28, columns: 120) == [8, 14, 14])
        #expect(layout(64, side: 28, columns: 80) == [5, 14, 14])
        let on120 = try #require(SampleStrip(available: 64, imageWidth: 28, imageHeight: 28, columns: 120))
        #expect(on120.lineCount == 7 && on120.columns == 119)
        #expect(SampleStrip(available: 64, imageWidth: 28, imageHeight: 28, columns: 80)?.columns == 74)
        // Wide terminals get the images at their own size, never enlarged.
        #expect(layout(64, side: 28, columns: 300) == [8, 28, 28])
        #expect(layout(64, side: 64, columns: 120) == [8, 14, 14])  // the RGB DCGAN's 64×64
        #expect(layout(3, side: 28, columns: 120) == [3, 14, 14])
        #expect(layout(64, side: 28, columns: 14) == nil)
        #expect(SampleStrip(available: 8, imageWidth: 28, imageHeight: 14, columns: 120)?.lineCount == 4)
    }

    /// 28×28 images in 80 columns: five 14×14 tiles, each tile pixel the mean of a 2×2 block.
    @Test func stripShrinksImagesByAveraging() throws {
        // Image i: left half white, right half black, except that image 0 is all grey (0).
        var pixels = [Float](repeating: 0, count: 6 * 28 * 28)
        for image in 1..<6 {
            for y in 0..<28 { for x in 0..<28 { pixels[(image * 28 + y) * 28 + x] = x < 14 ? 1 : -1 } }
        }
        pixels[0] = 1; pixels[1] = -1  // a 2×2 block averaging to 0 with the zeros below it
        let strip = try #require(SampleStrip(available: 6, imageWidth: 28, imageHeight: 28, columns: 80))
        let lines = strip.lines(Tensor(shape: [6, 1, 28, 28], values: pixels))
        #expect(lines.count == 7)
        #expect(lines.allSatisfy { visible($0).count == strip.columns })
        let firstTile = try #require(lines[0].components(separatedBy: "\(escape)0m").first)
        #expect(firstTile == "\(escape)38;2;128;128;128m\(escape)48;2;128;128;128m" + String(repeating: "▀", count: 14))
        let secondTile = try #require(lines[0].components(separatedBy: "\(escape)0m").dropFirst().first)
        #expect(secondTile == " \(escape)38;2;255;255;255m\(escape)48;2;255;255;255m" + String(repeating: "▀", count: 7)
                + "\(escape)38;2;0;0;0m\(escape)48;2;0;0;0m" + String(repeating: "▀", count: 7))
    }

    /// Flattened [n, h·w] batches (the MLP generators) are square grey images.
    @Test func flatBatchesAreSquareGreyImages() throws {
        let strip = try #require(SampleStrip(available: 2, imageWidth: 4, imageHeight: 4, columns: 80))
        let lines = strip.lines(Tensor(shape: [2, 16], values: [Float](repeating: 0, count: 32)))
        #expect(lines.map(visible) == ["▀▀▀▀ ▀▀▀▀", "▀▀▀▀ ▀▀▀▀"])
    }

    @Test func previewOnlyOnAColourTerminal() {
        let terminal = ["TERM": "xterm-256color"]
        #expect(Terminal.allowsPreview(isTerminal: true, environment: terminal))
        #expect(!Terminal.allowsPreview(isTerminal: false, environment: terminal))
        #expect(!Terminal.allowsPreview(isTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!Terminal.allowsPreview(isTerminal: true, environment: [:]))
        #expect(!Terminal.allowsPreview(isTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": "1"]))
        #expect(Terminal.allowsPreview(isTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": ""]))
    }

    /// The minimax chapter's fields, which made a 130-character line.
    static let minimaxFields = ["step 150/300", "ETA 0:12", "d_loss 0.6931", "g_loss 0.6931", "d_real 0.5000",
                                "d_fake 0.5000", "22.3 ms/step", "epoch 1"]

    @Test func progressLineFits80Columns() {
        let line = WorkProgress.statusLine(fraction: 0.5, fields: Self.minimaxFields, columns: 80)
        #expect(line.count <= 79)
        #expect(line.hasSuffix(" 50%  step 150/300  ETA 0:12  d_loss 0.6931  g_loss 0.6931"))
        let bar = line.prefix { $0 == "█" || $0 == "·" }
        #expect((10...24).contains(bar.count))
        #expect(bar.filter { $0 == "█" }.count == bar.count / 2)
    }

    @Test func progressLineFits120Columns() {
        let line = WorkProgress.statusLine(fraction: 0.5, fields: Self.minimaxFields, columns: 120)
        #expect(line.count <= 119)
        #expect(line.hasSuffix("d_fake 0.5000  22.3 ms/step"))  // only the epoch is left out
    }

    @Test func progressLineKeepsEverythingWhereThereIsRoom() {
        let line = WorkProgress.statusLine(fraction: 1, fields: Self.minimaxFields, columns: 200)
        #expect(line == String(repeating: "█", count: 24) + " 100%  " + Self.minimaxFields.joined(separator: "  "))
    }

    /// Too narrow even for the count and the ETA beside a bar: no bar, and the line is cut.
    @Test func progressLineIsCutOnATinyTerminal() {
        let line = WorkProgress.statusLine(fraction: 0.5, fields: Self.minimaxFields, columns: 30)
        #expect(line == "50%  step 150/300  ETA 0:12")
        #expect(WorkProgress.statusLine(fraction: 0.5, fields: Self.minimaxFields, columns: 12) == "50%  step 1")
    }

    @Test func redrawMovesUpOverThePreviousPreview() {
        #expect(WorkProgress.redraw(preview: ["a", "b"], replacing: 0, status: "s")
                == "\r\(escape)2Ka\n\(escape)2Kb\n\(escape)2Ks")
        // A shorter preview blanks the lines it no longer uses, so the bar stays where it was.
        #expect(WorkProgress.redraw(preview: ["a"], replacing: 2, status: "s")
                == "\r\(escape)2A\(escape)2Ka\n\(escape)2K\n\(escape)2Ks")
    }

    @Test func noPreviewFlagTurnsThePreviewOff() throws {
        enum Defaults: ChapterDefaults {
            static let recipe = Recipe(epochs: 1, batchSize: 8, learningRate: 0.1, latentDimension: 4)
        }
        #expect(try TrainingOptions<Defaults>.parse([]).settings.preview)
        #expect(try !TrainingOptions<Defaults>.parse(["--no-preview"]).settings.preview)
    }
}
