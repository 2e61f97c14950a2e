/// Shapes and strides for NumPy-style broadcasting.
enum Broadcast {
    /// The shape two operands broadcast to, or nil when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = Array(repeating: 1, count: rank - a.count) + a
        let pb = Array(repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            guard x == y || x == 1 || y == 1 else { return nil }
            out.append(x == 1 ? y : x)
        }
        return out
    }

    /// Strides that read an operand of shape `shape` as if it had shape `target`
    /// (0 along broadcast dimensions).
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        var strides = Array(repeating: 0, count: target.count)
        var step = 1
        for axis in stride(from: target.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 && target[axis] != 1 ? 0 : step
            step *= padded[axis]
        }
        return strides
    }

    /// Calls `row(offsetA, offsetB, outOffset, length, strideA, strideB)` once per row of
    /// the last dimension of `shape`, walking the leading dimensions like an odometer.
    @inline(__always)
    static func forEachRow(shape: [Int], stridesA: [Int], stridesB: [Int],
                           _ row: (Int, Int, Int, Int, Int, Int) -> Void) {
        let rank = shape.count
        guard rank > 0 else { row(0, 0, 0, 1, 0, 0); return }
        let n = shape[rank - 1]
        let rows = shape.dropLast().reduce(1, *)
        guard n > 0, rows > 0 else { return }
        var index = Array(repeating: 0, count: rank)
        var offA = 0, offB = 0
        for r in 0..<rows {
            row(offA, offB, r * n, n, stridesA[rank - 1], stridesB[rank - 1])
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                offA += stridesA[axis]
                offB += stridesB[axis]
                if index[axis] < shape[axis] { break }
                offA -= stridesA[axis] * shape[axis]
                offB -= stridesB[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
