import Tensor

// snippet.bce-on-logits
/// Binary cross-entropy of `logits` against `targets` in [0, 1], averaged:
/// mean(softplus(x) − x·y). Working on logits keeps it finite for any |x|: in Float32,
/// log(sigmoid(x)) is log 0 = −∞ for x below about −88, and log(1 − sigmoid(x)) for x
/// above about +17.
public func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
    (logits.softplus() - logits * targets).mean()
}

/// The same with one target for every element (e.g. 1 for "real", 0.9 with label smoothing).
public func binaryCrossEntropy(logits: Tensor, target: Float) -> Tensor {
    target == 0 ? logits.softplus().mean() : (logits.softplus() - logits * target).mean()
}
// snippet.end

/// Mean squared error.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
    (prediction - target).squared().mean()
}

/// Cross-entropy of class logits [n, k] against integer labels.
public func crossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
    -logits.logSoftmax().gather(columns: labels).mean()
}
