/// A point in figure pixels (final 2x pixels, fractional allowed).
struct CanvasPoint: Sendable {
    var x: Double
    var y: Double
}

/// An axis-aligned rectangle in figure pixels; y grows downwards as in the image.
struct CanvasRect: Sendable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
}
