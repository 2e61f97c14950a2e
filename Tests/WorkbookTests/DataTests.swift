import Formats
import CGD
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// A fresh folder under the system's temporary folder for one test.
private func temporaryFolder(_ name: String = "data") -> String {
    let path = NSTemporaryDirectory() + "data-tests-\(UUID().uuidString)/\(name)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// An IDX file: big-endian magic and dimensions, then the bytes.
private func idxBytes(magic: UInt32, dimensions: [Int], payload: [UInt8]) -> [UInt8] {
    ([magic] + dimensions.map(UInt32.init)).flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } + payload
}

/// Three 2 × 2 images with labels 7, 0, 3; the first image holds the extreme values.
private let samplePixels: [UInt8] = [0, 255, 51, 204, 1, 2, 3, 4, 10, 20, 30, 40]
private let sampleLabels: [UInt8] = [7, 0, 3]

private func writeIDX(
    in folder: String, split: String = "train", pixels: [UInt8] = samplePixels, imageCount: Int = 3,
    labels: [UInt8] = sampleLabels, imagesMagic: UInt32 = 0x803, gzipImages: Bool = false
) throws {
    let images = idxBytes(magic: imagesMagic, dimensions: [imageCount, 2, 2], payload: pixels)
    let imagesName = "\(folder)/\(split)-images-idx3-ubyte"
    try atomicWrite(gzipImages ? gzip(images) : images, to: gzipImages ? imagesName + ".gz" : imagesName)
    let labelFile = idxBytes(magic: 0x801, dimensions: [labels.count], payload: labels)
    try atomicWrite(gzip(labelFile), to: "\(folder)/\(split)-labels-idx1-ubyte.gz")
}

/// The one-line message of the error `body` throws.
private func errorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch {
        return "\(error)"
    }
}

@Suite struct DataTests {
    @Suite struct IDX {
        @Test func readsRawAndGzippedFiles() throws {
            let folder = temporaryFolder()
            try writeIDX(in: folder)
            try writeIDX(in: folder, split: "t10k", gzipImages: true)
            for split in DataSplit.allCases {
                let data = try loadIDXDataset(directory: folder, split: split)
                #expect(data.count == 3 && data.channels == 1 && data.height == 2 && data.width == 2)
                #expect(data.pixels == samplePixels.map { Float($0) / 127.5 - 1 })
                #expect(data.pixels[0] == -1 && data.pixels[1] == 1)
                #expect(data.labels == [7, 0, 3])
                #expect(data.classNames == (0...9).map(String.init), "a folder not named fashion gets digits")
            }
        }

        @Test func limitKeepsTheFirstImages() throws {
            let folder = temporaryFolder()
            try writeIDX(in: folder)
            let data = try loadIDXDataset(directory: folder, limit: 2)
            #expect(data.count == 2 && data.pixels.count == 8 && data.labels == [7, 0])
        }

        @Test func wrongMagicIsReported() throws {
            let folder = temporaryFolder()
            try writeIDX(in: folder, imagesMagic: 0x801)
            let message = errorMessage { _ = try loadIDXDataset(directory: folder) }
            #expect(message.contains("train-images-idx3-ubyte: not an IDX image file (magic 0x00000801, expected 0x00000803)"))
        }

        @Test func truncatedDataIsReported() throws {
            let folder = temporaryFolder()
            try writeIDX(in: folder, pixels: Array(samplePixels.dropLast(3)))
            let message = errorMessage { _ = try loadIDXDataset(directory: folder) }
            #expect(message.contains("truncated IDX data (9 of 12 bytes present)"))

            // A corrupt header whose dimensions multiply past Int.max is reported, not a crash.
            let huge = idxBytes(magic: 0x803, dimensions: [Int(UInt32.max), Int(UInt32.max), 2], payload: [])
            try atomicWrite(huge, to: folder + "/train-images-idx3-ubyte")
            let hugeMessage = errorMessage { _ = try loadIDXDataset(directory: folder) }
            #expect(hugeMessage.contains("(0 of more than 2^63 bytes present)"))
        }

        @Test func imageAndLabelCountsMustMatch() throws {
            let folder = temporaryFolder()
            try writeIDX(in: folder, labels: [1, 2])
            let message = errorMessage { _ = try loadIDXDataset(directory: folder) }
            #expect(message.contains("has 2 labels but"))
            #expect(message.contains("has 3 images"))
        }

        @Test func missingFolderAndFilesPointToTheFix() throws {
            let missing = errorMessage { _ = try loadIDXDataset(directory: "/nonexistent/mnist") }
            #expect(missing == "/nonexistent/mnist: data folder not found — install Debian's dataset-fashion-mnist or pass --data DIR")
            let emptyFolder = temporaryFolder()
            let noFiles = errorMessage { _ = try loadIDXDataset(directory: emptyFolder, split: .test) }
            #expect(noFiles.contains("t10k-images-idx3-ubyte.gz: file not found"))
            #expect(!noFiles.contains("\n"))
        }

        @Test(.enabled(
            if: FileManager.default.fileExists(atPath: defaultFashionMNISTDirectory),
            "needs Debian's dataset-fashion-mnist package in /usr/share/datasets/fashion-mnist"))
        func loadsFashionMNIST() throws {
            let start = ContinuousClock.now
            let train = try loadIDXDataset(split: .train)
            let elapsed = ContinuousClock.now - start
            let test = try loadIDXDataset(split: .test)
            #expect(train.count == 60_000 && test.count == 10_000)
            #expect(train.imageShape == [1, 28, 28])
            #expect(train.pixels.count == 60_000 * 784)
            #expect(train.pixels.min() == -1 && train.pixels.max() == 1)
            #expect(Set(train.labels) == Set(0..<10))
            #expect(train.classNames[9] == "Ankle boot")
            // Generous bound for a shared CI machine; an optimised build takes about 0.35 s of CPU.
            #expect(elapsed < .seconds(3), "loading took \(elapsed)")
        }
    }

    @Suite struct Batches {
        /// Rows [i, 10 + i] labelled i: a batch shows which rows it holds.
        let rows = (0..<10).flatMap { [Float($0), Float(10 + $0)] }

        func epochOrder(_ iterator: inout MinibatchIterator) -> [Int] {
            (0..<iterator.batchesPerEpoch).flatMap { _ in iterator.next()!.labels }
        }

        @Test func sameSeedSameOrderAndEachRowOncePerEpoch() throws {
            var first = try MinibatchIterator(values: rows, rowShape: [2], labels: Array(0..<10), batchSize: 2, seed: 7)
            var second = try MinibatchIterator(values: rows, rowShape: [2], labels: Array(0..<10), batchSize: 2, seed: 7)
            var other = try MinibatchIterator(values: rows, rowShape: [2], labels: Array(0..<10), batchSize: 2, seed: 8)
            let epoch0 = epochOrder(&first)
            let epoch1 = epochOrder(&first)
            #expect(epoch0 == epochOrder(&second))
            #expect(epoch0.sorted() == Array(0..<10) && epoch1.sorted() == Array(0..<10))
            #expect(epoch0 != epoch1, "every epoch is reshuffled")
            #expect(epoch0 != epochOrder(&other), "another seed, another order")
            #expect(epoch0 != Array(0..<10), "the order is shuffled at all")
        }

        @Test func batchesCopyWholeRowsAndReportEpochAndStep() throws {
            var iterator = try MinibatchIterator(values: rows, rowShape: [2], labels: Array(0..<10), batchSize: 3, seed: 1)
            #expect(iterator.batchesPerEpoch == 3, "the incomplete last batch is dropped")
            for expectedStep in 0..<7 {
                let batch = iterator.next()!
                #expect(batch.shape == [3, 2] && batch.step == expectedStep && batch.epoch == expectedStep / 3)
                let expectedValues = batch.labels.flatMap { [Float($0), Float(10 + $0)] }
                #expect(batch.values == expectedValues)
            }
        }

        @Test func resumingContinuesTheSameSequence() throws {
            var full = try MinibatchIterator(values: rows, rowShape: [2], batchSize: 4, seed: 3)
            let all = (0..<9).map { _ in full.next()!.values }
            var resumed = try MinibatchIterator(values: rows, rowShape: [2], batchSize: 4, seed: 3, startStep: 5)
            #expect((5..<9).map { _ in resumed.next()!.values } == Array(all[5...]))
        }

        @Test func keepingTheLastBatchAndRejectingOversizedBatches() throws {
            var iterator = try MinibatchIterator(values: rows, rowShape: [2], batchSize: 4, seed: 0, dropLast: false)
            #expect((0..<3).map { _ in iterator.next()!.shape[0] } == [4, 4, 2])
            #expect(iterator.next()!.labels.isEmpty, "no labels given, none returned")
            let message = errorMessage { _ = try MinibatchIterator(values: rows, rowShape: [2], batchSize: 11, seed: 0) }
            #expect(message == "batch size 11 is larger than the data (10 examples) — lower --batch-size or use more data")
        }

        @Test func imageDatasetBatchesHaveImageShape() throws {
            let dataset = ImageDataset(
                count: 4, channels: 1, height: 2, width: 2, pixels: (0..<16).map(Float.init),
                labels: [0, 1, 2, 3], classNames: ["a", "b", "c", "d"])
            var iterator = try MinibatchIterator(dataset, batchSize: 2, seed: 5)
            let batch = iterator.next()!
            #expect(batch.shape == [2, 1, 2, 2])
            #expect(batch.values[0..<4].map { Int($0) / 4 } == Array(repeating: batch.labels[0], count: 4))
        }
    }

    @Suite struct ImageFolder {
        /// A PNG, 40 × 20: left half red, right half blue, so its centre square is half and half.
        func writeTestPNG(to path: String) throws {
            let image = gdImageCreateTrueColor(40, 20)!
            defer { gdImageDestroy(image) }
            gdImageFilledRectangle(image, 0, 0, 19, 19, 0xFF0000)
            gdImageFilledRectangle(image, 20, 0, 39, 19, 0x0000FF)
            var size: Int32 = 0
            let data = gdImagePngPtr(image, &size)!
            defer { gdFree(data) }
            try atomicWrite(Array(UnsafeRawBufferPointer(start: data, count: Int(size))), to: path)
        }

        @Test func decodesCropsAndResizesAndSkipsCorruptFiles() throws {
            let folder = temporaryFolder("faces")
            try writeTestPNG(to: folder + "/a.png")
            try atomicWrite(Array("not an image".utf8), to: folder + "/b.jpg")
            try atomicWrite([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], to: folder + "/c.jpeg")  // a cut-off JPEG
            try atomicWrite(Array("ignored".utf8), to: folder + "/notes.txt")

            let contents = try loadImageFolder(folder, size: 8)
            #expect(contents.skippedFiles == [folder + "/b.jpg", folder + "/c.jpeg"])
            let images = contents.images
            #expect(images.count == 1 && images.imageShape == [3, 8, 8] && images.classNames == ["faces"])
            let plane = 64
            let (red, blue) = (Array(images.pixels[0..<plane]), Array(images.pixels[2 * plane..<3 * plane]))
            // Row 4: left columns pure red, right columns pure blue.
            #expect(red[4 * 8 + 0] == 1 && blue[4 * 8 + 0] == -1)
            #expect(red[4 * 8 + 7] == -1 && blue[4 * 8 + 7] == 1)
            #expect(images.pixels.allSatisfy { (-1...1).contains($0) })

            let grey = try loadImageFolder(folder, size: 8, grayscale: true).images
            #expect(grey.imageShape == [1, 8, 8])
            let redLuma: Float = 0.299 * 255 / 127.5 - 1
            #expect(abs(grey.pixels[4 * 8] - redLuma) < 1e-5)
        }

        @Test func emptyMissingAndUnusableFoldersFail() throws {
            let empty = temporaryFolder()
            #expect(errorMessage { _ = try loadImageFolder(empty) }.contains("holds no .png, .jpg or .jpeg files"))
            #expect(errorMessage { _ = try loadImageFolder("/nonexistent/images") }
                .hasPrefix("/nonexistent/images: image folder not found"))
            try atomicWrite([0x89, 0x50, 0x4E, 0x47, 0, 0], to: empty + "/broken.png")
            #expect(errorMessage { _ = try loadImageFolder(empty) }.contains("none of its 1 image files could be decoded"))
        }
    }

    @Suite struct CSV {
        @Test func writesHeaderAndRowsWithEnoughPrecision() throws {
            let path = temporaryFolder() + "/logs/metrics.csv"
            let log = try CSVLog(path: path, columns: ["loss_d", "loss_g"])
            try log.append(step: 0, [1.5, Double(Float(0.1))])
            try log.append(step: 1, [-2e-7, 1234567])
            try log.close()
            let text = String(decoding: try readFileBytes(path), as: UTF8.self)
            #expect(text == "step,loss_d,loss_g\n0,1.5,0.100000001\n1,-2e-07,1234567\n")
            #expect(Float(Double("0.100000001")!) == Float(0.1), "9 digits read back the same Float")
        }

        @Test func rowsAreOnDiskAfterAFlushAndResumeDropsLaterSteps() throws {
            let path = temporaryFolder() + "/metrics.csv"
            let log = try CSVLog(path: path, columns: ["x"], flushInterval: .zero)
            for step in 0..<4 { try log.append(step: step, [Double(step)]) }
            #expect(String(decoding: try readFileBytes(path), as: UTF8.self).hasSuffix("3,3\n"), "flushed while open")
            try log.close()

            let resumed = try CSVLog(path: path, columns: ["x"], resumingAt: 2)
            #expect(resumed.keptValues == ["x": [0, 1]])
            try resumed.append(step: 2, [20])
            try resumed.close()
            #expect(String(decoding: try readFileBytes(path), as: UTF8.self) == "step,x\n0,0\n1,1\n2,20\n")

            let otherColumns = errorMessage { _ = try CSVLog(path: path, columns: ["y"], resumingAt: 1) }
            #expect(otherColumns.contains("metrics.csv: is a log with columns step,x, not step,y"))
        }
    }

    @Suite struct Toy {
        @Test(arguments: ToyDistribution.allCases)
        func samplesAreSeededPairsInRange(distribution: ToyDistribution) {
            let points = distribution.sample(count: 1000, seed: 11)
            #expect(points.count == 2000)
            #expect(points == distribution.sample(count: 1000, seed: 11))
            #expect(points != distribution.sample(count: 1000, seed: 12))
            let extent = points.map(abs).max()!
            #expect(extent < 4.5 && extent > 0.5)
        }

        @Test func ringAndGridSamplesCoverEveryModeWithHighQuality() throws {
            for (distribution, modeCount) in [(ToyDistribution.ring, 8), (.grid, 25)] {
                let modes = try #require(distribution.modes)
                #expect(modes.centres.count == modeCount)
                let coverage = modes.coverage(of: distribution.sample(count: 5000, seed: 2))
                #expect(coverage.modesCovered == modeCount)
                #expect(coverage.highQualityFraction > 0.98, "3 std holds 98.9% of a 2-D Gaussian")
            }
            #expect(ToyDistribution.ring.modes?.standardDeviation == 0.02)
            #expect(ToyDistribution.moons.modes == nil)
        }

        @Test func collapsedAndOffModeSamplesAreCounted() throws {
            let ring = try #require(ToyDistribution.ring.modes)
            let collapsed: [Float] = Array(repeating: [2, 0], count: 100).flatMap { $0 }
            let offEveryMode: [Float] = [0, 0]
            let coverage = ring.coverage(of: collapsed + offEveryMode)
            #expect(coverage.modesCovered == 1)
            #expect(coverage.highQualitySamplesPerMode[0] == 100)
            #expect(abs(coverage.highQualityFraction - 100.0 / 101.0) < 1e-12, "the origin is off every mode")
        }

        @Test func checkerboardPointsLieOnDarkSquares() {
            let points = ToyDistribution.checkerboard.sample(count: 2000, seed: 4)
            for index in 0..<2000 {
                let (column, row) = (Int((points[2 * index] + 2).rounded(.down)), Int((points[2 * index + 1] + 2).rounded(.down)))
                #expect((column + row) % 2 == 0 && (0..<4).contains(column) && (0..<4).contains(row))
            }
        }
    }
}
