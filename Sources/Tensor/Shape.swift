// Ops that move values around without arithmetic.

extension Tensor {
    /// The same values in another shape (no copy). One dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var newShape = newShape
        if let unknown = newShape.firstIndex(of: -1) {
            newShape[unknown] = count / newShape.filter { $0 != -1 }.reduce(1, *)
        }
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        if newShape == shape { return self }
        let out = Tensor(shape: newShape, storage: storage)
        return Tensor.result(out, [self]) { g, _, _ in [g.reshaped(self.shape)] }
    }

    /// Dimensions reordered: result dimension i is input dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor {
        precondition(order.sorted() == Array(0..<rank), "bad permutation \(order) for rank \(rank)")
        if order == Array(0..<rank) { return self }
        let outShape = order.map { shape[$0] }
        let out = Tensor.empty(outShape)
        var inStrides = Array(repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { inStrides[axis] = inStrides[axis + 1] * shape[axis + 1] }
        let strides = order.map { inStrides[$0] }
        let px = storage.pointer, po = out.storage.pointer
        Broadcast.forEachRow(shape: outShape, stridesA: strides, stridesB: strides) { oa, _, oo, len, sa, _ in
            for j in 0..<len { po[oo + j] = px[oa + j * sa] }
        }
        var inverse = Array(repeating: 0, count: rank)
        for (i, axis) in order.enumerated() { inverse[axis] = i }
        return Tensor.result(out, [self]) { g, _, _ in [g.permuted(inverse)] }
    }

    /// A matrix's transpose.
    public var transposed: Tensor {
        precondition(rank == 2, "transposed needs a matrix, got \(shape)")
        return permuted([1, 0])
    }

    /// The part of the tensor with indices in `range` along `axis`.
    public func slice(_ range: Range<Int>, alongAxis axis: Int = 0) -> Tensor {
        let axis = axis < 0 ? axis + rank : axis
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[axis], "slice \(range) out of \(shape)")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        var outShape = shape
        outShape[axis] = range.count
        if outer == 1 && range.count == shape[axis] { return self }
        let out = Tensor.empty(outShape)
        let chunk = range.count * inner
        for o in 0..<outer {
            (out.storage.pointer + o * chunk).update(
                from: storage.pointer + (o * shape[axis] + range.lowerBound) * inner, count: chunk)
        }
        let fullShape = shape
        return Tensor.result(out, [self]) { g, _, _ in
            // Zero-pad the gradient back to full size along the axis.
            var parts: [Tensor] = []
            var before = fullShape, after = fullShape
            before[axis] = range.lowerBound
            after[axis] = fullShape[axis] - range.upperBound
            if before[axis] > 0 { parts.append(.zeros(before)) }
            parts.append(g)
            if after[axis] > 0 { parts.append(.zeros(after)) }
            return [Tensor.concatenate(parts, alongAxis: axis)]
        }
    }

    /// Tensors joined along `axis`; all other dimensions must agree.
    public static func concatenate(_ parts: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "concatenate needs at least one tensor")
        if parts.count == 1 { return parts[0] }
        let first = parts[0]
        let axis = axis < 0 ? axis + first.rank : axis
        for p in parts {
            precondition(p.rank == first.rank && (0..<first.rank).allSatisfy { $0 == axis || p.shape[$0] == first.shape[$0] },
                         "cannot concatenate \(p.shape) with \(first.shape) along axis \(axis)")
        }
        let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
        var outShape = first.shape
        outShape[axis] = parts.reduce(0) { $0 + $1.shape[axis] }
        let out = Tensor.empty(outShape)
        let rowLength = outShape[axis] * inner
        var offset = 0
        for p in parts {
            let chunk = p.shape[axis] * inner
            for o in 0..<outer {
                (out.storage.pointer + o * rowLength + offset).update(from: p.storage.pointer + o * chunk, count: chunk)
            }
            offset += chunk
        }
        let sizes = parts.map { $0.shape[axis] }
        return Tensor.result(out, parts) { g, _, needs in
            var start = 0
            return zip(sizes, needs).map { size, needed in
                defer { start += size }
                return needed ? g.slice(start..<(start + size), alongAxis: axis) : nil
            }
        }
    }

    /// Rows (slices along axis 0) picked by index, repeats allowed.
    public func indexSelect(_ indices: [Int]) -> Tensor {
        let rowLength = count / Swift.max(shape[0], 1)
        var outShape = shape
        outShape[0] = indices.count
        let out = Tensor.empty(outShape)
        for (i, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[0], "index \(index) out of range 0..<\(shape[0])")
            (out.storage.pointer + i * rowLength).update(from: storage.pointer + index * rowLength, count: rowLength)
        }
        let rows = shape[0]
        return Tensor.result(out, [self]) { g, _, _ in [g.indexAdd(indices, rows: rows)] }
    }

    /// The adjoint of `indexSelect`: row i of self is added into row `indices[i]` of a
    /// zero tensor with `rows` rows.
    func indexAdd(_ indices: [Int], rows: Int) -> Tensor {
        let rowLength = count / Swift.max(shape[0], 1)
        var outShape = shape
        outShape[0] = rows
        let out = Tensor(repeating: 0, shape: outShape)
        for (i, index) in indices.enumerated() {
            let dst = out.storage.pointer + index * rowLength, src = storage.pointer + i * rowLength
            for j in 0..<rowLength { dst[j] += src[j] }
        }
        return Tensor.result(out, [self]) { g, _, _ in [g.indexSelect(indices)] }
    }

    /// For each row i of a [n, k] matrix, the element in column `indices[i]`, as [n].
    public func gather(columns indices: [Int]) -> Tensor {
        precondition(rank == 2 && indices.count == shape[0], "gather needs [n, k] and n indices")
        return (self * Tensor.oneHot(indices, classes: shape[1])).sum(alongAxes: 1)
    }

    /// A [n, classes] matrix with a single 1 per row, at column `labels[i]`.
    public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
        let out = Tensor(repeating: 0, shape: [labels.count, classes])
        for (i, label) in labels.enumerated() {
            precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
            out.storage.pointer[i * classes + label] = 1
        }
        return out
    }
}

// MARK: Softmax

extension Tensor {
    /// log softmax along the last axis, shifted by the (constant) maximum for stability.
    public func logSoftmax() -> Tensor {
        let shifted = self - max(alongAxis: -1, keepingDimensions: true).detached()
        return shifted - shifted.exp().sum(alongAxes: -1, keepingDimensions: true).log()
    }

    /// softmax along the last axis.
    public func softmax() -> Tensor { logSoftmax().exp() }
}
