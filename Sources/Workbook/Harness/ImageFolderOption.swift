import ArgumentParser
import Foundation

/// Where the DCGAN family's training data comes from: Fashion-MNIST (or `--data DIR` of IDX
/// files) by default, or a folder of photos with `--images DIR`.
public struct ImageSourceOptions: ParsableArguments, Sendable {
    @OptionGroup public var idx: DataOptions

    @Option(help: "Folder of PNG/JPEG images to train on instead (centre-cropped, resized to 64×64 RGB; 64-pixel networks).")
    public var images: String?

    public init() {}
}

extension TrainingRun {
    /// Loads `--images DIR` if given, else the IDX data; exits with a one-line message when
    /// nothing usable is found.
    public func loadImages(from source: ImageSourceOptions) -> ImageDataset {
        guard let folder = source.images else { return loadImages(from: source.idx.data) }
        return loadImageFolder(folder)
    }

    /// Every decodable PNG/JPEG in `folder` as 64×64 RGB (a small subset with `--quick`).
    /// Undecodable files are skipped and counted; a folder with no usable image is an error.
    public func loadImageFolder(_ folder: String, size: Int = 64) -> ImageDataset {
        let contents = orExit {
            try Workbook.loadImageFolder(folder, size: size, limit: settings.quick ? RunSettings.quickExamples : nil)
        }
        if let first = contents.skippedFiles.first {
            let others = contents.skippedFiles.count - 1
            print("skipped \(contents.skippedFiles.count) file(s) that could not be decoded: \(first)"
                  + (others > 0 ? " and \(others) more" : ""))
        }
        print("loaded \(contents.images.count) images of \(size)×\(size) from \(folder)")
        return contents.images
    }
}
