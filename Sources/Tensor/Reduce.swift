// Reductions, and their partner broadcast: the backward of one is the other.

extension Tensor {
    /// Sums over the dimensions that `shape` broadcasts along, giving a tensor of `shape`;
    /// the gradient of a broadcasting op, reduced back to its operand's shape.
    public func sum(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        let out = Tensor(repeating: 0, shape: shape)
        sumKernel(into: out)
        return Tensor.result(out, [self]) { g, _, _ in [g.broadcast(to: self.shape)] }
    }

    private func sumKernel(into out: Tensor) {
        let px = storage.pointer, po = out.storage.pointer
        let n = count, m = out.count
        if m == 1 {
            po[0] = sumOfBuffer(px, n)
        } else if let last = self.shape.last, m == last, out.shape.last == last {
            // Column sums of an [rows, m] matrix, e.g. a bias gradient.
            for r in 0..<(n / m) {
                let row = px + r * m
                for j in 0..<m { po[j] += row[j] }
            }
        } else {
            let outStrides = Broadcast.strides(of: out.shape, broadcastTo: self.shape)
            let unit = Array(repeating: 1, count: rank)
            Broadcast.forEachRow(shape: self.shape, stridesA: outStrides, stridesB: unit) { oo, _, oi, len, so, _ in
                if so == 0 {
                    po[oo] += sumOfBuffer(px + oi, len)
                } else {
                    for j in 0..<len { po[oo + j * so] += px[oi + j] }
                }
            }
        }
    }

    /// The values repeated along broadcast dimensions to fill `shape`.
    public func broadcast(to shape: [Int]) -> Tensor {
        if shape == self.shape { return self }
        precondition(Broadcast.shape(self.shape, shape) == shape, "cannot broadcast \(self.shape) to \(shape)")
        let out = Tensor.empty(shape)
        let px = storage.pointer, po = out.storage.pointer
        if count == 1 {
            po.update(repeating: px[0], count: out.count)
        } else {
            let strides = Broadcast.strides(of: self.shape, broadcastTo: shape)
            Broadcast.forEachRow(shape: shape, stridesA: strides, stridesB: strides) { oa, _, oo, len, sa, _ in
                for j in 0..<len { po[oo + j] = px[oa + j * sa] }
            }
        }
        return Tensor.result(out, [self]) { g, _, _ in [g.sum(to: self.shape)] }
    }

    /// The sum of all elements, as a scalar.
    public func sum() -> Tensor { sum(to: []) }

    /// The mean of all elements, as a scalar.
    public func mean() -> Tensor { sum() * (1 / Float(count)) }

    /// Sums along `axes`, keeping them as size-1 dimensions when `keepingDimensions`.
    public func sum(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        reduceSum(axes, keepingDimensions)
    }

    public func mean(alongAxes axes: Int..., keepingDimensions: Bool = false) -> Tensor {
        let n = axes.reduce(1) { $0 * shape[$1 < 0 ? $1 + rank : $1] }
        return reduceSum(axes, keepingDimensions) * (1 / Float(n))
    }

    private func reduceSum(_ axes: [Int], _ keepingDimensions: Bool) -> Tensor {
        let axes = Set(axes.map { $0 < 0 ? $0 + rank : $0 })
        let summed = sum(to: shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element })
        if keepingDimensions { return summed }
        return summed.reshaped(shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
    }

    /// The largest value along one axis (kept as size 1 when `keepingDimensions`).
    /// The gradient goes to the first position holding the maximum.
    public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        let outer = shape[..<axis].reduce(1, *), n = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var keptShape = shape
        keptShape[axis] = 1
        let out = Tensor.empty(keptShape)
        let mask = Tensor(repeating: 0, shape: shape)  // one-hot at the arg-max
        let px = storage.pointer, po = out.storage.pointer, pm = mask.storage.pointer
        for o in 0..<outer {
            for i in 0..<inner {
                var best = px[o * n * inner + i], bestIndex = 0
                for k in 1..<Swift.max(n, 1) where px[(o * n + k) * inner + i] > best {
                    best = px[(o * n + k) * inner + i]
                    bestIndex = k
                }
                po[o * inner + i] = best
                pm[(o * n + bestIndex) * inner + i] = 1
            }
        }
        let result = Tensor.result(out, [self]) { g, _, _ in [g.broadcast(to: self.shape) * mask] }
        if keepingDimensions { return result }
        var squeezed = shape
        squeezed.remove(at: axis)
        return result.reshaped(squeezed)
    }
}

/// Sum of a buffer with eight running partial sums: vectorisable and more accurate
/// than one long chain of additions.
@inline(__always)
func sumOfBuffer(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>()
    var i = 0
    while i + 8 <= n {
        acc += UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var total = acc.sum()
    while i < n { total += p[i]; i += 1 }
    return total
}
