import CGD
import Foundation
import Testing

/// Each chapter as a reader runs it: a tiny run on a small subset of the real data.
@Suite("Chapters run end to end", .serialized)
struct ChapterTests {
    static let fashionMNIST = FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"),
          arguments: ["Ch11_2_Minimax", "Ch11_2_WGAN", "Ch11_3_WGANGP"])
    func quickRunWritesFiguresLogAndCheckpoint(chapter: String) throws {
        let run = try runChapter(chapter, ["--quick"])
        #expect(run.status == 0, "\(chapter) failed: \(run.errors)")
        let summary = try #require(run.summary)
        #expect(summary.contains("steps=3"))
        #expect(summary.contains("ms/step="))
        let prefix = chapter.lowercased()  // outputs are named after the chapter, e.g. ch11_2_minimax_*
        let files = try FileManager.default.contentsOfDirectory(atPath: run.folder.path)
        #expect(files.contains { $0.hasPrefix(prefix) && $0.hasSuffix("_samples.png") })
        #expect(files.contains { $0.hasPrefix(prefix) && $0.hasSuffix("_log.csv") })
        let checkpoints = try FileManager.default.subpathsOfDirectory(atPath: run.folder.appendingPathComponent("checkpoints").path)
        #expect(checkpoints.contains { $0.hasSuffix("generator.safetensors") })
    }

    /// `--compare` trains weight clipping after the penalty, on the same budget, and draws both.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func wganGPComparesClippingWithThePenalty() throws {
        let run = try runChapter("Ch11_3_WGANGP", ["--quick", "--compare"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("ch11_3_wgangp_clipping_vs_penalty.png"))
        #expect(run.exists("ch11_3_wgangp_clipping_log.csv"))
        #expect(run.output.contains("summary: chapter=ch11_3_wgangp_clipping steps=3"))
    }

    /// The clipped run that `--compare` trains is §11.2's WGAN run, byte for byte, so reading
    /// that run's log and generator (`--compare-log`, `--compare-generator`) draws the same
    /// comparison without training it twice; and the two options are checked.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func wganGPReadsTheClippedRunOfTheWGANChapter() throws {
        let wgan = try runChapter("Ch11_2_WGAN", ["--quick"])
        let trained = try runChapter("Ch11_3_WGANGP", ["--quick", "--compare"])
        #expect(wgan.status == 0 && trained.status == 0, "\(wgan.errors) \(trained.errors)")
        #expect(try wgan.bytes("ch11_2_wgan_log.csv") == trained.bytes("ch11_3_wgangp_clipping_log.csv"),
                "the WGAN chapter's run and --compare's clipped run differ")

        let log = wgan.file("ch11_2_wgan_log.csv").path
        let generator = wgan.file("checkpoints/ch11_2_wgan/generator.safetensors").path
        let read = try runChapter("Ch11_3_WGANGP", ["--quick", "--compare-log", log, "--compare-generator", generator])
        #expect(read.status == 0, "\(read.errors)")
        #expect(read.exists("ch11_3_wgangp_clipping_vs_penalty.png"))
        #expect(!read.exists("ch11_3_wgangp_clipping_log.csv"), "nothing was trained a second time")

        for (arguments, mentions) in [(["--compare-log", log], "go together"),
                                      (["--compare", "--compare-log", log, "--compare-generator", generator], "choose one"),
                                      (["--compare-log", "/nonexistent.csv", "--compare-generator", generator], "cannot read /nonexistent.csv"),
                                      (["--compare-log", generator, "--compare-generator", log], "is not a CSV log")] {
            let bad = try runChapter("Ch11_3_WGANGP", ["--quick"] + arguments)
            #expect(bad.status != 0, "\(arguments) was accepted")
            #expect(bad.errors.contains(mentions), "\(arguments): \(bad.errors)")
        }
    }

    /// Erratum 8: the original wrote one PNG per generated image; the samples are one 8×8 grid.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func samplesAreOneGridOfSixtyFourImages() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick"])
        #expect(run.status == 0)
        let pngs = try FileManager.default.contentsOfDirectory(atPath: run.folder.path).filter { $0.hasSuffix(".png") }
        #expect(pngs.filter { $0.contains("samples") }.count == 1)
        let data = try run.bytes("ch11_2_minimax_samples.png")
        let image = try #require(data.withUnsafeBytes { gdImageCreateFromPngPtr(Int32($0.count), UnsafeMutableRawPointer(mutating: $0.baseAddress)) })
        defer { gdImageDestroy(image) }
        // 8 columns of 28-pixel images at 4× with separators: wider than 8 × 112 pixels.
        #expect(image.pointee.sx >= 8 * 112)
        #expect(image.pointee.sy >= 8 * 112)
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func sameSeedGivesIdenticalFigures() throws {
        let first = try runChapter("Ch11_2_Minimax", ["--quick", "--seed", "7"])
        let second = try runChapter("Ch11_2_Minimax", ["--quick", "--seed", "7"])
        let other = try runChapter("Ch11_2_Minimax", ["--quick", "--seed", "8"])
        #expect(try first.bytes("ch11_2_minimax_samples.png") == second.bytes("ch11_2_minimax_samples.png"))
        #expect(try first.bytes("ch11_2_minimax_samples.png") != other.bytes("ch11_2_minimax_samples.png"))
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func resumeContinuesFromTheCheckpoint() throws {
        let folder = try newTemporaryFolder()
        let first = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4"], in: folder)
        #expect(first.status == 0)
        let resumed = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6", "--resume"], in: folder)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("resumed from"))
        #expect(resumed.summary?.contains("steps=6") == true)
        let log = try String(contentsOf: folder.appendingPathComponent("ch11_2_minimax_log.csv"), encoding: .utf8)
        // A header and one row per step 0…5, none twice.
        #expect(log.split(separator: "\n").count == 7)
        let uninterrupted = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6"])
        let lastRow = { (text: String) in text.split(separator: "\n").last.map(String.init) }
        #expect(lastRow(log) == lastRow(try String(contentsOf: uninterrupted.file("ch11_2_minimax_log.csv"), encoding: .utf8)),
                "a resumed run should continue exactly as an uninterrupted one")
    }

    /// Two learning rates and Adam's betas reach the optimisers: each changes the run, and
    /// `--lr-g` and `--lr-d` equal to `--lr` change nothing.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func learningRatesAndBetasReachTheOptimizers() throws {
        func losses(_ extra: [String]) throws -> String {
            let summary = try #require(try runChapter("Ch11_2_Minimax", ["--quick"] + extra).summary)
            return summary.replacingOccurrences(of: #"ms/step=[0-9.]+"#, with: "", options: .regularExpression)
        }
        let plain = try losses([])
        #expect(try losses(["--lr-g", "2e-4", "--lr-d", "2e-4"]) == plain)
        for changed in [["--lr-g", "1e-3"], ["--lr-d", "1e-3"], ["--beta1", "0.9"], ["--beta2", "0.9"]] {
            #expect(try losses(changed) != plain, "\(changed) did not change the run")
        }
    }

    @Test func resumeWithoutCheckpointFailsClearly() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--resume"])
        #expect(run.status != 0)
        #expect(run.errors.hasPrefix("error: no checkpoint"))
    }

    @Test(arguments: [
        (["--lr", "-1"], "--lr"), (["--batch-size", "0"], "--batch-size"), (["--epochs", "-2"], "--epochs"),
        (["--steps", "0"], "--steps"), (["--loss", "hinge"], "hinge"), (["--label-smoothing", "2"], "--label-smoothing"),
    ])
    func badOptionsGiveOneLineErrors(arguments: [String], mentions: String) throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick"] + arguments)
        #expect(run.status != 0)
        #expect(run.errors.contains(mentions), "\(run.errors)")
        #expect(!run.errors.contains("Fatal error"))
    }

    /// An absurd critic count is refused at once instead of minutes of silence.
    @Test(arguments: ["Ch11_2_WGAN", "Ch11_3_WGANGP"])
    func absurdCriticCountsAreRefused(chapter: String) throws {
        let run = try runChapter(chapter, ["--quick", "--n-critic", "1000000000"])
        #expect(run.status == 64)
        #expect(run.errors.hasPrefix("error: --n-critic must be between 1 and 10000"), "\(run.errors)")
    }

    @Test func missingDataNamesTheFix() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--data", "/nonexistent/folder"])
        #expect(run.status == 1)
        #expect(run.errors.contains("/nonexistent/folder"))
        #expect(run.errors.contains("dataset-fashion-mnist"))
        #expect(run.errors.split(separator: "\n").count == 1)
    }

    /// The book's primer (Docs/api.md) quotes the line `--data /no/such/folder` prints, as an
    /// example of `orExit`: the quote must be what the chapter says.
    @Test func thePrimersErrorExampleIsWhatTheChapterPrints() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--data", "/no/such/folder"])
        #expect(run.status == 1)
        let primer = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Docs/api.md"), encoding: .utf8)
        #expect(primer.contains("`swift run Ch11_2_Minimax --data /no/such/folder` prints\n\n```\n\(run.errors)```"),
                "Docs/api.md does not quote \(run.errors)")
    }

    @Test func corruptDataIsRejected() throws {
        let folder = try newTemporaryFolder()
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]).write(to: data.appendingPathComponent("train-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 10] + Array(repeating: 1, count: 10)).write(to: data.appendingPathComponent("train-labels-idx1-ubyte"))
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--data", data.path], in: folder)
        #expect(run.status == 1)
        #expect(run.errors.contains("train-images-idx3-ubyte"))
        #expect(!run.errors.contains("Fatal error"))
    }

    @Test func unwritableOutputFolderIsRejected() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--out", "/proc/no-such-folder"], outputFlags: false)
        #expect(run.status == 1)
        #expect(run.errors.contains("/proc/no-such-folder"))
        #expect(run.errors.contains("--out"))
    }

    /// A diverging run stops at the first non-finite loss, names the step, and leaves the
    /// last good checkpoint in place.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func nonFiniteLossStopsTrainingAndKeepsTheCheckpoint() throws {
        // (--resume with another --lr is refused now, so the run diverges from its own start.)
        let diverging = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "40", "--lr", "1e5", "--checkpoint-every", "1"])
        #expect(diverging.status == 1)
        #expect(diverging.errors.contains("at step"), "\(diverging.errors)")
        let kept = try #require(diverging.errors.range(of: #"last good checkpoint \(step [0-9]+\)"#, options: .regularExpression),
                                "\(diverging.errors)")
        let step = diverging.errors[kept].filter(\.isNumber)
        let checkpoint = diverging.folder.appendingPathComponent("checkpoints/ch11_2_minimax/generator.safetensors")
        let saved = try Data(contentsOf: checkpoint)
        #expect(String(decoding: saved.prefix(4096), as: UTF8.self).contains("\"step\":\"\(step)\""))
    }
}
