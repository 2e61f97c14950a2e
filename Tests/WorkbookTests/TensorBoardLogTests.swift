import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// A training run's TensorBoard event file, read back by the library's own reader.
@Suite struct TensorBoardLogTests {
    func run(in folder: String, steps: Int, resume: Bool = false) -> TrainingRun {
        TrainingRun(name: "t", title: "t", settings: RunSettings(
            epochs: 1, steps: steps, batchSize: 1, learningRate: 1, latentDimension: 1, outputFolder: folder,
            checkpointFolder: folder + "/checkpoints", resume: resume, preview: false))
    }

    func eventFiles(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("events.out.tfevents.") }.sorted()
            .map { "\(folder)/\($0)" }
    }

    @Test func scalarsAndSampleGridsAreWhatTheRunLogged() throws {
        let folder = NSTemporaryDirectory() + "tensorboard-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let training = run(in: folder, steps: 3)
        var snapshot = 0
        training.train(metrics: ["loss_d", "loss_g"], snapshot: {
            snapshot += 1
            return Tensor(shape: [4, 1, 2, 2], values: (0..<16).map { Float(($0 + snapshot) % 5) / 2 - 1 })
        }) { step, _ in [Float(step) * 0.25 + 0.1, -Float(step)] }

        let files = try eventFiles(in: folder)
        #expect(files.count == 1)
        let name = try #require(files.first.map { ($0 as NSString).lastPathComponent })
        let fields = name.split(separator: ".")
        #expect(fields.count >= 5 && Int(fields[3]) != nil, "events.out.tfevents.<unix time>.<host>…: \(name)")
        let events = try TensorBoardEventFile(path: try #require(files.first))
        #expect(events.events.first?.fileVersion == "brain.Event:2")
        // Every CSV value, at its step.
        let csv = try CSVLog.read(training.logPath, columns: ["loss_d", "loss_g"])
        for metric in ["loss_d", "loss_g"] {
            #expect(events.scalars(metric).map(\.step) == [0, 1, 2])
            // The CSV's 9 digits give back each Float exactly.
            #expect(events.scalars(metric).map(\.value) == csv[metric]?.map { Float($0) })
        }
        // A snapshot at each epoch's end (here every step, as no data set sets the epoch): each
        // grid's PNG, at the step of the last iteration it shows.
        let images = events.images(TensorBoardLog.samplesTag)
        #expect(images.map(\.step) == [0, 1, 2])
        #expect(try images.map(\.image.encodedImageString) == training.snapshots.map { Data(try $0.pngData()) })
        let picture = try #require(training.snapshots.last).render()
        #expect(images.last?.image.width == Int32(picture.width) && images.last?.image.height == Int32(picture.height))
    }

    @Test func aResumedRunWritesASecondFileThatStartsASession() throws {
        let folder = NSTemporaryDirectory() + "tensorboard-resume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var random = SeededGenerator(seed: 1)
        let first = run(in: folder, steps: 2)
        first.checkpointing(models: [("m", Linear(1, 1, using: &random))], optimizers: [])
        first.train(metrics: ["loss"]) { step, _ in [Float(step)] }
        // Within the same second and process: the second session's file still gets its own name.
        let second = run(in: folder, steps: 4, resume: true)
        second.checkpointing(models: [("m", Linear(1, 1, using: &random))], optimizers: [])
        second.train(metrics: ["loss"]) { step, _ in [Float(step)] }
        let files = try eventFiles(in: folder)
        #expect(files.count == 2)
        let resumed = try #require(try files.map(TensorBoardEventFile.init).first { $0.events.contains { $0.sessionLog != nil } })
        #expect(resumed.events.dropFirst().first?.sessionLog?.status == .start)
        #expect(resumed.events.dropFirst().first?.step == 2)
        #expect(resumed.scalars("loss").map(\.step) == [2, 3])
    }
}
