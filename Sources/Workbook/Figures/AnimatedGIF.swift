import CGD
import Formats

/// An animated GIF of figures shown one after another, e.g. the same sample grid after
/// each epoch. Frames of different sizes are centred on a white canvas of the largest size.
public struct AnimatedGIF {
    public var frames: [any Figure]
    /// Time each frame is shown, in hundredths of a second.
    public var frameDelay: Int
    /// The last frame is held longer so the reader sees the final result.
    public var lastFrameDelay: Int

    public init(frames: [any Figure], frameDelay: Int = 50, lastFrameDelay: Int = 200) {
        self.frames = frames
        self.frameDelay = frameDelay
        self.lastFrameDelay = lastFrameDelay
    }

    /// The GIF file's bytes; it loops forever.
    public func gifData() throws -> [UInt8] {
        let pictures = try frames.map { try $0.render() }
        guard !pictures.isEmpty else { throw FigureError.invalidInput("an animated GIF needs at least one frame") }
        let width = pictures.map(\.width).max()!, height = pictures.map(\.height).max()!
        // GIF frames are palette images: quantise each frame to its own 256 colours.
        let paletteFrames = pictures.map { picture in
            let canvas = Picture(width: width, height: height)
            canvas.draw(picture, x: (width - picture.width) / 2, y: (height - picture.height) / 2)
            return Picture(owning: gdImageCreatePaletteFromTrueColor(canvas.image, 0, 256))
        }
        var bytes: [UInt8] = []
        func take(_ pointer: UnsafeMutableRawPointer?, _ size: Int32) {
            guard let pointer else { return }
            bytes += UnsafeRawBufferPointer(start: pointer, count: Int(size))
            gdFree(pointer)
        }
        var size: Int32 = 0
        take(gdImageGifAnimBeginPtr(paletteFrames[0].image, &size, 1, 0), size)
        for (index, frame) in paletteFrames.enumerated() {
            let delay = index == paletteFrames.count - 1 ? lastFrameDelay : frameDelay
            take(gdImageGifAnimAddPtr(frame.image, &size, 1, 0, 0, Int32(delay), 1, nil), size)
        }
        take(gdImageGifAnimEndPtr(&size), size)
        return bytes
    }

    /// Writes the GIF atomically, creating missing folders.
    public func write(to path: String) throws {
        try atomicWrite(gifData(), to: path)
    }
}
