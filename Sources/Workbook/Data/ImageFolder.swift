import Formats
import CGD
import Foundation
import NN

/// The images of a folder, plus the files that looked like images but could not be decoded.
public struct ImageFolderContents: Sendable {
    /// Every image as size × size pixels; all labels are 0, the one class named after the folder.
    public var images: ImageDataset
    public var skippedFiles: [String]
}

private let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]
private let imagesFix = "pass --images DIR with a folder of PNG or JPEG images"

/// Loads every PNG and JPEG directly inside `directory` (in name order), as the DCGAN
/// chapter's loader does: each is centre-cropped to a square, resized to `size` × `size`,
/// and stored as RGB (or grey, with `grayscale`) CHW Floats in [-1, 1]. Transparent
/// pixels count as white. Files that cannot be decoded are skipped and listed; it is an
/// error only when the folder is missing or holds no usable image. `limit` caps the count.
public func loadImageFolder(
    _ directory: String, size: Int = 64, grayscale: Bool = false, limit: Int? = nil
) throws -> ImageFolderContents {
    precondition(size > 0, "image size must be positive")
    let names: [String]
    do {
        names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { imageExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
    } catch {
        throw WorkbookFileError(path: directory, problem: "image folder not found or unreadable", fix: imagesFix)
    }
    guard !names.isEmpty else {
        throw WorkbookFileError(path: directory, problem: "holds no .png, .jpg or .jpeg files", fix: imagesFix)
    }

    let channels = grayscale ? 1 : 3
    let imageSize = channels * size * size
    let wanted = min(names.count, max(0, limit ?? .max))
    var pixels: [Float] = []
    pixels.reserveCapacity(wanted * imageSize)
    var skipped: [String] = []
    var count = 0

    // libgd reports decoding failures on stderr; we report them ourselves, once, as a count.
    gdSetErrorMethod { _, _, _ in }
    defer { gdClearErrorMethod() }

    for name in names where count < wanted {
        let path = (directory as NSString).appendingPathComponent(name)
        guard let bytes = try? readFileBytes(path), let square = decodeSquare(bytes, size: size) else {
            skipped.append(path)
            continue
        }
        defer { gdImageDestroy(square) }
        pixels.append(contentsOf: repeatElement(0, count: imageSize))
        pixels.withUnsafeMutableBufferPointer { buffer in
            let image = UnsafeMutableBufferPointer(rebasing: buffer[(count * imageSize)...])
            copyPixels(of: square, size: size, grayscale: grayscale, into: image)
        }
        count += 1
    }
    guard count > 0 else {
        throw WorkbookFileError(
            path: directory, problem: "none of its \(names.count) image files could be decoded", fix: imagesFix)
    }
    let images = ImageDataset(
        count: count, channels: channels, height: size, width: size, pixels: pixels,
        labels: Array(repeating: 0, count: count),
        classNames: [(directory as NSString).lastPathComponent])
    return ImageFolderContents(images: images, skippedFiles: skipped)
}

/// Decodes a PNG or JPEG (recognised by its first bytes, not its name) and returns its
/// centre square resized to size × size on a white background; nil if it cannot be decoded.
private func decodeSquare(_ bytes: [UInt8], size: Int) -> gdImagePtr? {
    let isPNG = bytes.starts(with: [0x89, 0x50, 0x4E, 0x47])
    let isJPEG = bytes.starts(with: [0xFF, 0xD8])
    guard isPNG || isJPEG, bytes.count <= Int32.max else { return nil }
    // The header's size decides the decoder's allocation: a 200-byte file claiming
    // 20000 × 20000 pixels would cost gigabytes before failing.
    guard let (declaredWidth, declaredHeight) = isPNG ? pngDimensions(bytes) : jpegDimensions(bytes),
          (1...maximumImageSide).contains(declaredWidth), (1...maximumImageSide).contains(declaredHeight),
          declaredWidth * declaredHeight <= maximumImagePixels
    else { return nil }
    // libpng prints its own warnings (e.g. "iCCP: known incorrect sRGB profile") to stderr
    // and libgd installs no handler for them; a skipped file is reported by us instead.
    let decoded = withStandardErrorSilenced {
        bytes.withUnsafeBytes { raw in
            let data = UnsafeMutableRawPointer(mutating: raw.baseAddress!)
            return isPNG
                ? gdImageCreateFromPngPtr(Int32(bytes.count), data)
                : gdImageCreateFromJpegPtr(Int32(bytes.count), data)
        }
    }
    guard let source = decoded else { return nil }
    defer { gdImageDestroy(source) }
    guard let square = gdImageCreateTrueColor(Int32(size), Int32(size)) else { return nil }
    let width = source.pointee.sx
    let height = source.pointee.sy
    let side = min(width, height)
    gdImageFilledRectangle(square, 0, 0, Int32(size - 1), Int32(size - 1), 0xFFFFFF)
    gdImageCopyResampled(
        square, source, 0, 0, (width - side) / 2, (height - side) / 2,
        Int32(size), Int32(size), side, side)
    return square
}

/// The largest image side and pixel count decoded: a 16-megapixel photo passes, and the
/// decoder's buffer stays below about 100 MB.
let maximumImageSide = 16_384
let maximumImagePixels = 25_000_000

/// Width and height from a PNG's IHDR chunk, which the format puts first.
func pngDimensions(_ bytes: [UInt8]) -> (Int, Int)? {
    guard bytes.count >= 24, bytes[12..<16].elementsEqual("IHDR".utf8) else { return nil }
    let bigEndian = { (offset: Int) in bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(16), bigEndian(20))
}

/// Width and height from a JPEG's start-of-frame segment, found by walking the segments.
func jpegDimensions(_ bytes: [UInt8]) -> (Int, Int)? {
    var offset = 2  // after the start-of-image marker
    while offset + 4 <= bytes.count {
        guard bytes[offset] == 0xFF else { return nil }
        let marker = bytes[offset + 1]
        if marker == 0xFF { offset += 1; continue }  // fill byte
        if (0xD0...0xD9).contains(marker) || marker == 0x01 { offset += 2; continue }  // no length
        let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        // SOF0…SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
        if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
            guard offset + 9 <= bytes.count else { return nil }
            let height = Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6])
            let width = Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8])
            return (width, height)
        }
        guard length >= 2 else { return nil }
        offset += 2 + length
    }
    return nil
}

/// Runs `body` with file descriptor 2 pointed at /dev/null, for C libraries that print
/// what we report ourselves.
func withStandardErrorSilenced<T>(_ body: () -> T) -> T {
    let saved = dup(STDERR_FILENO)
    let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
    guard saved >= 0, null >= 0 else {
        if saved >= 0 { close(saved) }
        if null >= 0 { close(null) }
        return body()
    }
    dup2(null, STDERR_FILENO)
    close(null)
    defer {
        dup2(saved, STDERR_FILENO)
        close(saved)
    }
    return body()
}

/// Writes a true-colour image's pixels as CHW Floats in [-1, 1] (grey: Rec. 601 luma).
private func copyPixels(
    of image: gdImagePtr, size: Int, grayscale: Bool, into output: UnsafeMutableBufferPointer<Float>
) {
    let plane = size * size
    let table = pixelValues
    for y in 0..<size {
        let row = image.pointee.tpixels[y]!
        for x in 0..<size {
            let colour = row[x]  // 0xAARRGGBB, alpha already blended onto white
            let red = UInt8(truncatingIfNeeded: colour >> 16)
            let green = UInt8(truncatingIfNeeded: colour >> 8)
            let blue = UInt8(truncatingIfNeeded: colour)
            let index = y * size + x
            if grayscale {
                let luma = 0.299 * Float(red) + 0.587 * Float(green) + 0.114 * Float(blue)
                output[index] = luma / 127.5 - 1
            } else {
                output[index] = table[Int(red)]
                output[plane + index] = table[Int(green)]
                output[2 * plane + index] = table[Int(blue)]
            }
        }
    }
}
