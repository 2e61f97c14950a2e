import CGD
import Foundation

/// A text style: DejaVu Sans at a pixel size, regular or bold.
struct FigureFont: Sendable {
    var size: Double
    var bold = false

    static let regularPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    static let boldPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

    static let title = FigureFont(size: FigureStyle.titleSize, bold: true)
    static let axisTitle = FigureFont(size: FigureStyle.axisTitleSize)
    static let tickLabel = FigureFont(size: FigureStyle.tickLabelSize)
    static let legend = FigureFont(size: FigureStyle.legendSize)
    static let caption = FigureFont(size: FigureStyle.captionSize)

    var path: String { bold ? FigureFont.boldPath : FigureFont.regularPath }

    /// libgd measures type in points at 96 dpi.
    var points: Double { size * 72 / 96 }

    /// Height of a capital letter above the baseline (DejaVu Sans: 0.73 em); used to centre
    /// text vertically the same way whether or not it has descenders.
    var capHeight: Double { size * 0.73 }

    /// Line height for stacking rows of text.
    var lineHeight: Double { size * 1.25 }

    /// Checks once per figure that the fonts exist, so missing fonts give a clear error
    /// instead of silently missing labels. Also sets up libgd's font cache before any
    /// thread draws text (libgd asks for this).
    static func ensureAvailable() throws {
        _ = cacheReady
        for path in [regularPath, boldPath] where !FileManager.default.fileExists(atPath: path) {
            throw FigureError.missingFont(path: path)
        }
    }

    private static let cacheReady: Bool = gdFontCacheSetup() == 0

    /// Width in pixels of `text` set in this font.
    func width(of text: String) -> Double {
        guard !text.isEmpty else { return 0 }
        var box = [Int32](repeating: 0, count: 8)
        _ = gdImageStringFT(nil, &box, 0, path, points, 0, 0, 0, text)
        return Double(box[2] - box[0])
    }
}

enum TextAlignment {
    case left, center, right
}

extension Picture {
    /// Draws anti-aliased text. `x` is the left edge, centre or right edge per `alignment`;
    /// `y` is the vertical centre of the capital letters, so labels line up with ticks.
    /// Rotated text runs bottom to top, centred on (x, y) along its length, with `x` the
    /// middle of its capital letters.
    func drawText(_ text: String, x: Double, y: Double, font: FigureFont, color: Color = FigureStyle.text,
                  alignment: TextAlignment = .left, rotated: Bool = false) {
        guard !text.isEmpty else { return }
        let width = font.width(of: text)
        let shift: Double = switch alignment {
        case .left: 0
        case .center: width / 2
        case .right: width
        }
        var box = [Int32](repeating: 0, count: 8)
        if rotated {
            let baselineX = x + font.capHeight / 2
            let startY = y + width / 2
            _ = gdImageStringFT(image, &box, color.gdValue(), font.path, font.points, Double.pi / 2,
                                Int32(baselineX.rounded()), Int32(startY.rounded()), text)
        } else {
            let baselineY = y + font.capHeight / 2
            _ = gdImageStringFT(image, &box, color.gdValue(), font.path, font.points, 0,
                                Int32((x - shift).rounded()), Int32(baselineY.rounded()), text)
        }
    }
}
