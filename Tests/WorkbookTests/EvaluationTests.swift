import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// The feature classifier, the image sources, the generator registry and the disturbances
/// of the metrics chapter.
@Suite("Evaluation")
struct EvaluationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let shippedClassifier = repository.appendingPathComponent(FeatureClassifier.defaultPath).path
    static let fashionMNIST = FileManager.default.fileExists(
        atPath: "\(defaultFashionMNISTDirectory)/t10k-images-idx3-ubyte.gz")

    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// An IDX image file: magic, sizes, pixel bytes.
    func writeIDX(_ path: String, count: Int, side: Int, byte: (Int) -> UInt8 = { UInt8($0 % 256) }) throws {
        var bytes: [UInt8] = []
        for value in [0x0803, count, side, side] { bytes += withUnsafeBytes(of: UInt32(value).bigEndian, Array.init) }
        bytes += (0..<(count * side * side)).map(byte)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func randomImages(_ n: Int, seed: UInt64) -> Tensor {
        var random = SeededGenerator(seed: seed)
        return Tensor.randomUniform([n, 1, 28, 28], in: -1..<1, using: &random)
    }

    // MARK: The classifier

    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func shippedClassifierReachesNinetyPercentOnTheTestSet() throws {
        let classifier = try FeatureClassifier.load(from: Self.shippedClassifier)
        let test = try loadIDXDataset(split: .test, limit: 2_000)
        let accuracy = try classifier.accuracy(imageTensor(test), labels: test.labels)
        #expect(accuracy >= 0.90, "accuracy \(accuracy) on 2,000 test images")
    }

    @Test func shippedClassifierIsSmallAndNamedLikePyTorch() throws {
        let size = try FileManager.default.attributesOfItem(atPath: Self.shippedClassifier)[.size] as! Int
        #expect(size < 2_000_000)
        let names = Set(try readSafetensors(Self.shippedClassifier).entries.keys)
        #expect(names.isSuperset(of: ["0.weight", "0.bias", "1.running_mean", "1.running_var", "3.weight", "10.weight",
                                      "12.weight", "12.bias"]))
        #expect(names.count == 25, "5 weight/bias pairs (3 convolutions, 2 linear layers) and 3 batch norms of 5 tensors")
    }

    @Test func featuresAndProbabilitiesHaveOneRowPerImage() throws {
        var weights = SeededGenerator(seed: 1)
        let classifier = FeatureClassifier(using: &weights)
        // 7 images in batches of 3: the last batch is short.
        let (features, probabilities) = try classifier.embed(randomImages(7, seed: 2), batchSize: 3)
        #expect(features.rows == 7 && features.columns == FeatureClassifier.featureCount)
        #expect(probabilities.rows == 7 && probabilities.columns == 10)
        for row in 0..<7 {
            let sum = probabilities.values[(row * 10)..<((row + 1) * 10)].reduce(0, +)
            #expect(abs(sum - 1) < 1e-5)
        }
        #expect(features.values.allSatisfy { $0 >= 0 }, "features are ReLU outputs")
        // Batching does not change the result (beyond the GEMM's summation order).
        let unbatched = try classifier.features(randomImages(7, seed: 2))
        #expect(zip(unbatched.values, features.values).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func classifierRefusesImagesOfTheWrongShape() throws {
        var weights = SeededGenerator(seed: 1)
        let classifier = FeatureClassifier(using: &weights)
        #expect(throws: EvaluationError.self) { try classifier.features(Tensor.zeros([2, 3, 28, 28])) }
        #expect(throws: EvaluationError.self) { try classifierInput(Tensor.zeros([2, 3, 64, 64]), from: "x") }
        #expect(try classifierInput(Tensor.zeros([2, 784]), from: "x").shape == [2, 1, 28, 28])
    }

    @Test func savedClassifierLoadsWithTheSameOutputs() throws {
        var weights = SeededGenerator(seed: 3)
        let classifier = FeatureClassifier(using: &weights)
        // One training-mode pass moves the batch norms' running statistics off their
        // defaults, so the comparison below also needs the buffers saved and loaded.
        _ = withoutGradients { classifier(randomImages(8, seed: 5)) }
        let path = try temporaryFolder() + "/classifier.safetensors"
        try classifier.save(to: path)
        let images = randomImages(4, seed: 4)
        #expect(try FeatureClassifier.load(from: path).probabilities(images) == classifier.probabilities(images))
        // Another network's file is refused with a message naming the fix.
        let other = try temporaryFolder() + "/generator.safetensors"
        try writeSafetensors([SafetensorsEntry(name: "0.weight", shape: [1], values: [0])], to: other)
        #expect(throws: EvaluationError.self) { try FeatureClassifier.load(from: other) }
    }

    // MARK: Image sources

    @Test func idxFileLoadsAsImagesInTheClassifiersRange() throws {
        let path = try temporaryFolder() + "/samples-idx3-ubyte"
        try writeIDX(path, count: 5, side: 28)
        let images = try loadIDXImages(path)
        #expect(images.shape == [5, 1, 28, 28])
        #expect(images.values[0] == -1 && images.values[255] == 1)
        #expect(try loadIDXImages(path, limit: 2).shape == [2, 1, 28, 28])
    }

    @Test func malformedIDXFilesAreRefused() throws {
        let folder = try temporaryFolder()
        try writeIDX(folder + "/wrong-size", count: 2, side: 32)
        try Data([0, 0, 8, 1, 0, 0, 0, 2, 0, 0]).write(to: URL(fileURLWithPath: folder + "/labels"))
        var truncated: [UInt8] = []
        for value in [0x0803, 10, 28, 28] { truncated += withUnsafeBytes(of: UInt32(value).bigEndian, Array.init) }
        try Data(truncated + [1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/truncated"))
        // The size is the evaluation's complaint; a wrong magic number or a short file is the
        // data loader's (the same reader as the training data's).
        let sizeError = try #require(throws: EvaluationError.self) { try loadIDXImages(folder + "/wrong-size") }
        #expect(sizeError.description.contains("32 × 32"))
        for name in ["wrong-size", "labels", "truncated"] {
            let error = try #require(throws: (any Error).self) { try loadIDXImages(folder + "/" + name) }
            #expect(String(describing: error).contains(folder + "/" + name))
            #expect(!String(describing: error).contains("\n"))
        }
        let labelsError = try #require(throws: WorkbookFileError.self) { try loadIDXImages(folder + "/labels") }
        #expect(labelsError.problem.contains("not an IDX image file"))
        let truncatedError = try #require(throws: WorkbookFileError.self) { try loadIDXImages(folder + "/truncated") }
        #expect(truncatedError.problem.contains("truncated"))
    }

    @Test func pngFoldersMustHoldOnlyDecodableImages() throws {
        let empty = try temporaryFolder()
        #expect(throws: WorkbookFileError.self) { try loadPNGFolder(empty) }
        let broken = try temporaryFolder()
        try SampleGrid(pixels: [Float](repeating: 0.5, count: 784), height: 28, width: 28).write(to: broken + "/a.png")
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: broken + "/b.png"))
        let error = try #require(throws: EvaluationError.self) { try loadPNGFolder(broken) }
        #expect(error.description.contains("b.png"))
    }

    // MARK: Generators from checkpoints

    func writeMinimaxCheckpoint(_ path: String, metadata: [String: String]) throws -> Sequential {
        var weights = SeededGenerator(seed: 5)
        let generator = mlpGenerator(latent: 8, pixels: 784, using: &weights)
        try writeSafetensors(generator.stateDict.map { SafetensorsEntry(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.values) },
                             metadata: metadata, to: path)
        return generator
    }

    @Test func checkpointGeneratorIsRebuiltFromItsMetadata() throws {
        let path = try temporaryFolder() + "/generator.safetensors"
        let original = try writeMinimaxCheckpoint(path, metadata: ["chapter": "ch11_2_minimax", "latent_dim": "8"])
        let generator = try CheckpointGenerator(path: path)
        #expect(generator.chapter == .minimax && generator.latentDimension == 8)
        let samples = try generator.sample(count: 7, seed: 9, batchSize: 4)
        #expect(samples.shape == [7, 1, 28, 28])
        #expect(samples.values.allSatisfy { (-1...1).contains($0) })
        #expect(try generator.sample(count: 7, seed: 9).values == samples.values, "same seed, same samples")
        // The same noise through the original network gives the same images.
        var random = SeededGenerator(seed: 9)
        let noise = Tensor.randomNormal([4, 8], using: &random)
        #expect(evaluating { original(noise) }.values == Array(samples.values[0..<(4 * 784)]))
    }

    @Test func checkpointsWithoutAKnownChapterAreRefused() throws {
        let folder = try temporaryFolder()
        _ = try writeMinimaxCheckpoint(folder + "/unknown.safetensors", metadata: ["chapter": "ch99", "latent_dim": "8"])
        _ = try writeMinimaxCheckpoint(folder + "/wrong.safetensors", metadata: ["chapter": "ch11_4_dcgan", "latent_dim": "8"])
        _ = try writeMinimaxCheckpoint(folder + "/nolatent.safetensors", metadata: ["chapter": "ch11_4_dcgan"])
        for name in ["unknown", "wrong", "nolatent"] {
            #expect(throws: EvaluationError.self) { try CheckpointGenerator(path: folder + "/\(name).safetensors") }
        }
        // Without latent_dim, the latent size comes from the first layer's weight.
        _ = try writeMinimaxCheckpoint(folder + "/inferred.safetensors", metadata: ["chapter": "ch11_2_wgan"])
        let inferred = try CheckpointGenerator(path: folder + "/inferred.safetensors")
        #expect(inferred.chapter == .wgan && inferred.latentDimension == 8)
    }

    /// What `safetensors.torch.save_file(G.state_dict(), path)` writes: no metadata, and
    /// BatchNorm's `num_batches_tracked` as an int64 scalar beside the float32 tensors.
    func writePyTorchStyleFile(_ path: String, network: any Layer, prefix: String = "") throws {
        var header: [String] = [], data: [UInt8] = []
        for (unprefixed, tensor) in network.stateDict.sorted(by: { $0.name < $1.name }) {
            let name = prefix + unprefixed
            let start = data.count
            if !name.hasSuffix("num_batches_tracked") {
                for value in tensor.values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 } }
                header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":\(tensor.shape),\"data_offsets\":[\(start),\(data.count)]}")
            } else {
                withUnsafeBytes(of: Int64(1234).littleEndian) { data += $0 }
                header.append("\"\(name)\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[\(start),\(data.count)]}")
            }
        }
        let json = Array(("{" + header.joined(separator: ",") + "}").utf8)
        let bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func generatorsSavedByPyTorchAreScoredByTheirShapes() throws {
        let folder = try temporaryFolder()
        var weights = SeededGenerator(seed: 3)
        try writePyTorchStyleFile(folder + "/dcgan.safetensors", network: dcganGenerator(latent: 16, using: &weights))
        let dcgan = try CheckpointGenerator(path: folder + "/dcgan.safetensors")
        #expect(dcgan.chapter == .dcgan && dcgan.latentDimension == 16)
        #expect(try dcgan.sample(count: 2, seed: 1).shape == [2, 1, 28, 28])

        try writePyTorchStyleFile(folder + "/mlp.safetensors", network: mlpGenerator(latent: 12, pixels: 784, using: &weights))
        let mlp = try CheckpointGenerator(path: folder + "/mlp.safetensors")
        #expect(mlp.chapter == .minimax && mlp.latentDimension == 12)

        // A conditional generator is a DCGAN with ten more inputs: it is scored as one only when named.
        try writePyTorchStyleFile(folder + "/cgan.safetensors", network: dcganGenerator(latent: 26, using: &weights))
        let conditional = try CheckpointGenerator(path: folder + "/cgan.safetensors", architecture: .conditional)
        #expect(conditional.chapter == .conditional && conditional.latentDimension == 16)

        // A discriminator is neither, and the error says what to pass.
        try writePyTorchStyleFile(folder + "/critic.safetensors", network: mlpDiscriminator(pixels: 784, using: &weights))
        let error = try #require(throws: EvaluationError.self) { try CheckpointGenerator(path: folder + "/critic.safetensors") }
        #expect(error.description.contains("--architecture"))
        #expect(throws: EvaluationError.self) { try CheckpointGenerator(path: folder + "/mlp.safetensors", architecture: .dcgan) }
    }

    @Test func aWrapperModulesPrefixIsStripped() throws {
        let folder = try temporaryFolder()
        var weights = SeededGenerator(seed: 3)
        let network = mlpGenerator(latent: 12, pixels: 784, using: &weights)
        try writePyTorchStyleFile(folder + "/plain.safetensors", network: network)
        try writePyTorchStyleFile(folder + "/wrapped.safetensors", network: network, prefix: "net.")
        let plain = try CheckpointGenerator(path: folder + "/plain.safetensors")
        let wrapped = try CheckpointGenerator(path: folder + "/wrapped.safetensors")
        #expect(plain.strippedPrefix == "" && wrapped.strippedPrefix == "net.")
        #expect(wrapped.chapter == .minimax && wrapped.latentDimension == 12)
        #expect(try wrapped.sample(count: 3, seed: 2).values == plain.sample(count: 3, seed: 2).values)
        // Two levels of wrapping are not guessed; the error shows the names found.
        try writePyTorchStyleFile(folder + "/deep.safetensors", network: network, prefix: "model.net.")
        let error = try #require(throws: EvaluationError.self) { try CheckpointGenerator(path: folder + "/deep.safetensors") }
        #expect(error.description.contains("model.net.0.bias"))
    }

    @Test func oneCommonPrefixIsFound() {
        #expect(commonPrefix(of: ["net.0.weight", "net.0.bias"]) == "net.")
        #expect(commonPrefix(of: ["module.0.weight"]) == "module.")
        #expect(commonPrefix(of: ["0.weight", "0.bias"]) == "")
        #expect(commonPrefix(of: ["a.0.weight", "b.0.bias"]) == "")
        #expect(commonPrefix(of: ["net.0.weight", "net"]) == "")
        #expect(commonPrefix(of: []) == "")
    }

    @Test func architectureNamesAPyTorchUserTypes() {
        #expect(ChapterGenerator(name: "dcgan") == .dcgan)
        #expect(ChapterGenerator(name: "mlp") == .minimax)
        #expect(ChapterGenerator(name: "CGAN") == .conditional)
        #expect(ChapterGenerator(name: "rgan") == .relativistic)
        #expect(ChapterGenerator(name: "wgan-gp") == .wganGP)
        #expect(ChapterGenerator(name: "Ch11_4_DCGAN") == .dcgan)
        #expect(ChapterGenerator(name: "ch11_2_wgan") == .wgan)
        #expect(ChapterGenerator(name: "resnet") == nil)
        #expect(ChapterGenerator(argument: "mlp") == .minimax, "the command line takes them too")
        #expect(ChapterGenerator.allValueStrings.contains("dcgan"))
    }

    @Test func dcganShapesWithoutMetadataComeWithWarnings() throws {
        let folder = try temporaryFolder()
        var weights = SeededGenerator(seed: 3)
        try writePyTorchStyleFile(folder + "/dcgan.safetensors", network: dcganGenerator(latent: 16, using: &weights))
        let guessed = try CheckpointGenerator(path: folder + "/dcgan.safetensors")
        #expect(guessed.architectureSource == .shapes)
        #expect(guessed.warnings.count == 1)
        #expect(guessed.warnings.first.map { $0.contains("ch11_2_rgan") && $0.contains("ch11_4_cgan") && $0.contains("--architecture") } == true)
        // 110 inputs: what the conditional chapter trains (100 noise + 10 classes), said plainly.
        try writePyTorchStyleFile(folder + "/cgan.safetensors", network: dcganGenerator(latent: 110, using: &weights))
        let conditional = try CheckpointGenerator(path: folder + "/cgan.safetensors")
        #expect(conditional.chapter == .dcgan && conditional.latentDimension == 110)
        #expect(conditional.warnings.count == 2)
        #expect(conditional.warnings.last?.contains("pass --architecture cgan") == true)
        // Named, there is nothing to warn about.
        let named = try CheckpointGenerator(path: folder + "/cgan.safetensors", architecture: .conditional)
        #expect(named.warnings.isEmpty && named.architectureSource == .option && named.latentDimension == 100)
        // An MLP's shapes fit the MLP generator alone.
        try writePyTorchStyleFile(folder + "/mlp.safetensors", network: mlpGenerator(latent: 12, pixels: 784, using: &weights))
        #expect(try CheckpointGenerator(path: folder + "/mlp.safetensors").warnings.isEmpty)
    }

    @Test func anArchitectureThatContradictsTheMetadataIsRefused() throws {
        let folder = try temporaryFolder()
        var weights = SeededGenerator(seed: 3)
        let network = dcganGenerator(latent: 26, using: &weights)
        try writeSafetensors(network.stateDict.map { SafetensorsEntry(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.values) },
                             metadata: ["chapter": "ch11_4_cgan", "latent_dim": "16"], to: folder + "/cgan.safetensors")
        let error = try #require(throws: EvaluationError.self) {
            try CheckpointGenerator(path: folder + "/cgan.safetensors", architecture: .dcgan)
        }
        #expect(error.description.contains("ch11_4_cgan") && error.description.contains("--architecture ch11_4_dcgan"))
        let fromMetadata = try CheckpointGenerator(path: folder + "/cgan.safetensors", architecture: .conditional)
        #expect(fromMetadata.chapter == .conditional && fromMetadata.architectureSource == .metadata)
        // The MLP chapters share network and noise: naming another of them is no contradiction.
        _ = try writeMinimaxCheckpoint(folder + "/wgan.safetensors", metadata: ["chapter": "ch11_2_wgan", "latent_dim": "8"])
        #expect(try CheckpointGenerator(path: folder + "/wgan.safetensors", architecture: .minimax).chapter == .wgan)
    }

    @Test func aScoreReportIsWrittenAsJSONAndMarkdown() throws {
        let path = try temporaryFolder() + "/generator.safetensors"
        _ = try writeMinimaxCheckpoint(path, metadata: ["chapter": "ch11_2_minimax", "latent_dim": "8"])
        let generator = try CheckpointGenerator(path: path)
        let card = ScoreCard(fd: 12.5, kid: ScoreEstimate(of: [0.1, 0.3]), inception: ScoreEstimate(of: [4, 6]),
                             precisionRecall: PrecisionRecall(precision: 0.25, recall: 0.5))
        let real = ScoreCard(fd: 0.5, kid: ScoreEstimate(of: [0.01, 0.01]), inception: ScoreEstimate(of: [9, 9]),
                             precisionRecall: PrecisionRecall(precision: 0.75, recall: 0.8))
        let report = ScoreReport(input: path, reference: "test set", samples: 300, generator: generator, scores: card,
                                 real: real, testSetInception: ScoreEstimate(of: [9, 9]))
        let json = try report.json()
        #expect(try JSONDecoder().decode(ScoreReport.self, from: Data(json.utf8)) == report)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let scores = try #require(object["scores"] as? [String: Any])
        #expect(scores["fd"] as? Double == 12.5 && scores["precision"] as? Double == 0.25)
        let described = try #require(object["generator"] as? [String: Any])
        #expect(described["architecture"] as? String == "ch11_2_minimax" && described["latent_dim"] as? Int == 8)
        let markdown = report.markdown { String(format: "%.2f", $0) }
        #expect(markdown.contains("| FD (lower is better) | 12.50 | 0.50 |"))
        #expect(markdown.contains("| precision | 0.25 | 0.75 |"))
        #expect(markdown.contains("Generator: ch11_2_minimax (MLP generator, N(0, I) noise), latent size 8, from the file's metadata."))
    }

    @Test func aFolderThatCouldBeMadeIsNotMadeByTheCheck() throws {
        let folder = try temporaryFolder()
        try ensureFolderCanBeMade(folder + "/runs/score")
        #expect(!FileManager.default.fileExists(atPath: folder + "/runs"))
        try Data().write(to: URL(fileURLWithPath: folder + "/file"))
        let error = try #require(throws: WorkbookFileError.self) { try ensureFolderCanBeMade(folder + "/file/runs") }
        #expect(error.description.contains("is a file"))
    }

    @Test func everyRegisteredChapterBuildsAGeneratorOf28x28Images() throws {
        for chapter in ChapterGenerator.allCases {
            let network = chapter.build(latent: 4)
            var random = SeededGenerator(seed: 1)
            let images = evaluating {
                chapter.generate(network, noise: Tensor.randomNormal([2, 4], using: &random), labels: [0, 9])
            }
            #expect(try classifierInput(images, from: chapter.rawValue).shape == [2, 1, 28, 28])
        }
    }

    // MARK: Disturbances and score cards

    @Test func disturbancesGrowWithStrengthAndStayInRange() throws {
        let images = randomImages(20, seed: 6)
        let replacements = Tensor(repeating: 1, shape: [3, 1, 28, 28])
        for disturbance in Disturbance.allCases {
            let changes = try [0, 0.3, 0.6, 1].map { strength in
                let disturbed = disturbance.apply(to: images, strength: strength, replacements: replacements, seed: 7)
                #expect(disturbed.shape == images.shape)
                #expect(disturbed.values.allSatisfy { (-1...1).contains($0) })
                return zip(disturbed.values, images.values).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) }
            }
            #expect(changes[0] == 0, "\(disturbance) at strength 0 leaves the images alone")
            #expect(zip(changes, changes.dropFirst()).allSatisfy { $0 < $1 }, "\(disturbance): \(changes)")
        }
    }

    @Test func scoreCardOfASetAgainstItselfIsPerfectAndStatisticsAloneGiveOnlyFD() throws {
        var weights = SeededGenerator(seed: 1)
        let classifier = FeatureClassifier(using: &weights)
        let images = try EmbeddedImages("random", images: randomImages(60, seed: 8), classifier: classifier)
        var settings = MetricSettings.quick
        settings.kidSubsetSize = 30
        let card = try scoreCard(images, against: images, settings: settings)
        #expect(abs(card.fd) < 1e-6)
        #expect(card.precisionRecall == PrecisionRecall(precision: 1, recall: 1))
        #expect(card.inception != nil && card.kid != nil)
        let statisticsOnly = EmbeddedImages("npz", statistics: images.statistics)
        let partial = try scoreCard(images, against: statisticsOnly, settings: settings)
        #expect(abs(partial.fd) < 1e-6)
        #expect(partial.kid == nil && partial.precisionRecall == nil && partial.inception != nil)
    }
}
