import Foundation

/// Images with one label each, stored the way the networks consume them: one contiguous
/// array of `count × channels × height × width` Floats (NCHW, row-major), scaled to [-1, 1]
/// to match a tanh generator.
public struct ImageDataset: Sendable {
    public var count: Int
    public var channels: Int
    public var height: Int
    public var width: Int
    public var pixels: [Float]
    /// One class index per image, in 0..<classNames.count.
    public var labels: [Int]
    public var classNames: [String]

    public init(
        count: Int, channels: Int, height: Int, width: Int, pixels: [Float], labels: [Int],
        classNames: [String]
    ) {
        precondition(pixels.count == count * channels * height * width, "pixels do not match the shape")
        precondition(labels.count == count, "one label per image")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Floats per image.
    public var imageSize: Int { channels * height * width }

    /// The shape of one image, [channels, height, width].
    public var imageShape: [Int] { [channels, height, width] }
}

/// Pixel bytes 0...255 mapped to [-1, 1] (x / 127.5 - 1, so 0 → -1 and 255 → 1 exactly).
/// A table, so that converting a data set is one lookup per pixel, the same in every file
/// that converts bytes to pixels.
let pixelValues: [Float] = (0...255).map { Float($0) / 127.5 - 1 }

/// A problem with data options (not with a file, see `WorkbookFileError`), in one line with a fix.
public struct DataError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let problem: String
    public let fix: String

    public init(problem: String, fix: String) {
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(problem) — \(fix)" }
    public var errorDescription: String? { description }
}
