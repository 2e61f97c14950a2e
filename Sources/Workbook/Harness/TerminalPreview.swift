import Foundation
import NN
import Tensor

/// The terminal a run draws on, if any: its size, and whether it can show the live preview.
public struct Terminal: Sendable {
    public var columns: Int
    public var rows: Int

    /// The terminal on standard error (where progress goes), or nil when it goes to a file,
    /// pipe or CI log. Asked again on every redraw, so that a resized window is followed.
    public static var current: Terminal? {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Terminal(columns: Int(size.ws_col), rows: Int(size.ws_row))
        }
        // Some pseudo-terminals report no size: fall back on the shell's idea of it.
        let environment = ProcessInfo.processInfo.environment
        return Terminal(columns: environment["COLUMNS"].flatMap(Int.init) ?? 80,
                        rows: environment["LINES"].flatMap(Int.init) ?? 24)
    }

    /// Whether the terminal takes escape codes (cursor moves, line clearing): not `TERM=dumb`
    /// (Emacs' shell, some CI consoles), nor an unset TERM. Where it does not, progress is
    /// written as plain lines.
    public static func allowsEscapes(environment: [String: String]) -> Bool {
        guard let term = environment["TERM"], !term.isEmpty else { return false }
        return term != "dumb"
    }

    public static var allowsEscapes: Bool { allowsEscapes(environment: ProcessInfo.processInfo.environment) }

    /// Whether samples may be drawn in colour: on a terminal that takes escape codes, and not
    /// where the user asked for no colour (https://no-color.org: `NO_COLOR` set and not
    /// empty). Without colour there is no preview at all: grey shading from characters
    /// alone would be too coarse to show what the generator draws.
    public static func allowsPreview(isTerminal: Bool, environment: [String: String]) -> Bool {
        guard isTerminal, allowsEscapes(environment: environment) else { return false }
        return (environment["NO_COLOR"] ?? "").isEmpty
    }

    public static var allowsPreview: Bool {
        allowsPreview(isTerminal: current != nil, environment: ProcessInfo.processInfo.environment)
    }

    /// Window size changes (SIGWINCH) seen since `watchResizes()`.
    static var resizes: Int { resizeCount.value }

    /// Counts SIGWINCH from now on, so that a live line redraws at once after a resize.
    static func watchResizes() {
        SignalWatch.shared.on([SIGWINCH]) { _ in resizeCount.increment() }
    }

    private static let resizeCount = Counter()
}

/// A count that one thread increments and another reads.
final class Counter: @unchecked Sendable {  // `count` is guarded by `lock`
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

/// Images drawn as text: each character cell shows two pixels, the upper one as the
/// foreground colour of "▀" (upper half block) and the lower one as its background, in
/// 24-bit colour. An odd last row leaves the lower halves in the terminal's own background.
public enum HalfBlocks {
    /// The lines of a row of images placed side by side, one space apart, each line ending
    /// with a reset so that nothing after it inherits the colours. `pixels` holds
    /// `count` images of `channels` × `height` × `width` values in [-1, 1] (grey or RGB).
    public static func lines(pixels: [Float], count: Int, channels: Int, height: Int, width: Int) -> [String] {
        let imageSize = channels * height * width
        precondition(count > 0 && pixels.count >= count * imageSize, "not \(count) images of \(channels)x\(height)x\(width)")
        precondition(channels == 1 || channels == 3, "half blocks draw grey or RGB images")
        func colour(_ image: Int, _ y: Int, _ x: Int) -> String {
            let base = image * imageSize + y * width + x
            let red = SampleGrid.byte(pixels[base])
            if channels == 1 { return "\(red);\(red);\(red)" }
            let plane = height * width
            return "\(red);\(SampleGrid.byte(pixels[base + plane]));\(SampleGrid.byte(pixels[base + 2 * plane]))"
        }
        return stride(from: 0, to: height, by: 2).map { top in
            var line = ""
            for image in 0..<count {
                if image > 0 { line += " " }
                // Codes are sent only when a colour changes: a dark background costs one code, not hundreds.
                var foreground = "", background = ""
                for x in 0..<width {
                    let upper = colour(image, top, x)
                    let lower = top + 1 < height ? colour(image, top + 1, x) : "default"
                    if upper != foreground { line += "\u{1B}[38;2;\(upper)m"; foreground = upper }
                    if lower != background { line += lower == "default" ? "\u{1B}[49m" : "\u{1B}[48;2;\(lower)m"; background = lower }
                    line += "▀"
                }
                line += "\u{1B}[0m"
            }
            return line
        }
    }
}

/// A row of the fixed-noise samples shrunk to fit the terminal: up to `maximumCount`
/// images, as large as fits but never enlarged, and never smaller than `smallestSide`
/// columns (fewer images instead). Fashion-MNIST's 28×28 images become 14×14 tiles
/// drawn in 7 lines: eight of them fill 120 columns, five fit in 80.
public struct SampleStrip: Equatable, Sendable {
    public let count: Int
    /// Size of each image in pixels (columns × pixel rows; two pixel rows per text line).
    public let width: Int
    public let height: Int

    public static let maximumCount = 8
    public static let smallestSide = 14

    /// The layout for `available` images of `imageWidth` × `imageHeight` pixels on a terminal
    /// `columns` wide, keeping its last column free (writing there makes some terminals wrap).
    /// Nil when not even one image fits.
    public init?(available: Int, imageWidth: Int, imageHeight: Int, columns: Int) {
        let usable = columns - 1
        let smallest = min(imageWidth, Self.smallestSide)
        let side = min(imageWidth, max(smallest, (usable + 1) / Self.maximumCount - 1))
        let count = min(available, Self.maximumCount, (usable + 1) / (side + 1))
        guard count > 0, side > 0 else { return nil }
        self.count = count
        width = side
        height = max(1, Int((Double(imageHeight) * Double(side) / Double(imageWidth)).rounded()))
    }

    public var lineCount: Int { (height + 1) / 2 }
    public var columns: Int { count * (width + 1) - 1 }

    /// The first `count` of `images` ([n, c, h, w], or [n, h·w] for square grey images),
    /// each shrunk by averaging the pixels that fall into each tile pixel, as text lines.
    public func lines(_ images: Tensor) -> [String] {
        let (channels, sourceHeight, sourceWidth) = imageGeometry(images)
        var shrunk = [Float](repeating: 0, count: count * channels * height * width)
        images.values.withUnsafeBufferPointer { source in
            for plane in 0..<(count * channels) {
                let from = plane * sourceHeight * sourceWidth, to = plane * height * width
                for y in 0..<height {
                    let y0 = y * sourceHeight / height, y1 = max(y0 + 1, (y + 1) * sourceHeight / height)
                    for x in 0..<width {
                        let x0 = x * sourceWidth / width, x1 = max(x0 + 1, (x + 1) * sourceWidth / width)
                        var sum: Float = 0
                        for sy in y0..<y1 { for sx in x0..<x1 { sum += source[from + sy * sourceWidth + sx] } }
                        shrunk[to + y * width + x] = sum / Float((y1 - y0) * (x1 - x0))
                    }
                }
            }
        }
        return HalfBlocks.lines(pixels: shrunk, count: count, channels: channels, height: height, width: width)
    }
}

/// Channels, height and width of a batch of images given as [n, c, h, w] or [n, h·w]
/// (square, one channel), the two shapes the chapters' generators produce.
func imageGeometry(_ images: Tensor) -> (channels: Int, height: Int, width: Int) {
    if images.rank == 4 { return (images.shape[1], images.shape[2], images.shape[3]) }
    let side = Int(Double(images.count / images.shape[0]).squareRoot())
    return (1, side, side)
}

/// The fixed-noise samples drawn above the progress bar while a run trains: every few
/// seconds, and whenever the run has made a sample grid anyway. The samples are made in
/// evaluation mode without gradients from noise drawn once, so drawing them changes
/// nothing that is trained, logged or written.
struct LiveSamplePreview {
    private var due = ContinuousClock.now  // the first preview comes after the first step

    static let interval = Duration.seconds(3)

    /// When due, or `now` (after an epoch, at the end), draws `images`, or if none are at
    /// hand the ones `samples` makes.
    mutating func refresh(on progress: inout WorkProgress, now: Bool, images: Tensor?, samples make: () -> Tensor) {
        let started = ContinuousClock.now
        guard now || started >= due, let terminal = Terminal.current else { return }
        let samples = images ?? evaluating(make)
        let (channels, height, width) = imageGeometry(samples)
        if channels == 1 || channels == 3,
           let strip = SampleStrip(available: samples.shape[0], imageWidth: width, imageHeight: height,
                                   columns: terminal.columns),
           strip.lineCount + 2 <= terminal.rows {
            progress.show(preview: strip.lines(samples), width: strip.columns)
        } else {
            progress.show(preview: [], width: 0)  // a window made too small: blank what was drawn
        }
        // A large generator on a slow machine: keep the preview under a twentieth of the time.
        due = ContinuousClock.now + max(Self.interval, (ContinuousClock.now - started) * 20)
    }
}
