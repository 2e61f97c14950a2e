import Foundation

/// An opaque sRGB colour.
public struct Color: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `Color(hex: 0x0072B2)`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)

    /// This colour moved towards `other` by `amount` (0 = self, 1 = other).
    public func mixed(with other: Color, amount: Double) -> Color {
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * amount).rounded())
        }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    /// libgd's true-colour value; gd's alpha runs from 0 (opaque) to 127 (transparent).
    func gdValue(opacity: Double = 1) -> Int32 {
        let alpha = Int32(((1 - min(max(opacity, 0), 1)) * 127).rounded())
        return alpha << 24 | Int32(red) << 16 | Int32(green) << 8 | Int32(blue)
    }
}

/// The colour-blind-safe Okabe–Ito palette, always used in this order so that series `i`
/// (say the generator) has the same colour in every chapter's figures.
public enum Palette {
    public static let okabeIto: [Color] = [
        Color(hex: 0x0072B2), Color(hex: 0xD55E00), Color(hex: 0x009E73), Color(hex: 0xCC79A7),
        Color(hex: 0xE69F00), Color(hex: 0x56B4E9), Color(hex: 0x000000),
    ]

    /// The colour of series number `index` (wrapping around after seven).
    public static func color(forSeries index: Int) -> Color {
        okabeIto[((index % okabeIto.count) + okabeIto.count) % okabeIto.count]
    }
}

/// Sizes and neutral colours shared by every figure. All figures are drawn at 2x, so
/// pixel sizes here are twice what a reader sees on a normal-density page.
enum FigureStyle {
    static let titleSize = 30.0
    static let axisTitleSize = 24.0
    static let tickLabelSize = 21.0
    static let legendSize = 22.0
    static let captionSize = 23.0

    static let lineWidth = 4.0          // "2 px" at 1x
    static let faintLineWidth = 2.0
    static let gridWidth = 2.0
    static let padding = 24.0

    static let text = Color(hex: 0x222222)
    static let mutedText = Color(hex: 0x444444)
    static let axisLine = Color(hex: 0x555555)
    static let grid = Color(hex: 0xE4E4E4)
    static let separator = Color.white

    /// How much a noisy raw series is washed towards white under its smoothed line.
    static let faintAmount = 0.72
}
