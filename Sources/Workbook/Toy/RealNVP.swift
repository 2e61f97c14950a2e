import NN
import Tensor

/// A RealNVP affine coupling on 2-D points: one coordinate passes through unchanged and
/// sets the scale and shift of the other,
///     y_keep = x_keep,   y_change = x_change · exp(s(x_keep)) + t(x_keep),
/// so the Jacobian is triangular and log|det ∂y/∂x| = s(x_keep), and the inverse is exact.
public final class AffineCoupling {
    /// The coordinate that is transformed (the other one conditions it).
    public let changedCoordinate: Int
    /// x_keep → (raw log-scale, shift).
    let network: Sequential

    public init(changedCoordinate: Int, width: Int, using generator: inout SeededGenerator) {
        self.changedCoordinate = changedCoordinate
        // A zero last layer makes every coupling start as the identity.
        network = toyMLP(inputs: 1, outputs: 2, width: width, zeroOutput: true, using: &generator)
    }

    public var parameters: [Tensor] { network.parameters }

    private var keptCoordinate: Int { 1 - changedCoordinate }

    /// Scale and shift from the kept coordinate; the log-scale is soft-clamped to (−2, 2)
    /// so that no single layer can blow a point up or squash it to nothing.
    private func scaleAndShift(_ kept: Tensor) -> (logScale: Tensor, shift: Tensor) {
        let output = network(kept)
        return ((output.column(0) * 0.5).tanh() * 2, output.column(1))
    }

    private func assemble(kept: Tensor, changed: Tensor) -> Tensor {
        changedCoordinate == 1
            ? Tensor.concatenate([kept, changed], alongAxis: 1)
            : Tensor.concatenate([changed, kept], alongAxis: 1)
    }

    // snippet.coupling
    /// y = f(x) and log|det ∂f/∂x| per point.
    public func forward(_ x: Tensor) -> (y: Tensor, logDeterminant: Tensor) {
        let kept = x.column(keptCoordinate)
        let (logScale, shift) = scaleAndShift(kept)
        let changed = x.column(changedCoordinate) * logScale.exp() + shift
        return (assemble(kept: kept, changed: changed), logScale.reshaped([-1]))
    }

    /// x = f⁻¹(y): the kept coordinate gives back the same scale and shift.
    public func inverse(_ y: Tensor) -> Tensor {
        let kept = y.column(keptCoordinate)
        let (logScale, shift) = scaleAndShift(kept)
        return assemble(kept: kept, changed: (y.column(changedCoordinate) - shift) * (-logScale).exp())
    }
    // snippet.end
}

/// A normalizing flow f = f_L ∘ … ∘ f₁ of affine couplings that alternate the coordinate they
/// change, mapping data x to z = f(x) with z ~ N(0, I). By the change of variables,
///     log p(x) = log N(f(x); 0, I) + Σₗ log|det ∂fₗ/∂x|,
/// exactly; samples are x = f⁻¹(z).
public final class RealNVP: ToyGenerativeModel {
    public let couplings: [AffineCoupling]
    let optimizer: Adam

    public init(couplings count: Int = 8, width: Int = 64, learningRate: Float = 1e-3,
                using generator: inout SeededGenerator) {
        couplings = (0..<count).map { AffineCoupling(changedCoordinate: $0 % 2, width: width, using: &generator) }
        optimizer = Adam(couplings.flatMap(\.parameters), learningRate: learningRate)
    }

    public var parameters: [Tensor] { optimizer.parameters }

    /// z = f(x) and the summed log-determinant, per point.
    public func forward(_ x: Tensor) -> (z: Tensor, logDeterminant: Tensor) {
        var z = x, logDeterminant = Tensor.zeros([x.shape[0]])
        for coupling in couplings {
            let step = coupling.forward(z)
            z = step.y
            logDeterminant = logDeterminant + step.logDeterminant
        }
        return (z, logDeterminant)
    }

    /// x = f⁻¹(z): the couplings undone in reverse order.
    public func inverse(_ z: Tensor) -> Tensor {
        couplings.reversed().reduce(z) { $1.inverse($0) }
    }

    // snippet.flow-likelihood
    /// log p(x) = log N(f(x); 0, I) + log|det ∂f/∂x|, exact, per point.
    public func logLikelihood(_ x: Tensor) -> Tensor {
        let (z, logDeterminant) = forward(x)
        return standardNormalLogDensity(z) + logDeterminant
    }
    // snippet.end

    public func trainingStep(on batch: Tensor, using random: inout SeededGenerator) -> Float {
        let loss = -logLikelihood(batch).mean()
        optimizer.step(gradients(of: loss, wrt: parameters))
        return loss.item
    }

    /// z ~ N(0, I) pushed through f⁻¹: one pass, like a GAN's generator.
    public func sample(count: Int, using random: inout SeededGenerator) -> Tensor {
        withoutGradients { inverse(Tensor.randomNormal([count, 2], using: &random)) }
    }
}
