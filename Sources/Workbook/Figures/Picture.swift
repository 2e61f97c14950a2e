import CGD
import Foundation
import Formats

/// Why a figure could not be drawn or written. The description is one line that names the
/// problem and how to fix it.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    case missingFont(path: String)
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .missingFont(path):
            "cannot draw figure text: font \(path) not found (fix: apt-get install fonts-dejavu-core)"
        case let .invalidInput(message):
            "cannot draw figure: \(message)"
        }
    }
}

/// Anything that can be drawn into a picture: plots, sample grids, grids of figures.
public protocol Figure {
    func render() throws -> Picture
}

extension Figure {
    /// The figure encoded as PNG.
    public func pngData() throws -> [UInt8] { try render().pngData() }

    /// Writes the figure as a PNG file, atomically, creating missing folders.
    public func write(to path: String) throws { try render().write(to: path) }
}

/// A true-colour raster image owned by libgd: the finished form of every figure.
public final class Picture: Figure {
    let image: gdImagePtr

    public var width: Int { Int(image.pointee.sx) }
    public var height: Int { Int(image.pointee.sy) }

    /// A blank picture filled with `background`.
    public init(width: Int, height: Int, background: Color = .white) {
        let width = max(width, 1), height = max(height, 1)
        image = gdImageCreateTrueColor(Int32(width), Int32(height))
        // Row by row rather than gdImageFilledRectangle, which sets (and blends) pixel by pixel.
        let value = background.gdValue()
        for y in 0..<height {
            image.pointee.tpixels[y]!.update(repeating: value, count: width)
        }
    }

    /// Takes ownership of an image created by libgd.
    init(owning image: gdImagePtr) {
        self.image = image
    }

    deinit { gdImageDestroy(image) }

    public func render() -> Picture { self }

    /// The colour of one pixel (alpha ignored).
    public func color(x: Int, y: Int) -> Color {
        let value = gdImageGetTrueColorPixel(image, Int32(x), Int32(y))
        return Color(hex: UInt32(truncatingIfNeeded: value) & 0xFFFFFF)
    }

    /// PNG bytes. libgd writes no timestamps, so equal pictures give equal bytes.
    public func pngData() -> [UInt8] {
        var size: Int32 = 0
        guard let bytes = gdImagePngPtr(image, &size) else { return [] }
        defer { gdFree(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(size)))
    }

    public func write(to path: String) throws {
        try atomicWrite(pngData(), to: path)
    }

    /// Copies `other` into this picture with its top-left corner at (x, y).
    func draw(_ other: Picture, x: Int, y: Int) {
        gdImageCopy(image, other.image, Int32(x), Int32(y), 0, 0, Int32(other.width), Int32(other.height))
    }

    func fill(x: Int, y: Int, width: Int, height: Int, color: Color) {
        guard width > 0, height > 0 else { return }
        gdImageFilledRectangle(image, Int32(x), Int32(y), Int32(x + width - 1), Int32(y + height - 1),
                               color.gdValue())
    }
}

