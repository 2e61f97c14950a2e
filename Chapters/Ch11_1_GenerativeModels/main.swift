/*:
 # 11.1 Six ways to model p(x)

 A generative model learns a distribution p_θ(x) close to the data's p_data(x) and can
 draw new x from it. The families differ in what they can do with p_θ: evaluate it
 exactly, bound it, know it only up to a constant, or not write it down at all and only
 sample. Here all six learn the same 2-D data with the same training budget, and are then
 measured on the same held-out points.

 Run it with `swift run Ch11_1_GenerativeModels` (`--help` lists every option).
 */
import ArgumentParser
import Foundation
import NN
import Tensor
import Workbook

// snippet.hide
struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "Ch11_1_GenerativeModels", abstract: "Six families of generative models compared on the same 2-D data.")

    @Option(help: "The toy distribution: \(ToyDistribution.allCases.map(\.rawValue).joined(separator: ", ")).")
    var dataset: ToyDistribution = .ring

    @Option(help: "Training iterations for each model (default 3000; 20 with --quick).")
    var steps: Int?

    @Option(help: "Seed for data, weights and noise: same seed and threads, same figures.")
    var seed: UInt64 = 0

    @Option(help: "Folder for figures and the table.")
    var out: String = "figures"

    @Option(help: "Threads for matrix products.")
    var threads: Int = 2

    @Flag(help: "A tiny smoke run (a few iterations, fewer samples), for tests and CI.")
    var quick = false

    func validate() throws {
        if let steps { try requirePositive(steps, "--steps") }
        try requirePositive(threads, "--threads")
    }
}

let options = Options.parseCommandLine()
setComputeThreads(options.threads)
orExit { try ensureWritableFolder(options.out) }
let wallClock = ContinuousClock.now
// snippet.show

/*:
 ## The data and the budget
 Training points and held-out test points come from the same distribution with different
 seeds. Every model trains for the same number of minibatches of 256 points with Adam, and
 is judged on 10,000 fresh samples.
 */
// snippet.setup
let data = ToyData(options.dataset, trainingCount: 20_000, testCount: 5_000, seed: options.seed)
let comparison = ToyComparison(
    data: data, steps: options.steps ?? (options.quick ? 20 : 3000), batchSize: 256,
    sampleCount: options.quick ? 1000 : 10_000, distanceSampleCount: options.quick ? 500 : 4000,
    seed: options.seed)
var weights = comparison.generator("weights")
// snippet.end

/*:
 ## 1. Variational autoencoder: a bound on log p(x)
 A latent z ~ N(0, I) is decoded into p(x|z) = N(μ(z), σ²I). The likelihood
 p(x) = ∫ p(x|z) p(z) dz has no closed form, so an encoder q(z|x) is trained along with it
 to maximise the evidence lower bound

     log p(x) ≥ ELBO(x) = E_q(z|x)[log p(x|z)] − KL(q(z|x) ‖ p(z)).

 The expectation uses one sample z = μ + σ·ε (the reparameterisation trick), the KL term
 its closed form for Gaussians. `VAE.elbo` is that line of mathematics.
 */
// snippet.vae
let vae = VAE(latentDimension: 2, using: &weights)
let vaeResult = comparison.run("VAE", vae, density: DensityEstimate(.lowerBound) { x in
    var draws = comparison.generator("VAE bound")
    return vae.averageELBO(x, draws: 16, using: &draws)
})
// snippet.end

/*:
 ## 2. Autoregressive model: the chain rule, exactly
 Any joint density factors into conditionals, p(x) = p(x₁)·p(x₂ | x₁). Each factor here is a
 mixture of 16 Gaussians; the second one's weights, means and widths come from a network
 that reads x₁. The log-likelihood is a sum of two exact terms, and sampling must go in
 order: first x₁, then x₂ given it (in an image, one pixel after another).
 */
// snippet.autoregressive
let autoregressive = AutoregressiveMixture(components: 16, using: &weights)
let autoregressiveResult = comparison.run(
    "autoregressive", autoregressive, density: DensityEstimate(.exact, autoregressive.logLikelihood))
// snippet.end

/*:
 ## 3. Normalizing flow: change of variables
 An invertible f maps data to a standard normal z = f(x). Then

     log p(x) = log N(f(x); 0, I) + log |det ∂f/∂x|,

 exact, and x = f⁻¹(z) samples in one pass. RealNVP builds f from affine couplings whose
 Jacobians are triangular, so the determinant is a sum of the scale outputs. Eight couplings
 alternate the coordinate they change.
 */
// snippet.flow
let flow = RealNVP(couplings: 8, using: &weights)
let flowResult = comparison.run("flow (RealNVP)", flow, density: DensityEstimate(.exact, flow.logLikelihood))
// snippet.end

/*:
 ## 4. Energy-based model: a density up to its partition function
 Any function E(x) defines p(x) = exp(−E(x)) / Z with Z = ∫ exp(−E(x)) dx. Z is an integral
 over the whole space, out of reach beyond a few dimensions, and the likelihood needs it.
 The score ∇ₓ log p(x) = −∇ₓE(x) does not, so we fit the score by denoising score matching
 (which needs the gradient of a gradient: double backprop) and sample by Langevin dynamics,
 which only ever asks for the score: 200 steps from noise, then one denoising jump.
 */
// snippet.ebm
let ebm = EnergyModel(noiseLevel: 0.15, sampler: LangevinSampler(stepSize: 0.01, steps: 200), using: &weights)
let ebmResult = comparison.run("energy-based", ebm, density: DensityEstimate(.unnormalised) { -ebm.energy($0) })
// snippet.end

/*:
 ## 5. GAN: no density, a game
 A generator G(z) is trained only through a discriminator D that tells its samples from real
 ones:

     min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))],

 with the non-saturating generator loss −log D(G(z)) of §11.2. There is no p(x) to evaluate;
 sampling is one pass through G.
 */
// snippet.gan
let gan = ToyGAN(latentDimension: 8, using: &weights)
let ganResult = comparison.run("GAN", gan)
// snippet.end

/*:
 ## 6. Diffusion model: undoing noise, step by step
 The forward process adds Gaussian noise in T = 100 small steps,
 q(xₜ | xₜ₋₁) = N(√(1−βₜ)·xₜ₋₁, βₜI), so that q(xₜ | x₀) = N(√ᾱₜ·x₀, (1−ᾱₜ)I) and x_T is
 pure noise. A network ε̂(xₜ, t) learns the added noise; the reverse process
 p(xₜ₋₁ | xₜ) = N(μ(xₜ, t), βₜI) with μ = (xₜ − βₜ/√(1−ᾱₜ)·ε̂) / √αₜ then walks from noise
 back to data, one network pass per step.
 */
// snippet.diffusion
let diffusion = DDPM(schedule: DiffusionSchedule(steps: 100), using: &weights)
let diffusionResult = comparison.run("diffusion (DDPM)", diffusion)
// snippet.end

/*:
 ## Measured side by side
 Sample quality is the energy distance to 4,000 held-out points (0 for a perfect model; the
 "true distribution" row shows what fresh real samples score). On the ring and the grid,
 a mode is covered when at least a fifth of its fair share of samples lands within 3σ of
 it, and "high-quality" is the share of samples that land that close to any mode.
 Log-likelihoods are nats per point on the held-out data, in the data's own units.
 */
// snippet.measure
let families = [vaeResult, autoregressiveResult, flowResult, ebmResult, ganResult, diffusionResult]
let truth = comparison.trueDistribution()
let table = comparison.markdownTable([truth] + families)
print(table)
orExit {
    try table.write(toFile: "\(options.out)/ch11_1_generative_models_table.md", atomically: true, encoding: .utf8)
    try comparison.samplesFigure(truth, families)
        .write(to: "\(options.out)/ch11_1_generative_models_samples.png")
    try comparison.densitiesFigure(families).write(to: "\(options.out)/ch11_1_generative_models_densities.png")
}
// snippet.end

// snippet.hide
let seconds = (ContinuousClock.now - wallClock).components.seconds
print("summary: chapter=ch11_1_generative_models dataset=\(options.dataset.rawValue) steps=\(comparison.steps) seconds=\(seconds)"
      + families.map { " energy_distance_\($0.family.split(separator: " ")[0].lowercased())=\(String(format: "%.4f", $0.energyDistance))" }.joined())
// snippet.show
