import Formats
import Foundation
import NN
import Tensor

// The images a reader may want scored, all brought to what the classifier takes:
// a tensor [n, 1, 28, 28] of grey pixels in [−1, 1].

/// Images of an `ImageDataset` as a tensor [count, channels, height, width].
public func imageTensor(_ data: ImageDataset) -> Tensor {
    Tensor(shape: [data.count] + data.imageShape, values: data.pixels)
}

/// Images laid out for the classifier: [n, 784] or [n, 1, 28, 28] become [n, 1, 28, 28];
/// anything else is refused, naming the shape.
public func classifierInput(_ images: Tensor, from source: String) throws -> Tensor {
    guard images.rank >= 2, images.count == images.shape[0] * 28 * 28 else {
        throw EvaluationError("\(source) has images of shape \(Array(images.shape.dropFirst())), the classifier judges 28 × 28 grey images",
                              fix: "score 28 × 28 single-channel images (e.g. a Fashion-MNIST model)")
    }
    return images.reshaped([images.shape[0]] + FeatureClassifier.imageShape)
}

/// The first `limit` images of a single IDX image file (`*-idx3-ubyte`, gzipped or not),
/// e.g. samples a reader exported in MNIST's format.
public func loadIDXImages(_ path: String, limit: Int? = nil) throws -> Tensor {
    let file = try IDXFile(bytes: readFileBytes(path), path: path, magic: imagesMagic, limit: limit)
    let (count, height, width) = (file.dimensions[0], file.dimensions[1], file.dimensions[2])
    guard height == 28, width == 28 else {
        throw EvaluationError("\(path) holds \(height) × \(width) images, the classifier judges 28 × 28",
                              fix: "export 28 × 28 images")
    }
    guard count > 0 else {
        throw EvaluationError("\(path) holds no images", fix: "export some samples into it")
    }
    return Tensor(shape: [count] + FeatureClassifier.imageShape, values: file.pixels)
}

/// Every PNG/JPEG in `folder`, centre-cropped, resized to 28 × 28 and turned grey. A file
/// that cannot be decoded is an error, not a silent skip: it would change N.
public func loadPNGFolder(_ folder: String, limit: Int? = nil) throws -> Tensor {
    let contents = try loadImageFolder(folder, size: 28, grayscale: true, limit: limit)
    if let first = contents.skippedFiles.first {
        throw EvaluationError("\(contents.skippedFiles.count) file(s) in \(folder) could not be decoded, first \(first)",
                              fix: "remove or replace them, so that every image counts")
    }
    return imageTensor(contents.images)
}

extension ImageDataset {
    /// Only the images of one class.
    public func keeping(label: Int) -> ImageDataset {
        let kept = labels.indices.filter { labels[$0] == label }
        var pixels: [Float] = []
        pixels.reserveCapacity(kept.count * imageSize)
        for index in kept { pixels += self.pixels[(index * imageSize)..<((index + 1) * imageSize)] }
        return ImageDataset(count: kept.count, channels: channels, height: height, width: width, pixels: pixels,
                            labels: Array(repeating: label, count: kept.count), classNames: classNames)
    }
}
