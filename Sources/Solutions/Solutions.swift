import ExerciseKit
import Foundation
import NN
import Tensor

// Reference solutions of the checkable exercises. Hand out `Sources/Exercises` alone;
// `swift run Ch11_Exercises check --solutions` grades these with the same checks.

/// Whether this copy of the workbook has the reference solutions (a hand-out does not).
public let solutionsIncluded = true

/// The reference solutions as the table the checker calls.
public var referenceAnswers: ExerciseAnswers {
    ExerciseAnswers(
        discriminatorLoss: discriminatorLoss, generatorLoss: generatorLoss, generatorBlock: generatorBlock,
        generatorInput: generatorInput, realDiscriminatorInput: realDiscriminatorInput,
        clipWeights: clipWeights, gradientPenalty: gradientPenalty,
        frechetDistance: frechetDistance, inceptionScore: inceptionScore)
}

// MARK: 11.1

/// −log σ(x) = softplus(−x) and −log(1 − σ(x)) = softplus(x): the logs of sigmoids
/// written so that no probability is ever rounded to 0 or 1 first.
public func discriminatorLoss(realLogits: Tensor, fakeLogits: Tensor) throws -> Tensor {
    (-realLogits).softplus().mean() + fakeLogits.softplus().mean()
}

public func generatorLoss(fakeLogits: Tensor) throws -> Tensor {
    (-fakeLogits).softplus().mean()
}

// MARK: 11.2

public func generatorBlock(inChannels: Int, outChannels: Int, using weights: inout SeededGenerator) throws -> any Layer {
    let block = Sequential(
        ConvTranspose2d(inChannels, outChannels, kernelSize: 4, stride: 2, padding: 1, bias: false, using: &weights),
        BatchNorm(outChannels), Activation.relu)
    initializeDCGAN(block, using: &weights)
    return block
}

// MARK: 11.3

public func generatorInput(noise: Tensor, labels: [Int], classes: Int) throws -> Tensor {
    Tensor.concatenate([noise, Tensor.oneHot(labels, classes: classes)], alongAxis: 1)
}

public func realDiscriminatorInput(images: Tensor, labels: [Int], batch: [Int], classes: Int) throws -> Tensor {
    let picked = images.indexSelect(batch)
    let (n, height, width) = (batch.count, images.shape[2], images.shape[3])
    let planes = Tensor.oneHot(batch.map { labels[$0] }, classes: classes)
        .reshaped([n, classes, 1, 1]).broadcast(to: [n, classes, height, width])
    return Tensor.concatenate([picked, planes], alongAxis: 1)
}

// MARK: 11.4

public func clipWeights(of critic: any Layer, to limit: Float) throws {
    for parameter in critic.parameters {
        parameter.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = min(max(values[i], -limit), limit) }
        }
    }
}

public func gradientPenalty(critic: (Tensor) -> Tensor, real: Tensor, fake: Tensor, mixing epsilon: Tensor) throws -> Tensor {
    let points = (epsilon * real + (1 - epsilon) * fake).detached().requiringGradient()
    let slopes = gradients(of: critic(points).sum(), wrt: [points], createGraph: true)[0]
    let norms = (slopes.reshaped([points.shape[0], -1]).squared().sum(alongAxes: 1) + 1e-12).sqrt()
    return (norms - 1).squared().mean()
}

// MARK: 11.5

public func frechetDistance(meanA: [Double], covarianceA: [Double], meanB: [Double], covarianceB: [Double]) throws -> Double {
    let d = meanA.count
    let meanTerm = zip(meanA, meanB).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    let traces = (0..<d).reduce(0) { $0 + covarianceA[$1 * d + $1] + covarianceB[$1 * d + $1] }
    // Tr (Σa Σb)^½ = Σ √λ over the eigenvalues λ of the symmetric Σa^½ Σb Σa^½.
    let rootA = try squareRoot(covarianceA, order: d)
    let middle = product(product(rootA, covarianceB, order: d), rootA, order: d)
    let traceOfRoot = try symmetricEigen(middle, order: d).values.reduce(0) { $0 + max($1, 0).squareRoot() }
    return meanTerm + traces - 2 * traceOfRoot
}

/// S^½ = V diag(√λ) Vᵀ for a symmetric positive semi-definite S.
func squareRoot(_ matrix: [Double], order n: Int) throws -> [Double] {
    let (values, vectors) = try symmetricEigen(matrix, order: n)
    var root = [Double](repeating: 0, count: n * n)
    for k in 0..<n {
        let scale = max(values[k], 0).squareRoot()
        for i in 0..<n {
            for j in 0..<n { root[i * n + j] += scale * vectors[k * n + i] * vectors[k * n + j] }
        }
    }
    return root
}

func product(_ a: [Double], _ b: [Double], order n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
        for k in 0..<n {
            let aik = a[i * n + k]
            for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
        }
    }
    return c
}

public func inceptionScore(probabilities: [[Double]]) throws -> Double {
    let classes = probabilities.first?.count ?? 0
    var marginal = [Double](repeating: 0, count: classes)
    for row in probabilities {
        for k in 0..<classes { marginal[k] += row[k] / Double(probabilities.count) }
    }
    let meanKL = probabilities.reduce(0) { total, row in
        total + (0..<classes).reduce(0) { kl, k in
            row[k] > 0 ? kl + row[k] * (log(row[k]) - log(marginal[k])) : kl
        }
    } / Double(probabilities.count)
    return exp(meanKL)
}
