import Foundation
import Testing
@testable import Workbook

/// An experiment must not replace the book's committed figures.
@Suite struct OutputFolderTests {
    @Test func aDefaultRunWritesBelowRunsNamedAfterTheChapter() {
        #expect(defaultOutputFolder(arguments: ["/x/.build/debug/Ch11_2_Minimax"]) == "runs/ch11_2_minimax")
        // Options that do not change results do not change the folder.
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--threads", "1", "--resume", "--checkpoint-dir", "c"])
            == "runs/ch11_2_minimax")
    }

    @Test func changedSettingsNameTheirOwnFolder() {
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--lr", "1e-3", "--epochs=2"])
            == "runs/ch11_2_minimax-lr-1e-3-epochs-2")
        #expect(defaultOutputFolder(arguments: ["Ch11_3_WGANGP", "--compare", "--lambda", "0.5"])
            == "runs/ch11_3_wgangp-compare-lambda-0.5")
        // Another data set is another run: its folder's last component names it.
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--data", "/home/me/mnist/", "--loss", "saturating"])
            == "runs/ch11_2_minimax-data-mnist-loss-saturating")
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--data", "/usr/share/datasets/fashion-mnist"])
            == "runs/ch11_2_minimax")
        // Comparisons drawn beside a run do not change what it trains, nor its folder (so --resume finds it).
        #expect(defaultOutputFolder(arguments: ["Ch11_4_DCGAN", "--compare-with", "x.safetensors", "--fresh"]) == "runs/ch11_4_dcgan")
        // Nothing of a value can climb out of runs/.
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--loss", "../../etc"]) == "runs/ch11_2_minimax-loss-..-..-etc")
    }
}

@Suite struct MetricNameTests {
    @Test func aMisspeltMetricIsAnErrorNotAnEmptyCurve() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)").path
        let run = TrainingRun(name: "t", title: "t", settings: RunSettings(
            epochs: 1, steps: 2, batchSize: 1, learningRate: 1, latentDimension: 1, outputFolder: folder,
            checkpointFolder: folder + "/checkpoints", preview: false))
        run.train(metrics: ["d_loss"]) { step, _ in [Float(step)] }
        #expect(try run.values(of: "d_loss") == [0, 1])
        let error = try #require(throws: UnknownMetric.self) { try run.values(of: "d_los") }
        #expect(error.description.contains("it logs d_loss"))
    }
}

/// The grid of real images the minimax chapter shows before any sample: the same figure with
/// or without `--quick` (which loads only the first `quickExamples` images), chosen by the seed.
@Suite struct RealImagesTests {
    func writeRealImages(of data: ImageDataset, quick: Bool, seed: UInt64) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("real-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = TrainingRun(name: "t", title: "t", settings: RunSettings(
            epochs: 1, batchSize: 1, learningRate: 1, latentDimension: 1, seed: seed, outputFolder: folder,
            checkpointFolder: folder + "/checkpoints", quick: quick, preview: false))
        run.writeRealImages(data)
        return try Data(contentsOf: URL(fileURLWithPath: run.figurePath("real")))
    }

    @Test func theFigureIsTheSameWithQuickAndChangesWithTheSeed() throws {
        // Every image a different grey level, so any change of choice changes the figure.
        let count = RunSettings.quickExamples + 100
        func images(_ n: Int) -> ImageDataset {
            ImageDataset(count: n, channels: 1, height: 2, width: 2,
                         pixels: (0..<n).flatMap { Array(repeating: Float($0) / Float(count) * 2 - 1, count: 4) },
                         labels: Array(repeating: 0, count: n), classNames: ["x"])
        }
        let full = try writeRealImages(of: images(count), quick: false, seed: 0)
        #expect(try writeRealImages(of: images(RunSettings.quickExamples), quick: true, seed: 0) == full)
        #expect(try writeRealImages(of: images(count), quick: false, seed: 1) != full)
    }
}
