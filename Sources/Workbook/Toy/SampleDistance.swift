/// The energy distance between two samples of 2-D points (Székely & Rizzo):
///     D² = 2·E‖X − Y‖ − E‖X − X′‖ − E‖Y − Y′‖,
/// zero exactly when the two distributions are equal, positive otherwise. It is the MMD with
/// the distance kernel −‖x − y‖, so it needs no bandwidth. Within-sample means leave out
/// each point's distance to itself (an unbiased estimate, which can dip just below 0).
/// Points are interleaved pairs x0, y0, x1, y1, …; sums run in Float64.
public func energyDistance(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count % 2 == 0 && b.count % 2 == 0 && a.count >= 4 && b.count >= 4,
                 "energy distance needs at least two (x, y) points per sample")
    let n = a.count / 2, m = b.count / 2
    let cross = meanDistance(a, b, skipSelf: false)
    return 2 * cross - meanDistance(a, a, skipSelf: true) * Double(n) / Double(n - 1)
        - meanDistance(b, b, skipSelf: true) * Double(m) / Double(m - 1)
}

/// The mean of ‖p − q‖ over all pairs (the self-pairs contribute 0 when `skipSelf`, so the
/// caller rescales by n/(n − 1)).
private func meanDistance(_ p: [Float], _ q: [Float], skipSelf: Bool) -> Double {
    let n = p.count / 2, m = q.count / 2
    var total = 0.0
    p.withUnsafeBufferPointer { p in
        q.withUnsafeBufferPointer { q in
            for i in 0..<n {
                let x = Double(p[2 * i]), y = Double(p[2 * i + 1])
                // Skipping j ≤ i halves the work when comparing a sample with itself.
                let start = skipSelf ? i + 1 : 0
                var row = 0.0
                for j in start..<m {
                    let dx = x - Double(q[2 * j]), dy = y - Double(q[2 * j + 1])
                    row += (dx * dx + dy * dy).squareRoot()
                }
                total += skipSelf ? 2 * row : row
            }
        }
    }
    return total / Double(n * m)
}
