import CGD
import Foundation

/// Draws lines, rectangles and dots at several times the final resolution, then averages
/// down. libgd's own anti-aliasing only works for 1-pixel lines; supersampling gives smooth
/// lines of any width. Text is drawn afterwards on the final picture so that it stays crisp.
///
/// Coordinates are in final figure pixels.
final class ShapeLayer {
    static let supersampling = 3

    let width: Int
    let height: Int
    private let canvas: Picture

    init(width: Int, height: Int, background: Color = .white) {
        self.width = width
        self.height = height
        canvas = Picture(width: width * ShapeLayer.supersampling, height: height * ShapeLayer.supersampling,
                         background: background)
    }

    private func scaled(_ value: Double) -> Double { value * Double(ShapeLayer.supersampling) }

    /// Restricts drawing to `rect` (nil: the whole layer).
    func clip(to rect: CanvasRect?) {
        guard let rect else {
            gdImageSetClip(canvas.image, 0, 0, Int32(canvas.width - 1), Int32(canvas.height - 1))
            return
        }
        gdImageSetClip(canvas.image, Int32(scaled(rect.x).rounded()), Int32(scaled(rect.y).rounded()),
                       Int32(scaled(rect.maxX).rounded()) - 1, Int32(scaled(rect.maxY).rounded()) - 1)
    }

    func fill(_ rect: CanvasRect, color: Color, opacity: Double = 1) {
        let x0 = Int32(scaled(rect.x).rounded()), x1 = Int32(scaled(rect.maxX).rounded()) - 1
        let y0 = Int32(scaled(rect.y).rounded()), y1 = Int32(scaled(rect.maxY).rounded()) - 1
        guard x1 >= x0, y1 >= y0 else { return }
        gdImageFilledRectangle(canvas.image, x0, y0, x1, y1, color.gdValue(opacity: opacity))
    }

    /// A line of the given width through `points`, with round joins and caps.
    /// The colour must be opaque: overlapping joins would otherwise darken.
    func polyline(_ points: [CanvasPoint], color: Color, width lineWidth: Double) {
        let halfWidth = scaled(lineWidth) / 2
        let value = color.gdValue()
        let scaledPoints = points.map { CanvasPoint(x: scaled($0.x), y: scaled($0.y)) }
        for (start, end) in zip(scaledPoints, scaledPoints.dropFirst()) {
            let dx = end.x - start.x, dy = end.y - start.y
            let length = (dx * dx + dy * dy).squareRoot()
            guard length > 0.01 else { continue }
            let nx = -dy / length * halfWidth, ny = dx / length * halfWidth
            var corners = [
                gdPoint(x: Int32((start.x + nx).rounded()), y: Int32((start.y + ny).rounded())),
                gdPoint(x: Int32((end.x + nx).rounded()), y: Int32((end.y + ny).rounded())),
                gdPoint(x: Int32((end.x - nx).rounded()), y: Int32((end.y - ny).rounded())),
                gdPoint(x: Int32((start.x - nx).rounded()), y: Int32((start.y - ny).rounded())),
            ]
            gdImageFilledPolygon(canvas.image, &corners, 4, value)
        }
        for point in scaledPoints {
            fillDisk(centerX: point.x, centerY: point.y, radius: halfWidth, value: value)
        }
    }

    func line(from start: CanvasPoint, to end: CanvasPoint, color: Color, width: Double) {
        polyline([start, end], color: color, width: width)
    }

    /// A filled circle; translucent dots blend with what is underneath.
    func dot(at center: CanvasPoint, radius: Double, color: Color, opacity: Double = 1) {
        fillDisk(centerX: scaled(center.x), centerY: scaled(center.y), radius: scaled(radius),
                 value: color.gdValue(opacity: opacity))
    }

    /// Fills a disk one pixel row at a time so that each pixel is blended exactly once.
    private func fillDisk(centerX: Double, centerY: Double, radius: Double, value: Int32) {
        let top = Int((centerY - radius).rounded(.up)), bottom = Int((centerY + radius).rounded(.down))
        guard top <= bottom else { return }
        for row in top...bottom {
            let dy = Double(row) + 0.5 - centerY
            let half = (radius * radius - dy * dy).squareRoot()
            guard half.isFinite else { continue }
            let left = Int32((centerX - half).rounded()), right = Int32((centerX + half).rounded()) - 1
            if right >= left {
                gdImageFilledRectangle(canvas.image, left, Int32(row), right, Int32(row), value)
            }
        }
    }

    /// The layer averaged down to its final size: each output pixel is the mean of its
    /// supersampling x supersampling block (a box filter, several times faster than
    /// gdImageCopyResampled's general one).
    func downsampled() -> Picture {
        let factor = ShapeLayer.supersampling, blockArea = UInt32(factor * factor)
        let result = Picture(width: width, height: height)
        let source = canvas.image.pointee.tpixels!, target = result.image.pointee.tpixels!
        var sums = [UInt32](repeating: 0, count: 3 * width)
        sums.withUnsafeMutableBufferPointer { sums in
            for y in 0..<height {
                sums.update(repeating: 0)
                for sourceY in (y * factor)..<((y + 1) * factor) {
                    let row = source[sourceY]!
                    for x in 0..<width {
                        for sourceX in (x * factor)..<((x + 1) * factor) {
                            let pixel = UInt32(bitPattern: row[sourceX])
                            sums[3 * x] += (pixel >> 16) & 0xFF
                            sums[3 * x + 1] += (pixel >> 8) & 0xFF
                            sums[3 * x + 2] += pixel & 0xFF
                        }
                    }
                }
                let output = target[y]!
                for x in 0..<width {
                    let red = (sums[3 * x] + blockArea / 2) / blockArea
                    let green = (sums[3 * x + 1] + blockArea / 2) / blockArea
                    let blue = (sums[3 * x + 2] + blockArea / 2) / blockArea
                    output[x] = Int32(bitPattern: red << 16 | green << 8 | blue)
                }
            }
        }
        return result
    }
}
