import ArgumentParser
import Workbook

/// The command line: one subcommand per application, `all` (the three in turn) by default.
struct Applications: ParsableCommand {
    static let configuration = CommandConfiguration.chapter(
        "Ch11_6_Applications", "GANs at work, measured: anomaly detection, data augmentation and inpainting on Fashion-MNIST.",
        subcommands: [All.self, Anomaly.self, Augment.self, Inpaint.self], defaultSubcommand: All.self)
}

/// What every application takes.
struct ApplicationOptions: ParsableArguments, Sendable {
    @OptionGroup var study: StudyOptions
    @OptionGroup var data: DataOptions

    @Option(help: "Runs with seeds --seed, --seed + 1, … (default: 3 for anomaly detection, 5 for augmentation).")
    var seeds: Int?

    @Option(help: "The conditional generator whose samples augment the classifier's data (a Ch11_4_CGAN checkpoint).")
    var conditionalGenerator = "models/ch11_4_cgan_generator.safetensors"

    @Option(help: "The generator that inpaints (any 28×28 MLP or DCGAN generator; by default the WGAN-GP chapter's).")
    var generator = "models/ch11_3_wgangp_generator.safetensors"

    func validate() throws {
        guard let seeds else { return }
        try requirePositive(seeds, "--seeds")
        guard seeds <= 100 else { throw ValidationError("--seeds must be at most 100, got \(seeds)") }
    }
}

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the three applications in turn (the default).")
    @OptionGroup var options: ApplicationOptions
    func run() { runAll(options) }
}

struct Anomaly: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Detect a class the GAN never saw: discriminator score vs AnoGAN residual, AUROC.")
    @OptionGroup var options: ApplicationOptions
    func run() { let study = Study(name: "ch11_6_applications", options: options.study); detectAnomalies(options, study) }
}

struct Augment: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train a classifier on 100 images per class, with and without cGAN samples.")
    @OptionGroup var options: ApplicationOptions
    func run() { let study = Study(name: "ch11_6_applications", options: options.study); augment(options, study) }
}

struct Inpaint: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Complete the hidden lower half of test images with a trained generator (by default the WGAN-GP chapter's).")
    @OptionGroup var options: ApplicationOptions
    func run() { let study = Study(name: "ch11_6_applications", options: options.study); inpaint(options, study) }
}
