import ArgumentParser
import CGD
import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// Bad inputs found by the robustness study (issue 14), one fixture each, written by the test.
@Suite struct RobustnessTests {
    func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "robustness-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: Checkpoints

    /// A model, an optimiser of each kind and one fixed gradient per step.
    final class Setup {
        let model: Sequential
        let optimizers: [any Optimizer]
        init(seed: UInt64) {
            var weights = SeededGenerator(seed: seed)
            model = Sequential(Linear(3, 2, using: &weights), Linear(2, 1, using: &weights))
            let p = model.parameters
            optimizers = [SGD([p[0]], learningRate: 0.1, momentum: 0.9), Adam([p[1], p[2]], learningRate: 0.01),
                          RMSprop([p[3]], learningRate: 0.01)]
        }
        func train(_ steps: Range<Int>) {
            for step in steps {
                for optimizer in optimizers {
                    optimizer.step(optimizer.parameters.map { Tensor(shape: $0.shape, values: $0.values.map { $0 * 0.5 + Float(step) }) })
                }
            }
        }
        func checkpoint(_ folder: String) -> Checkpoint {
            Checkpoint(folder: folder, models: [("model", model)],
                       optimizers: [("sgd", optimizers[0]), ("adam", optimizers[1]), ("rmsprop", optimizers[2])])
        }
    }

    /// Every optimiser's saved state is complete: a restored run takes the same next steps.
    @Test func checkpointRestoresEveryOptimiserExactly() throws {
        let folder = temporaryFolder()
        let uninterrupted = Setup(seed: 1)
        uninterrupted.train(0..<5)

        let first = Setup(seed: 1)
        first.train(0..<3)
        try first.checkpoint(folder).save(step: 3, metadata: ["chapter": "test"])
        let resumed = Setup(seed: 99)  // other weights: everything must come from the file
        #expect(try resumed.checkpoint(folder).restore(expecting: ["chapter": "test"]) == 3)
        #expect(resumed.optimizers.map(\.stepCount) == [3, 3, 3])
        resumed.train(3..<5)
        #expect(resumed.model.parameters.map(\.values) == uninterrupted.model.parameters.map(\.values))
    }

    /// The old layout renamed model files and the state file one after another: a kill in
    /// between left a mixed set that --resume accepted. It is refused now.
    @Test func checkpointOfTheOldPerFileLayoutIsRefused() throws {
        let folder = temporaryFolder()
        let setup = Setup(seed: 1)
        try writeSafetensors(setup.model.stateDict.map(SafetensorsEntry.init), to: folder + "/model.safetensors")
        try writeSafetensors([], metadata: ["step": "3"], to: folder + "/training_state.safetensors")
        let checkpoint = setup.checkpoint(folder)
        #expect(checkpoint.exists)
        #expect(message { _ = try checkpoint.restore() }.contains("cannot be verified as one set"))
    }

    /// The set is one file: the exported model files may lag or lead after a kill, the
    /// checkpoint itself is always one step's; and saving removes the old layout's state file.
    @Test func savingWritesOneFileWithEverythingAndExportsEachModel() throws {
        let folder = temporaryFolder()
        FileManager.default.createFile(atPath: folder + "/training_state.safetensors", contents: Data([0]))
        let setup = Setup(seed: 1)
        setup.train(0..<2)
        try setup.checkpoint(folder).save(step: 2)
        let file = try readSafetensors(folder + "/checkpoint.safetensors")
        #expect(file.metadata["step"] == "2")
        #expect(["sgd", "adam", "rmsprop"].allSatisfy { file.metadata["optimizers.\($0).step"] == "2" })
        #expect(file.entries["models.model.0.weight"] != nil && file.entries["optimizers.adam.state.0.exp_avg"] != nil)
        #expect(try readSafetensors(folder + "/model.safetensors").metadata["step"] == "2")
        #expect(!FileManager.default.fileExists(atPath: folder + "/training_state.safetensors"))
    }

    /// Metadata that parses but makes no sense: a negative step, a huge optimiser step
    /// (which made Adam's bias correction loop for ages), another run's seed.
    @Test(arguments: [
        ("step", "-3", "has step '-3'"), ("optimizers.adam.step", "99999999999999999999", "not a count of updates"),
        ("optimizers.sgd.step", "-1", "not a count of updates"), ("seed", "8", "was written with seed 8, this run has 7"),
    ])
    func checkpointMetadataThatMakesNoSenseIsRefused(key: String, value: String, expected: String) throws {
        let folder = temporaryFolder()
        let setup = Setup(seed: 1)
        try setup.checkpoint(folder).save(step: 2, metadata: ["seed": "7"])
        var file = try readSafetensors(folder + "/checkpoint.safetensors")
        file.metadata[key] = value
        try writeSafetensors(Array(file.entries.values), metadata: file.metadata, to: folder + "/checkpoint.safetensors")
        let text = message { _ = try setup.checkpoint(folder).restore(expecting: ["seed": "7"]) }
        #expect(text.hasPrefix(folder + "/checkpoint.safetensors: ") && text.contains(expected), "\(text)")
    }

    /// A huge step count (within the limit a checkpoint may claim) no longer hangs Adam.
    @Test(.timeLimit(.minutes(1))) func adamWithAHugeStepCountStepsAtOnce() {
        let p = Tensor(shape: [1], values: [1])
        let adam = Adam([p], learningRate: 0.1)
        adam.restore(stepCount: maximumOptimizerSteps)
        adam.step([Tensor(shape: [1], values: [1])])
        #expect(p.values[0].isFinite && p.values[0] < 1)
    }

    // MARK: The CSV log on --resume

    func writeLog(_ text: String) -> String {
        let path = temporaryFolder() + "/log.csv"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @Test(arguments: [
        ("step,x\n0,1\n1,2\n2,3\n", "no error"),
        ("step,x\n0,1\nabc\n2,3\n", "line 3 has 1 fields, the header has 2"),  // garbage row
        ("step,x\n0,1\n1\n2,3\n", "line 3 has 1 fields"),  // short row
        ("step,x\n0,1\n1,2,3\n2,3\n", "line 3 has 3 fields"),
        ("step,x\n0,1\n0,1\n1,2\n", "line 3 is for step '0' where step 1 belongs"),  // duplicate
        ("step,x\n0,1\n2,3\n3,4\n", "line 3 is for step '2' where step 1 belongs"),  // gap
        ("step,x\n0,1\n1,nan\n2,3\n", "line 3 holds 'nan', not a finite number"),
        ("step,x\n0,1\n1,2", "has 1 complete rows, but the checkpoint is at step 2"),  // truncated
        ("", "is a log with columns nothing"),
    ])
    func damagedLogIsRefusedOnResume(log: String, expected: String) throws {
        let path = writeLog(log)
        let text = message { _ = try CSVLog(path: path, columns: ["x"], resumingAt: 2) }
        #expect(text.contains(expected), "\(text)")
        if expected != "no error" { #expect(text.hasPrefix(path + ": ") && !text.contains("\n")) }
    }

    @Test func rowsLoggedAfterTheCheckpointAreDroppedAndCounted() throws {
        let path = writeLog("step,x\n0,1\n1,2\n2,3\n3,4\n4,5")  // the last one cut short by a kill
        let log = try CSVLog(path: path, columns: ["x"], resumingAt: 2)
        #expect(log.droppedRows == 2 && log.keptValues == ["x": [1, 2]])
        try log.close()
        #expect(String(decoding: try readFileBytes(path), as: UTF8.self) == "step,x\n0,1\n1,2\n")
        let missing = temporaryFolder() + "/none.csv"
        #expect(message { _ = try CSVLog(path: missing, columns: ["x"], resumingAt: 2) }
            .hasPrefix("\(missing): is missing, but the checkpoint is at step 2"))
    }

    // MARK: IDX data

    func writeIDX(_ folder: String, images: [Int], labels: [UInt8]) {
        func file(_ magic: UInt32, _ dimensions: [Int], _ payload: [UInt8]) -> Data {
            Data(([magic] + dimensions.map(UInt32.init)).flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } + payload)
        }
        let count = images.reduce(1, *)
        FileManager.default.createFile(atPath: folder + "/train-images-idx3-ubyte",
                                       contents: file(0x803, images, [UInt8](repeating: 9, count: count)))
        FileManager.default.createFile(atPath: folder + "/train-labels-idx1-ubyte",
                                       contents: file(0x801, [labels.count], labels))
    }

    /// Zero sizes passed the reader and crashed later in minibatching.
    @Test(arguments: [[0, 28, 28], [2, 0, 28], [2, 28, 0]])
    func idxWithAZeroSizeIsRefused(dimensions: [Int]) {
        let folder = temporaryFolder()
        writeIDX(folder, images: dimensions, labels: dimensions[0] == 0 ? [] : [1, 2])
        #expect(message { _ = try loadIDXDataset(directory: folder) }.contains("declares a size of 0"))
    }

    /// Labels all 255 built 256 classes, 255 of them empty.
    @Test func labelsWithGapsAboveTheTenClassesAreRefused() throws {
        let folder = temporaryFolder()
        writeIDX(folder, images: [3, 2, 2], labels: [255, 255, 255])
        #expect(message { _ = try loadIDXDataset(directory: folder) }
            .contains("train-labels-idx1-ubyte: has label 255, but no example of class 10"))
        // Consecutive classes beyond ten (EMNIST letters) are fine, and so are missing digits.
        writeIDX(folder, images: [26, 2, 2], labels: (0..<26).map(UInt8.init))
        #expect(try loadIDXDataset(directory: folder).classNames.count == 26)
        writeIDX(folder, images: [2, 2, 2], labels: [3, 7])
        #expect(try loadIDXDataset(directory: folder).classNames.count == 10)
    }

    @Test func idxSymlinkLoopIsNotReportedAsMissing() {
        let folder = temporaryFolder()
        writeIDX(folder, images: [1, 2, 2], labels: [1])
        unlink(folder + "/train-images-idx3-ubyte")
        symlink(folder + "/train-images-idx3-ubyte", folder + "/train-images-idx3-ubyte.gz")
        symlink(folder + "/train-images-idx3-ubyte.gz", folder + "/train-images-idx3-ubyte")
        let text = message { _ = try loadIDXDataset(directory: folder) }
        #expect(text.contains("symbolic links"), "\(text)")
    }

    // MARK: Images

    /// A valid 4 × 4 PNG whose IHDR is then patched.
    func png(width: UInt32, height: UInt32) -> [UInt8] {
        let image = gdImageCreateTrueColor(4, 4)!
        defer { gdImageDestroy(image) }
        var size: Int32 = 0
        let data = gdImagePngPtr(image, &size)!
        defer { gdFree(data) }
        var bytes = Array(UnsafeRawBufferPointer(start: data, count: Int(size)))
        bytes.replaceSubrange(16..<24, with: withUnsafeBytes(of: width.bigEndian, Array.init) + withUnsafeBytes(of: height.bigEndian, Array.init))
        return bytes
    }

    /// A PNG header claiming 20000 × 20000 cost 1.4 GB before the error; now it is skipped
    /// without decoding.
    @Test func imageWithAnAbsurdHeaderSizeIsSkippedBeforeDecoding() throws {
        let folder = temporaryFolder()
        try atomicWrite(png(width: 20_000, height: 20_000), to: folder + "/huge.png")
        try atomicWrite(png(width: 4, height: 4), to: folder + "/fine.png")
        // A JPEG start-of-frame claiming 65000 × 65000.
        try atomicWrite([0xFF, 0xD8, 0xFF, 0xC0, 0, 11, 8, 0xFD, 0xE8, 0xFD, 0xE8, 1, 1, 0x11, 0], to: folder + "/huge.jpg")
        #expect(pngDimensions(try readFileBytes(folder + "/huge.png"))! == (20_000, 20_000))
        #expect(jpegDimensions(try readFileBytes(folder + "/huge.jpg"))! == (65_000, 65_000))
        let contents = try loadImageFolder(folder, size: 4)
        #expect(contents.images.count == 1)
        #expect(contents.skippedFiles == [folder + "/huge.jpg", folder + "/huge.png"])
    }

    /// libpng printed "libpng warning: …" lines to the terminal for damaged ancillary chunks.
    @Test func libpngWarningsDoNotReachTheTerminal() throws {
        let folder = temporaryFolder()
        var bytes = png(width: 4, height: 4)
        // A tEXt chunk with a wrong CRC after IHDR: libpng warns and decodes the image anyway.
        let text: [UInt8] = [0, 0, 0, 3] + Array("tEXta\u{0}b".utf8) + [0, 0, 0, 0]
        bytes.insert(contentsOf: text, at: 33)
        try atomicWrite(bytes, to: folder + "/warns.png")
        let captured = folder + "/stderr.txt"
        let saved = dup(STDERR_FILENO)
        let file = open(captured, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        dup2(file, STDERR_FILENO)
        close(file)
        let contents = try? loadImageFolder(folder, size: 4)
        dup2(saved, STDERR_FILENO)
        close(saved)
        #expect(contents?.images.count == 1)
        #expect(try String(contentsOfFile: captured, encoding: .utf8) == "")
    }

    // MARK: Statistics files

    func writeNPZ(mu: [Double], sigma: [Double], d: Int) throws -> String {
        let path = temporaryFolder() + "/stats.npz"
        try atomicWrite(storedZipArchive([("mu.npy", encodeNPY(mu, shape: [d])), ("sigma.npy", encodeNPY(sigma, shape: [d, d]))]),
                        to: path)
        return path
    }

    @Test func npzWithAnAsymmetricOrNonFiniteCovarianceIsRefused() throws {
        let asymmetric = try writeNPZ(mu: [0, 0], sigma: [1, 0.5, -0.5, 1], d: 2)
        #expect(message { _ = try GaussianStats(npzPath: asymmetric) }
            .hasPrefix("\(asymmetric): sigma is not symmetric: sigma[0, 1] = 0.5 but sigma[1, 0] = -0.5"))
        let infinite = try writeNPZ(mu: [0, 0], sigma: [1, 0, 0, .infinity], d: 2)
        #expect(message { _ = try GaussianStats(npzPath: infinite) }.hasPrefix("\(infinite): sigma[1, 1] is inf"))
        let notANumber = try writeNPZ(mu: [.nan, 0], sigma: [1, 0, 0, 1], d: 2)
        #expect(message { _ = try GaussianStats(npzPath: notANumber) }.hasPrefix("\(notANumber): mu[0] is nan"))
    }

    @Test(.timeLimit(.minutes(1))) func npzThatIsAFifoIsRefused() {
        let path = temporaryFolder() + "/stats.npz"
        mkfifo(path, 0o600)
        #expect(message { _ = try GaussianStats(npzPath: path) }.contains("is not a regular file"))
    }

    /// Comparing statistics of different feature sizes named neither side.
    @Test func mismatchedStatisticsNameBothSides() throws {
        let small = EmbeddedImages("other.npz", statistics: try GaussianStats(mu: [0, 0], sigma: [1, 0, 0, 1]))
        let large = EmbeddedImages("test set", statistics: try GaussianStats(mu: [0, 0, 0], sigma: [1, 0, 0, 0, 1, 0, 0, 0, 1]))
        let text = message { _ = try scoreCard(small, against: large) }
        #expect(text.hasPrefix("other.npz has 2-dimensional features but test set has 3"), "\(text)")
    }

    @Test func generatorCheckpointWithAHugeLatentSizeIsRefused() throws {
        let path = temporaryFolder() + "/generator.safetensors"
        try writeSafetensors([], metadata: ["chapter": "ch11_2_minimax", "latent_dim": "1000000000"], to: path)
        #expect(message { _ = try CheckpointGenerator(path: path) }.contains("latent_dim '1000000000'"))
    }

    // MARK: Options

    enum Defaults: ChapterDefaults {
        static let recipe = Recipe(epochs: 5, batchSize: 64, learningRate: 2e-4, latentDimension: 100)
    }

    /// Negative values said "Missing value"; huge ones overflowed or asked for terabytes.
    @Test(arguments: [
        (["--lr", "-1"], "--lr must be a positive number, got -1.0"),
        (["--batch-size", "-5"], "--batch-size must be between 1 and 65536, got -5"),
        (["--steps", "-1"], "--steps must be between 1 and 1000000000, got -1"),
        (["--seed", "-1"], "The value '-1' is invalid for '--seed <seed>'"),
        (["--epochs", "9223372036854775807"], "--epochs must be between 1 and 100000"),
        (["--latent-dim", "1000000000"], "--latent-dim must be between 1 and 65536"),
        (["--checkpoint-every", "0"], "--checkpoint-every must be between 1"),
        (["--threads", "-2"], "--threads must be between 1 and 1024, got -2"),
    ])
    func numericOptionsGetTheirRangeCheck(arguments: [String], expected: String) {
        let text: String
        do {
            _ = try TrainingOptions<Defaults>.parse(arguments)
            text = "no error"
        } catch {
            text = TrainingOptions<Defaults>.message(for: error)
        }
        #expect(text.hasPrefix(expected), "\(text)")
    }

    @Test func sanityBoundsAreAvailableToChapters() {
        #expect(message { try requireInRange(1_000_000_000, "--n-critic", 1...SanityLimits.repetitions) }
            == "--n-critic must be between 1 and 10000, got 1000000000")
        #expect(message { try requireInRange(Float.nan, "--gp-weight", 0...1000) }.contains("got nan"))
    }
}
