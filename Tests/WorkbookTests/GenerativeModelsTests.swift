import Formats
import Foundation
import NN
import Tensor
import Testing
@testable import Workbook

/// Replaces every parameter with N(0, std²) values, so that a model that starts as the
/// identity (the flow) has something to check.
private func randomize(_ parameters: [Tensor], std: Float, seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    for p in parameters { p.assign(.randomNormal(p.shape, std: std, using: &random)) }
}

private func ringPoints(_ count: Int, seed: UInt64) -> Tensor {
    Tensor(shape: [count, 2], values: ToyDistribution.ring.sample(count: count, seed: seed).map { $0 / 2 })
}

private func variance(_ values: [Float]) -> Double {
    let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
    return values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
}

@Suite("Generative models of §11.1")
struct GenerativeModelsTests {
    @Test("the flow's log-determinant matches a finite-difference Jacobian")
    func flowLogDeterminant() {
        var random = SeededGenerator(seed: 1)
        let flow = RealNVP(couplings: 6, width: 16, using: &random)
        randomize(flow.parameters, std: 0.3, seed: 2)
        let points = Tensor.randomNormal([5, 2], using: &random)
        let logDeterminants = withoutGradients { flow.forward(points).logDeterminant }.values
        let h: Float = 1e-3
        for row in 0..<5 {
            let x = points.values[(2 * row)..<(2 * row + 2)].map { $0 }
            // Column j of the Jacobian: (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h.
            let columns = (0..<2).map { j -> [Double] in
                var plus = x, minus = x
                plus[j] += h
                minus[j] -= h
                let f = withoutGradients { flow.forward(Tensor(shape: [2, 2], values: plus + minus)).z }.values
                return (0..<2).map { Double(f[$0] - f[2 + $0]) / Double(2 * h) }
            }
            let determinant = columns[0][0] * columns[1][1] - columns[1][0] * columns[0][1]
            #expect(abs(log(abs(determinant)) - Double(logDeterminants[row])) < 1e-2)
        }
        #expect(logDeterminants.contains { abs($0) > 0.3 }, "the flow should not be close to volume-preserving")
    }

    @Test("the flow's inverse undoes it to 1e-4")
    func flowInverse() {
        var random = SeededGenerator(seed: 3)
        let flow = RealNVP(couplings: 8, width: 32, using: &random)
        randomize(flow.parameters, std: 0.15, seed: 4)
        let x = Tensor.randomNormal([256, 2], std: 1.5, using: &random)
        let (z, _) = withoutGradients { flow.forward(x) }
        let roundTrip = withoutGradients { flow.inverse(z) }
        let error = zip(x.values, roundTrip.values).map { abs($0 - $1) }.max()!
        #expect(error < 1e-4)
        #expect(zip(x.values, z.values).map { abs($0 - $1) }.max()! > 0.1, "the flow should move points")
    }

    @Test("the VAE's KL term equals the closed form and a Monte Carlo estimate")
    func vaeKL() {
        // KL(N(1, 1) ‖ N(0, 1)) = ½ in one dimension; KL(N(0, e²) ‖ N(0, 1)) = ½(e² − 1 − 2).
        let exact = gaussianKLToStandardNormal(mean: Tensor(shape: [2, 1], values: [1, 0]),
                                               logVariance: Tensor(shape: [2, 1], values: [0, 2])).values
        #expect(abs(exact[0] - 0.5) < 1e-6)
        #expect(abs(Double(exact[1]) - 0.5 * (exp(2.0) - 3)) < 1e-5)

        // KL = E_q[log q(z) − log p(z)], estimated with 200,000 samples of q.
        let mean = Tensor(shape: [1, 2], values: [0.7, -1.2]), logVariance = Tensor(shape: [1, 2], values: [-1.0, 0.5])
        var random = SeededGenerator(seed: 5)
        let n = 200_000
        let z = mean + (logVariance * 0.5).exp() * Tensor.randomNormal([n, 2], using: &random)
        let monteCarlo = (gaussianLogDensity(z, mean: mean, logVariance: logVariance) - standardNormalLogDensity(z)).mean().item
        let closedForm = gaussianKLToStandardNormal(mean: mean, logVariance: logVariance).item
        #expect(abs(monteCarlo - closedForm) < 0.02)
    }

    @Test("the diffusion forward process has marginal variance ᾱₜ·v + 1 − ᾱₜ")
    func diffusionMarginalVariance() {
        let schedule = DiffusionSchedule(steps: 100)
        var random = SeededGenerator(seed: 6)
        let n = 50_000, dataVariance = 0.25
        let x0 = Tensor.randomNormal([n, 2], std: 0.5, using: &random)
        var x = x0
        for t in 0..<schedule.steps {
            x = schedule.forwardStep(x, step: t, noise: .randomNormal([n, 2], using: &random))
            guard [9, 49, 99].contains(t) else { continue }
            let stated = Double(schedule.alphaBars[t]) * dataVariance + 1 - Double(schedule.alphaBars[t])
            #expect(abs(variance(x.values) / stated - 1) < 0.03, "step by step, t = \(t + 1)")
            let direct = schedule.noised(x0, steps: Array(repeating: t, count: n), noise: .randomNormal([n, 2], using: &random))
            #expect(abs(variance(direct.values) / stated - 1) < 0.03, "in one jump, t = \(t + 1)")
        }
        #expect(schedule.alphaBars.last! < 1e-3, "x_T should be almost pure noise")
    }

    @Test("a short training run improves each likelihood-style objective on held-out points")
    func smokeTrainingImprovesObjectives() {
        var weights = SeededGenerator(seed: 7)
        let heldOut = ringPoints(1024, seed: 8)
        let vae = VAE(width: 64, using: &weights)
        let autoregressive = AutoregressiveMixture(components: 8, width: 64, using: &weights)
        let flow = RealNVP(couplings: 4, width: 32, using: &weights)
        let ebm = EnergyModel(width: 64, using: &weights)
        let diffusion = DDPM(width: 64, using: &weights)
        // Each objective on the same held-out points and noise before and after training (lower is better).
        let objectives: [(String, any ToyGenerativeModel, () -> Float)] = [
            ("VAE −ELBO", vae, { var r = SeededGenerator(seed: 9); return -vae.averageELBO(heldOut, draws: 4, using: &r).mean().item }),
            ("autoregressive −log p", autoregressive, { withoutGradients { -autoregressive.logLikelihood(heldOut).mean().item } }),
            ("flow −log p", flow, { withoutGradients { -flow.logLikelihood(heldOut).mean().item } }),
            ("EBM score matching", ebm, { var r = SeededGenerator(seed: 9); return ebm.scoreMatchingLoss(heldOut, using: &r).item }),
            ("DDPM noise prediction", diffusion, { var r = SeededGenerator(seed: 9); return withoutGradients { diffusion.loss(heldOut, using: &r).item } }),
        ]
        for (name, model, objective) in objectives {
            let before = objective()
            var random = SeededGenerator(seed: 10)
            for step in 0..<150 {
                _ = model.trainingStep(on: ringPoints(128, seed: 100 + UInt64(step)), using: &random)
            }
            let after = objective()
            #expect(after < before - 0.1 * abs(before), "\(name): \(before) → \(after)")
        }
    }

    @Test("a short GAN run brings its samples closer to the data")
    func smokeTrainingGAN() {
        var weights = SeededGenerator(seed: 11)
        let gan = ToyGAN(width: 64, using: &weights)
        let data = ringPoints(1000, seed: 12).values
        var sampling = SeededGenerator(seed: 13)
        let before = energyDistance(gan.sample(count: 1000, using: &sampling).values, data)
        var random = SeededGenerator(seed: 14)
        for step in 0..<300 { _ = gan.trainingStep(on: ringPoints(128, seed: 200 + UInt64(step)), using: &random) }
        sampling = SeededGenerator(seed: 13)
        let after = energyDistance(gan.sample(count: 1000, using: &sampling).values, data)
        #expect(after < 0.5 * before, "energy distance \(before) → \(after)")
    }

    @Test("energy distance: about 0 for one distribution, positive for different ones")
    func energyDistanceProperties() {
        let ringA = ToyDistribution.ring.sample(count: 2000, seed: 15)
        let ringB = ToyDistribution.ring.sample(count: 2000, seed: 16)
        let moons = ToyDistribution.moons.sample(count: 2000, seed: 17)
        #expect(abs(energyDistance(ringA, ringB)) < 0.01)
        #expect(energyDistance(ringA, moons) > 0.1)
        // Two point masses one unit apart: 2·1 − 0 − 0.
        let atOrigin = [Float](repeating: 0, count: 20)
        let shifted: [Float] = (0..<10).flatMap { _ in [1, 0] }
        #expect(abs(energyDistance(atOrigin, shifted) - 2) < 1e-9)
    }
}
