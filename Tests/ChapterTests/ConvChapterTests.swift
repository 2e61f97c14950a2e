import CGD
import Foundation
import Testing

/// The DCGAN-family chapters as a reader runs them: tiny runs, the relativistic GAN's stop
/// (erratum 4), `--images` folders, bad input.
@Suite("Convolutional chapters run end to end", .serialized)
struct ConvChapterTests {
    static let fashionMNIST = ChapterTests.fashionMNIST

    static let expectedFigures = [
        "Ch11_4_DCGAN": ["samples", "losses", "scores", "interpolation", "transposed_convolution"],
        "Ch11_2_RGAN": ["samples", "losses", "realism_gap", "progress"],
        "Ch11_4_CGAN": ["samples", "losses"],
    ]

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"),
          arguments: ["Ch11_4_DCGAN", "Ch11_2_RGAN", "Ch11_4_CGAN"])
    func quickRunWritesFiguresLogAndCheckpoint(chapter: String) throws {
        let run = try runChapter(chapter, ["--quick"])
        #expect(run.status == 0, "\(chapter) failed: \(run.errors)")
        #expect(try #require(run.summary).contains("steps=3"))
        let name = chapter.lowercased()
        for figure in Self.expectedFigures[chapter]! {
            #expect(run.exists("\(name)_\(figure).png"), "\(chapter) did not write \(figure)")
        }
        #expect(run.exists("\(name)_log.csv"))
        #expect(run.exists("checkpoints/\(name)/generator.safetensors"))
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func dcganDrawsAnotherGeneratorsImagesOfTheSameNoiseBesideItsOwn() throws {
        let mlp = try runChapter("Ch11_2_Minimax", ["--quick"])
        #expect(mlp.status == 0, "\(mlp.errors)")
        let checkpoint = mlp.file("checkpoints/ch11_2_minimax/generator.safetensors").path
        let run = try runChapter("Ch11_4_DCGAN", ["--quick", "--compare-with", checkpoint])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("ch11_4_dcgan_vs_mlp.png"))
        // The summary line stays last, for tools that parse it.
        #expect(run.output.split(separator: "\n").last?.hasPrefix("summary: chapter=ch11_4_dcgan") == true)

        let missing = try runChapter("Ch11_4_DCGAN", ["--quick", "--compare-with", "/nonexistent/generator.safetensors"])
        #expect(missing.status != 0)
        #expect(missing.errors.contains("--compare-with: cannot read /nonexistent/generator.safetensors"))
    }

    /// `--threads` changes the speed only: the same run on one thread and on two writes the
    /// same log and the same generator, byte for byte (so the figures of a run on any
    /// number of cores are the book's).
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"),
          arguments: ["Ch11_4_DCGAN", "Ch11_2_Minimax"])
    func threadCountDoesNotChangeTheRun(chapter: String) throws {
        let runs = try [1, 2].map { try runChapter(chapter, ["--quick", "--steps", "4", "--threads", "\($0)"]) }
        for run in runs { #expect(run.status == 0, "\(chapter) failed: \(run.errors)") }
        let name = chapter.lowercased()
        for file in ["\(name)_log.csv", "checkpoints/\(name)/generator.safetensors",
                     "checkpoints/\(name)/checkpoint.safetensors"] {
            let (one, two) = (try runs[0].bytes(file), try runs[1].bytes(file))
            #expect(!one.isEmpty && one == two, "\(chapter): \(file) differs between 1 and 2 threads")
        }
    }

    /// Erratum 4: the original looped over 100,000,000 batches; ours stops at --steps.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func relativisticGANStopsAtSteps() throws {
        let run = try runChapter("Ch11_2_RGAN", ["--quick", "--steps", "5", "--loss", "rasgan"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(try #require(run.summary).contains("steps=5"))
        let log = try String(contentsOf: run.file("ch11_2_rgan_log.csv"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1 + 5, "a header and exactly five iterations")
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func conditionalGANReportsClassMatchOrSkipsIt() throws {
        let run = try runChapter("Ch11_4_CGAN", ["--quick", "--conditioning", "projection", "--loss", "bce"])
        #expect(run.status == 0, "\(run.errors)")
        let line = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("class match:") })
        #expect(line.contains("% of 1000 samples") || line.contains("skipped"))
    }

    @Test func imagesFolderTrainsThe64PixelNetworks() throws {
        let folder = try newTemporaryFolder()
        let photos = folder.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try writePNG(width: 90, height: 70, color: 0xCC6633, to: photos.appendingPathComponent("a.png"))
        try writePNG(width: 64, height: 80, color: 0x3366CC, to: photos.appendingPathComponent("b.png"))
        try Data("not a picture".utf8).write(to: photos.appendingPathComponent("broken.png"))
        let run = try runChapter("Ch11_2_RGAN", ["--quick", "--images", photos.path, "--batch-size", "2"], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("loaded 2 images of 64×64"))
        #expect(run.output.contains("skipped 1 file(s)") && run.output.contains("broken.png"))
        // Eight 64-pixel RGB samples per row, each drawn at 2×.
        let data = try run.bytes("ch11_2_rgan_samples.png")
        let image = try #require(data.withUnsafeBytes {
            gdImageCreateFromPngPtr(Int32($0.count), UnsafeMutableRawPointer(mutating: $0.baseAddress))
        })
        defer { gdImageDestroy(image) }
        #expect(image.pointee.sx >= 8 * 128)
    }

    @Test(arguments: ["Ch11_4_DCGAN", "Ch11_2_RGAN"])
    func emptyImagesFolderFailsWithOneLine(chapter: String) throws {
        let folder = try newTemporaryFolder()
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let run = try runChapter(chapter, ["--quick", "--images", empty.path], in: folder)
        #expect(run.status == 1)
        #expect(run.errors.hasPrefix("error: ") && run.errors.contains(empty.path))
        #expect(run.errors.contains("--images"))
        #expect(run.errors.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        ("Ch11_2_RGAN", ["--loss", "hinge"], "hinge"), ("Ch11_4_CGAN", ["--conditioning", "labels"], "labels"),
        ("Ch11_4_DCGAN", ["--batch-size", "0"], "--batch-size"), ("Ch11_4_CGAN", ["--lr", "nan"], "--lr"),
    ])
    func badOptionsGiveOneLineErrors(chapter: String, arguments: [String], mentions: String) throws {
        let run = try runChapter(chapter, ["--quick"] + arguments)
        #expect(run.status != 0)
        #expect(run.errors.contains(mentions), "\(run.errors)")
        #expect(!run.errors.contains("Fatal error"))
    }

    @Test(arguments: ["Ch11_4_DCGAN", "Ch11_2_RGAN", "Ch11_4_CGAN"])
    func helpShowsDefaults(chapter: String) throws {
        let run = try runChapter(chapter, ["--help"], outputFlags: false)
        #expect(run.status == 0)
        #expect(run.output.contains("--epochs") && run.output.contains("(default: "))
    }

    private func writePNG(width: Int32, height: Int32, color: Int32, to url: URL) throws {
        let image = try #require(gdImageCreateTrueColor(width, height))
        defer { gdImageDestroy(image) }
        gdImageFilledRectangle(image, 0, 0, width - 1, height - 1, color)
        var size: Int32 = 0
        let bytes = try #require(gdImagePngPtr(image, &size))
        defer { gdFree(bytes) }
        try Data(bytes: bytes, count: Int(size)).write(to: url)
    }
}
