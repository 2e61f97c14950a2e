import CKernels

// 2-D convolutions in NCHW layout, built on two data-movement ops, im2col and col2im,
// one matrix product over the whole batch, and a swap of its [O, N, L] layout to [N, O, L]
// that adds the bias on the way.
//
// im2col copies every receptive field of an image batch into a column, so that a
// convolution is a single GEMM; col2im is its adjoint (it adds columns back into image
// positions). Each is the other's backward rule, and everything else is an existing
// differentiable op, so gradients of any order come for free: the engine derives
// conv2d's input gradient as col2im(Wᵀ·g), which is exactly convTranspose2d of g, and its
// weight gradient as g·im2col(x)ᵀ, a correlation of g with x.

/// The size and placement of a convolution window (square stride and padding, as DCGANs use).
public struct ConvWindow: Equatable, Sendable {
    public var kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int

    public init(kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0) {
        precondition(kernelHeight > 0 && kernelWidth > 0 && stride > 0 && padding >= 0,
                     "bad convolution window: kernel \(kernelHeight)x\(kernelWidth), stride \(stride), padding \(padding)")
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    /// A convolution's output size along one axis (PyTorch's formula): (in + 2p − k)/s + 1.
    func convolvedSize(_ input: Int, kernel: Int) -> Int { (input + 2 * padding - kernel) / stride + 1 }

    /// A transposed convolution's output size: (in − 1)s − 2p + k + outputPadding.
    func transposedSize(_ input: Int, kernel: Int, outputPadding: Int) -> Int {
        (input - 1) * stride - 2 * padding + kernel + outputPadding
    }
}

/// Every receptive field of `x` [N, C, H, W] as a column: a [C·kh·kw, N·OH·OW] matrix whose
/// row (c, i, j) holds, for each output position, the input value under kernel tap (i, j)
/// of channel c (zero in the padding).
public func im2col(_ x: Tensor, window: ConvWindow) -> Tensor {
    precondition(x.rank == 4, "im2col needs [N, C, H, W], got \(x.shape)")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = window.convolvedSize(h, kernel: window.kernelHeight)
    let ow = window.convolvedSize(w, kernel: window.kernelWidth)
    precondition(oh > 0 && ow > 0, "im2col: window \(window) does not fit input \(x.shape)")
    let out = Tensor.empty([c * window.kernelHeight * window.kernelWidth, n * oh * ow])
    let (source, columns) = (x.storage.pointer, out.storage.pointer)
    inBlocks(of: n * c, grain: grain(valuesPerItem: window.kernelHeight * window.kernelWidth * oh * ow)) {
        gans_im2col(source, columns, n, c, h, w, window.kernelHeight, window.kernelWidth, window.stride, window.padding,
                    oh, ow, $0, $1)
    }
    let imageShape = x.shape
    return Tensor.result(out, [x]) { g, _, _ in [col2im(g, imageShape: imageShape, window: window)] }
}

/// The adjoint of `im2col`: adds every column entry back into the image position it was
/// copied from, giving a tensor of `imageShape` [N, C, H, W], plus `bias[c]` on channel c.
public func col2im(_ columns: Tensor, imageShape: [Int], window: ConvWindow, bias: Tensor? = nil) -> Tensor {
    precondition(imageShape.count == 4, "col2im needs an [N, C, H, W] image shape, got \(imageShape)")
    let (n, c, h, w) = (imageShape[0], imageShape[1], imageShape[2], imageShape[3])
    let oh = window.convolvedSize(h, kernel: window.kernelHeight)
    let ow = window.convolvedSize(w, kernel: window.kernelWidth)
    precondition(columns.shape == [c * window.kernelHeight * window.kernelWidth, n * oh * ow],
                 "col2im: columns \(columns.shape) do not match image \(imageShape) under \(window)")
    if let bias { precondition(bias.shape == [c], "col2im: bias \(bias.shape) for \(c) channels") }
    let out = Tensor.empty(imageShape)
    let (source, image, biasValues) = (columns.storage.pointer, out.storage.pointer, bias?.storage.pointer)
    inBlocks(of: n * c, grain: grain(valuesPerItem: window.kernelHeight * window.kernelWidth * oh * ow)) {
        gans_col2im(source, image, n, c, h, w, window.kernelHeight, window.kernelWidth, window.stride, window.padding,
                    oh, ow, biasValues, $0, $1)
    }
    let inputs = bias.map { [columns, $0] } ?? [columns]
    return Tensor.result(out, inputs) { g, _, needs in
        [needs[0] ? im2col(g, window: window) : nil]
            + (bias == nil ? [] : [needs[1] ? g.reshaped([n, c, h * w]).sum(to: [c, 1]).reshaped([c]) : nil])
    }
}

/// A 2-D convolution (cross-correlation, as in PyTorch): x [N, C, H, W], weight [O, C, kh, kw],
/// bias [O] → [N, O, (H + 2p − kh)/s + 1, (W + 2p − kw)/s + 1].
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == x.shape[1],
                 "conv2d: input \(x.shape) with weight \(weight.shape)")
    let (n, outChannels) = (x.shape[0], weight.shape[0])
    let window = ConvWindow(kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
    let oh = window.convolvedSize(x.shape[2], kernel: window.kernelHeight)
    let ow = window.convolvedSize(x.shape[3], kernel: window.kernelWidth)
    // One GEMM for the whole batch: [O, C·kh·kw] · [C·kh·kw, N·OH·OW] = [O, N·OH·OW].
    let product = matmul(weight.reshaped([outChannels, -1]), im2col(x, window: window))
    if let bias { precondition(bias.shape == [outChannels], "conv2d: bias \(bias.shape) for \(outChannels) channels") }
    return swappingLeadingAxes(product.reshaped([outChannels, n, oh * ow]), adding: bias)
        .reshaped([n, outChannels, oh, ow])
}

/// A transposed convolution (the adjoint of `conv2d` with the same weight), as PyTorch's
/// `conv_transpose2d`: x [N, C, H, W], weight [C, O, kh, kw], bias [O] →
/// [N, O, (H − 1)s − 2p + kh + outputPadding, (W − 1)s − 2p + kw + outputPadding].
public func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                            outputPadding: Int = 0) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape[0] == x.shape[1],
                 "convTranspose2d: input \(x.shape) with weight \(weight.shape)")
    precondition(outputPadding >= 0 && outputPadding < stride, "convTranspose2d: outputPadding must be in 0..<stride")
    let (n, inChannels, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let outChannels = weight.shape[1]
    let window = ConvWindow(kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
    let oh = window.transposedSize(h, kernel: window.kernelHeight, outputPadding: outputPadding)
    let ow = window.transposedSize(w, kernel: window.kernelWidth, outputPadding: outputPadding)
    precondition(oh > 0 && ow > 0, "convTranspose2d: output size \(oh)x\(ow) for input \(x.shape)")
    // Channels first, [C, N·H·W], then one GEMM: [C, O·kh·kw]ᵀ · [C, N·H·W] = [O·kh·kw, N·H·W],
    // the columns of the output image, which col2im adds into place.
    let channelsFirst = swappingLeadingAxes(x.reshaped([n, inChannels, h * w])).reshaped([inChannels, n * h * w])
    let columns = matmul(weight.reshaped([inChannels, -1]), channelsFirst, transposeA: true)
    return col2im(columns, imageShape: [n, outChannels, oh, ow], window: window, bias: bias)
}

/// x [A, B, L] as [B, A, L], plus `bias[i]` on every value that came from x[i]: a matrix
/// product's [O, N, L] output as a batch of images [N, O, L] and back, with a convolution's
/// bias added in the same pass. Its own adjoint (without the bias), so gradients of every
/// order stay within this op and sums.
func swappingLeadingAxes(_ x: Tensor, adding bias: Tensor? = nil) -> Tensor {
    precondition(x.rank == 3, "swappingLeadingAxes needs [A, B, L], got \(x.shape)")
    let (a, b, length) = (x.shape[0], x.shape[1], x.shape[2])
    if let bias { precondition(bias.shape == [a], "swappingLeadingAxes: bias \(bias.shape) for \(a) rows") }
    let out = Tensor.empty([b, a, length])
    let (source, swapped, biasValues) = (x.storage.pointer, out.storage.pointer, bias?.storage.pointer)
    inBlocks(of: b, grain: grain(valuesPerItem: a * length)) {
        gans_swap_leading_axes(source, swapped, a, b, length, biasValues, $0, $1)
    }
    let inputs = bias.map { [x, $0] } ?? [x]
    return Tensor.result(out, inputs) { g, _, needs in
        [needs[0] ? swappingLeadingAxes(g) : nil]
            + (bias == nil ? [] : [needs[1] ? g.sum(to: [a, 1]).reshaped([a]) : nil])
    }
}

/// Nearest-neighbour upsampling of x [N, C, H, W] by an integer factor: each pixel becomes
/// a factor×factor block. Written as a broadcast, so its gradient (a sum over each block)
/// and all higher ones come from the broadcast/sum pair.
public func upsampleNearest(_ x: Tensor, factor: Int) -> Tensor {
    precondition(x.rank == 4 && factor > 0, "upsampleNearest needs [N, C, H, W] and a positive factor")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    return x.reshaped([n, c, h, 1, w, 1])
        .broadcast(to: [n, c, h, factor, w, factor])
        .reshaped([n, c, h * factor, w * factor])
}
