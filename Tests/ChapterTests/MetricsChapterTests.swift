import CGD
import Foundation
import Testing

/// Ch11_5_Metrics as a reader runs it: quick runs of each subcommand, and bad input.
@Suite("MetricsChapter", .serialized)
struct MetricsChapterTests {
    static let fashionMNIST = FileManager.default.fileExists(atPath: "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
    static let testImages = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
    static let classifier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/classifier.safetensors").path

    func metrics(_ arguments: [String], in folder: URL? = nil) throws -> ChapterRun {
        try runChapter("Ch11_5_Metrics", arguments + ["--classifier", Self.classifier], in: folder)
    }

    /// A number from the summary line, e.g. `fd=0.0123`.
    func field(_ name: String, of run: ChapterRun) -> Double? {
        run.summary?.split(separator: " ").first { $0.hasPrefix("\(name)=") }.flatMap { Double($0.dropFirst(name.count + 1)) }
    }

    /// Bad input: exit status 1 and one line on stderr that starts with "error:", no crash.
    func expectCleanFailure(_ run: ChapterRun, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "exit status \(run.status)", sourceLocation: sourceLocation)
        let lines = run.errors.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.errors)", sourceLocation: sourceLocation)
        #expect(lines.first?.hasPrefix("error:") == true, sourceLocation: sourceLocation)
        #expect(run.errors.contains(text), "stderr: \(run.errors)", sourceLocation: sourceLocation)
    }

    /// CI's smoke run: the bare command with --quick runs the sanity study.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func quickRunWritesTheSanityFigure() throws {
        let run = try metrics(["--quick"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("ch11_5_metrics_sanity.png"))
        #expect(run.summary?.contains("command=sanity") == true)
        #expect(run.summary?.contains("monotone=yes") == true, "\(run.output)")
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func scoringTheTestSetItselfGivesDistancesNearZero() throws {
        let run = try metrics(["score", Self.testImages, "--quick"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(try #require(field("fd", of: run)) < 1e-6)
        #expect(try #require(field("precision", of: run)) == 1)
        #expect(run.output.contains("(test set:"), "the real-data reference is printed")
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func savedStatisticsRoundTripAsTheReference() throws {
        let folder = try newTemporaryFolder()
        let stats = folder.appendingPathComponent("test.npz").path
        let first = try metrics(["score", Self.testImages, "--quick", "--save-stats", stats], in: folder)
        #expect(first.status == 0, "\(first.errors)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: stats))
        #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a zip archive, as numpy writes")
        // Scoring the same images against their own saved statistics: FD 0, and no KID (no features in an .npz).
        let second = try metrics(["score", Self.testImages, "--quick", "--reference", stats], in: folder)
        #expect(second.status == 0, "\(second.errors)")
        #expect(abs(try #require(field("fd", of: second))) < 1e-6)
        #expect(field("kid", of: second) == nil)
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func aFolderOfPNGsIsScored() throws {
        let folder = try newTemporaryFolder()
        let images = folder.appendingPathComponent("pngs")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        for index in 0..<30 { try writeGreyPNG(images.appendingPathComponent("\(index).png").path, seed: index) }
        let run = try metrics(["score", images.path, "--quick"], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(try #require(field("fd", of: run)) > 0.01, "blobs are far from clothes")
        #expect(run.output.contains("holds 30 images"), "fewer images than samples are flagged")
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func leaderboardScoresEveryCheckpointInTheFolder() throws {
        let folder = try newTemporaryFolder()
        let training = try runChapter("Ch11_2_Minimax", ["--quick"], in: folder)
        #expect(training.status == 0, "\(training.errors)")
        let models = folder.appendingPathComponent("models")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("checkpoints/ch11_2_minimax/generator.safetensors"),
                                         to: models.appendingPathComponent("ch11_2_minimax_generator.safetensors"))
        let run = try metrics(["leaderboard", "--quick", "--models", models.path], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("ch11_5_metrics_leaderboard.png"))
        let table = try String(contentsOf: run.file("ch11_5_metrics_leaderboard.md"), encoding: .utf8)
        #expect(table.contains("`ch11_2_minimax`"))
        #expect(table.contains("real: 300 training images"))
        #expect(run.output.contains("not in \(models.path): ch11_2_wgan"))
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func quickClassifierTrainingLeavesTheShippedWeightsAlone() throws {
        let shipped = try Data(contentsOf: URL(fileURLWithPath: Self.classifier))
        let folder = try newTemporaryFolder()
        let run = try runChapter("Ch11_5_Metrics", ["train-classifier", "--quick", "--checkpoint-dir",
                                                    folder.appendingPathComponent("checkpoints").path], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("checkpoints/classifier.safetensors"))
        #expect(run.summary?.contains("test_accuracy=") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.classifier)) == shipped)
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func malformedInputsGiveOneLineErrors() throws {
        let folder = try newTemporaryFolder()
        let empty = folder.appendingPathComponent("empty"), broken = folder.appendingPathComponent("broken")
        for sub in [empty, broken] { try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true) }
        try writeGreyPNG(broken.appendingPathComponent("good.png").path, seed: 1)
        try Data("not a png".utf8).write(to: broken.appendingPathComponent("bad.png"))
        var idx = Data()
        for value: UInt32 in [0x0803, 2, 32, 32] { withUnsafeBytes(of: value.bigEndian) { idx.append(contentsOf: $0) } }
        idx.append(Data(count: 2 * 32 * 32))
        try idx.write(to: folder.appendingPathComponent("big-idx3-ubyte"))
        try Data("PK not really".utf8).write(to: folder.appendingPathComponent("bad.npz"))

        expectCleanFailure(try metrics(["score", empty.path, "--quick"], in: folder), mentioning: "no .png")
        expectCleanFailure(try metrics(["score", broken.path, "--quick"], in: folder), mentioning: "bad.png")
        expectCleanFailure(try metrics(["score", folder.appendingPathComponent("big-idx3-ubyte").path, "--quick"], in: folder),
                           mentioning: "32 × 32")
        expectCleanFailure(try metrics(["score", folder.appendingPathComponent("bad.npz").path, "--quick"], in: folder),
                           mentioning: "bad.npz")
        expectCleanFailure(try metrics(["score", "/nonexistent/file", "--quick"], in: folder), mentioning: "does not exist")
        expectCleanFailure(try metrics(["leaderboard", "--quick", "--models", empty.path], in: folder),
                           mentioning: "no *_generator.safetensors")
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func scoringACheckpointSaysWhatItReadAndWritesJSONAndMarkdown() throws {
        let folder = try newTemporaryFolder()
        let training = try runChapter("Ch11_2_Minimax", ["--quick"], in: folder)
        #expect(training.status == 0, "\(training.errors)")
        let checkpoint = folder.appendingPathComponent("checkpoints/ch11_2_minimax/generator.safetensors").path
        let run = try metrics(["score", checkpoint, "--quick", "--architecture", "mlp"], in: folder)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("generator: ch11_2_minimax (MLP generator, N(0, I) noise), latent size 100, from the file's metadata"),
                "\(run.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: run.bytes("ch11_5_metrics_score_generator.json")) as? [String: Any])
        let scores = try #require(json["scores"] as? [String: Any])
        let printed = try #require(field("fd", of: run))
        #expect((scores["fd"] as? Double).map { abs($0 - printed) <= max(1e-4, 1e-3 * abs(printed)) } == true,
                "the summary's FD, unrounded")
        #expect(json["samples"] as? Int == 300)
        let markdown = try String(contentsOf: run.file("ch11_5_metrics_score_generator.md"), encoding: .utf8)
        #expect(markdown.contains("| FD (lower is better) |"))
    }

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func aFailedScoreLeavesNoFolderBehind() throws {
        let folder = try newTemporaryFolder()
        let out = folder.appendingPathComponent("runs/score")
        let run = try runChapter("Ch11_5_Metrics", ["score", "/nonexistent/file", "--quick", "--classifier", Self.classifier,
                                                    "--out", out.path], in: folder, outputFlags: false)
        expectCleanFailure(run, mentioning: "does not exist")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }

    /// A bad command line gets one line too, not the message followed by the usage text (issue 14).
    @Test(arguments: [
        (["score", MetricsChapterTests.testImages, "--samples", "0"], "--samples"), (["score"], "<input>"),
        (["sanity", "--levels", "1"], "--levels"), (["--bogus"], "--bogus"), (["leaderboard", "--threads", "0"], "--threads"),
    ])
    func badCommandLinesGiveOneLineErrors(arguments: [String], mentions: String) throws {
        let run = try metrics(arguments)
        #expect(run.status == 64, "EX_USAGE, as ArgumentParser exits on a usage error; got \(run.status)")
        let lines = run.errors.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(run.errors)")
        #expect(lines.first?.hasPrefix("error:") == true && run.errors.contains(mentions), "stderr: \(run.errors)")
    }

    /// A 28 × 28 grey PNG with a bright square whose place depends on `seed`.
    func writeGreyPNG(_ path: String, seed: Int) throws {
        let image = gdImageCreateTrueColor(28, 28)!
        defer { gdImageDestroy(image) }
        let offset = Int32(seed % 14)
        gdImageFilledRectangle(image, offset, offset, offset + 12, offset + 12, 0xC0C0C0)
        var size: Int32 = 0
        let bytes = gdImagePngPtr(image, &size)!
        defer { gdFree(bytes) }
        try Data(bytes: bytes, count: Int(size)).write(to: URL(fileURLWithPath: path))
    }
}
