import Formats
import Foundation
import NN

// MNIST's IDX format (http://yann.lecun.com/exdb/mnist/), used by MNIST, Fashion-MNIST and
// friends: a big-endian magic number 0x000008DD (08 = unsigned bytes, DD = number of
// dimensions), one big-endian UInt32 per dimension, then the bytes, row-major.

/// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
public let defaultFashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

/// Fashion-MNIST's ten classes, in label order.
public let fashionMNISTClassNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]

/// Which half of an IDX data set to load; the value is the file name prefix.
public enum DataSplit: String, Sendable, CaseIterable {
    case train = "train"
    case test = "t10k"
}

private let missingDataFix = "install Debian's dataset-fashion-mnist or pass --data DIR"
private let damagedDataFix = "replace the file with an intact copy, or pass --data DIR"
let imagesMagic: UInt32 = 0x0000_0803  // unsigned bytes, 3 dimensions (N, rows, cols)
private let labelsMagic: UInt32 = 0x0000_0801  // unsigned bytes, 1 dimension (N)

/// Loads one split of an MNIST-format data set from a folder holding
/// `train-images-idx3-ubyte(.gz)`, `train-labels-idx1-ubyte(.gz)` and the `t10k-` pair
/// (the "train-images.idx3-ubyte" spelling of some downloads works too).
///
/// Class names are Fashion-MNIST's when the folder's name contains "fashion", digits otherwise.
/// `limit` keeps only the first images, for quick runs.
public func loadIDXDataset(
    directory: String = defaultFashionMNISTDirectory, split: DataSplit = .train, limit: Int? = nil
) throws -> ImageDataset {
    var status = stat()
    guard stat(directory, &status) == 0, status.st_mode & S_IFMT == S_IFDIR else {
        let problem = errno == ELOOP ? "is a loop of symbolic links, not a data folder" : "data folder not found"
        throw WorkbookFileError(path: directory, problem: problem, fix: missingDataFix)
    }
    let imagesPath = try findIDXFile(in: directory, split: split, kind: "images", dimensions: 3)
    let labelsPath = try findIDXFile(in: directory, split: split, kind: "labels", dimensions: 1)

    let isFashion = directory.lowercased().contains("fashion")
    return try decodeIDXDataset(images: readFileBytes(imagesPath), labels: readFileBytes(labelsPath),
                                imagesPath: imagesPath, labelsPath: labelsPath, fashion: isFashion, limit: limit)
}

/// An image data set from the bytes of an IDX image file and an IDX label file (the paths
/// only name them in errors). `fashion` picks Fashion-MNIST's class names.
func decodeIDXDataset(images: [UInt8], labels labelBytes: [UInt8], imagesPath: String, labelsPath: String,
                      fashion: Bool, limit: Int?) throws -> ImageDataset {
    let imageFile = try IDXFile(bytes: images, path: imagesPath, magic: imagesMagic, limit: limit)
    let labelFile = try IDXFile(bytes: labelBytes, path: labelsPath, magic: labelsMagic, limit: limit)
    guard imageFile.declaredCount == labelFile.declaredCount else {
        throw WorkbookFileError(
            path: labelsPath,
            problem: "has \(labelFile.declaredCount) labels but \(imagesPath) has \(imageFile.declaredCount) images",
            fix: "use the images and labels of the same data set")
    }

    let count = imageFile.dimensions[0]
    let height = imageFile.dimensions[1]
    let width = imageFile.dimensions[2]
    let pixels = imageFile.pixels
    let labels = labelFile.payload.map(Int.init)
    let highestLabel = labels.max() ?? 0
    try checkClasses(of: labels, path: labelsPath)
    let isFashion = fashion && highestLabel < fashionMNISTClassNames.count
    let classNames = isFashion
        ? fashionMNISTClassNames : (0...max(9, highestLabel)).map(String.init)
    return ImageDataset(
        count: count, channels: 1, height: height, width: width, pixels: pixels, labels: labels,
        classNames: classNames)
}

/// The first of the usual spellings of an IDX file name that exists in `directory`.
private func findIDXFile(in directory: String, split: DataSplit, kind: String, dimensions: Int) throws -> String {
    let names = ["-\(kind)-idx\(dimensions)-ubyte", "-\(kind).idx\(dimensions)-ubyte"]
        .flatMap { ["\(split.rawValue)\($0).gz", "\(split.rawValue)\($0)"] }
    let paths = names.map { (directory as NSString).appendingPathComponent($0) }
    // lstat, not fileExists: a broken or looping link is found here and then reported by
    // the reader with its real cause, not as "file not found".
    var status = stat()
    guard let found = paths.first(where: { lstat($0, &status) == 0 }) else {
        throw WorkbookFileError(
            path: paths[0], problem: "file not found (nor without .gz)", fix: missingDataFix)
    }
    return found
}

/// Labels are classes 0..<K. Beyond the ten classes of MNIST and Fashion-MNIST, every
/// class up to the highest label must occur (as in EMNIST's 26 or 47): a label far above
/// the rest, such as 255 in a damaged file, would otherwise create hundreds of empty classes.
func checkClasses(of labels: [Int], path: String) throws {
    var present = [Bool](repeating: false, count: 256)
    for label in labels { present[label] = true }
    guard let highest = present.lastIndex(of: true), highest >= 10,
          let missing = present[10..<highest].firstIndex(of: false)
    else { return }
    throw WorkbookFileError(
        path: path, problem: "has label \(highest), but no example of class \(missing): labels must be classes 0, 1, 2, … without gaps",
        fix: damagedDataFix)
}

/// The parsed header of an IDX file and its (possibly limited) payload bytes.
struct IDXFile {
    /// The dimensions as used: the first one is reduced to the limit.
    let dimensions: [Int]
    /// The item count the header declares, before any limit.
    let declaredCount: Int
    let payload: ArraySlice<UInt8>

    init(bytes: [UInt8], path: String, magic expectedMagic: UInt32, limit: Int?) throws {
        func bigEndianUInt32(at offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        let dimensionCount = Int(expectedMagic & 0xFF)
        let headerLength = 4 + 4 * dimensionCount
        // The magic number first: a label file passed for images is the wrong file, not a short one.
        if bytes.count >= 4, case let magic = bigEndianUInt32(at: 0), magic != expectedMagic {
            let hex = { (value: UInt32) in "0x" + String(format: "%08X", value) }
            throw WorkbookFileError(
                path: path,
                problem: "not an IDX \(dimensionCount == 3 ? "image" : "label") file (magic \(hex(magic)), expected \(hex(expectedMagic)))",
                fix: "pass --data DIR with MNIST-format IDX files")
        }
        guard bytes.count >= headerLength else {
            throw WorkbookFileError(
                path: path, problem: "truncated IDX file (\(bytes.count) bytes, the header alone is \(headerLength))",
                fix: damagedDataFix)
        }
        var dimensions = (0..<dimensionCount).map { Int(bigEndianUInt32(at: 4 + 4 * $0)) }
        declaredCount = dimensions[0]
        // A zero size passes every length check and fails much later, in minibatching.
        guard dimensions.allSatisfy({ $0 > 0 }) else {
            throw WorkbookFileError(
                path: path, problem: "IDX header declares a size of 0 (dimensions \(dimensions))", fix: damagedDataFix)
        }
        let present = bytes.count - headerLength
        guard let declaredLength = checkedProduct(dimensions), present >= declaredLength else {
            let expected = checkedProduct(dimensions).map(String.init) ?? "more than 2^63"
            throw WorkbookFileError(
                path: path, problem: "truncated IDX data (\(present) of \(expected) bytes present)",
                fix: damagedDataFix)
        }
        dimensions[0] = min(dimensions[0], max(0, limit ?? .max))
        self.dimensions = dimensions
        payload = bytes[headerLength..<headerLength + dimensions.reduce(1, *)]
    }
}

extension IDXFile {
    /// The payload's bytes as pixel values in [−1, 1].
    var pixels: [Float] {
        [Float](unsafeUninitializedCapacity: payload.count) { buffer, initialized in
            payload.withUnsafeBufferPointer { bytes in
                pixelValues.withUnsafeBufferPointer { table in
                    for index in bytes.indices { buffer[index] = table[Int(bytes[index])] }
                }
            }
            initialized = payload.count
        }
    }
}
