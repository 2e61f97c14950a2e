import Formats
import Foundation
import NN
import Tensor

/// The chapters whose generator checkpoints can be scored, by the name a checkpoint's
/// metadata gives ("chapter"), with how to rebuild each network before loading its weights.
public enum ChapterGenerator: String, CaseIterable, Sendable {
    case minimax = "ch11_2_minimax"
    case wgan = "ch11_2_wgan"
    case wganGP = "ch11_3_wgangp"
    case dcgan = "ch11_4_dcgan"
    case relativistic = "ch11_2_rgan"
    case conditional = "ch11_4_cgan"

    /// Fashion-MNIST's ten classes, which the conditional generator is asked for in turn.
    static let classes = 10

    /// A chapter's name (`ch11_4_dcgan`, any case) or the architecture's, as a PyTorch user
    /// types it: `mlp` (the minimax, WGAN and WGAN-GP generator), `dcgan`, `rgan`, `cgan`, ...
    public init?(name: String) {
        let name = name.lowercased()
        if let chapter = Self(rawValue: name) {
            self = chapter
            return
        }
        guard let chapter = Self.architectureNames.first(where: { $0.names.contains(name) })?.chapter else { return nil }
        self = chapter
    }

    /// The architecture names `init(name:)` takes besides the chapters' own.
    public static let architectureNames: [(chapter: ChapterGenerator, names: [String])] = [
        (.minimax, ["mlp", "minimax", "gan"]), (.wgan, ["wgan"]), (.wganGP, ["wgan-gp", "wgangp", "wgan_gp"]),
        (.dcgan, ["dcgan"]), (.relativistic, ["rgan", "ralsgan", "relativistic"]),
        (.conditional, ["cgan", "conditional", "conditional-dcgan"]),
    ]

    /// What the metrics compute with: the network and the noise it is fed. Chapters with the
    /// same kind score the same way (the three MLP generators differ only in training).
    public var kind: String {
        switch self {
        case .minimax, .wgan, .wganGP: "MLP generator, N(0, I) noise"
        case .dcgan: "DCGAN generator, N(0, I) noise"
        case .relativistic: "DCGAN generator, U[-1, 1] noise"
        case .conditional: "conditional DCGAN generator (noise + one-hot class), N(0, I) noise"
        }
    }

    /// A fresh network of the chapter's (28 × 28 grey) architecture; the checkpoint
    /// overwrites its weights.
    func build(latent: Int) -> any Layer {
        var unused = SeededGenerator(seed: 0)
        switch self {
        case .minimax, .wgan, .wganGP:
            return mlpGenerator(latent: latent, pixels: 28 * 28, using: &unused)
        case .dcgan, .relativistic:
            return dcganGenerator(latent: latent, using: &unused)
        case .conditional:
            return dcganGenerator(latent: latent + Self.classes, using: &unused)
        }
    }

    /// Images for noise [n, latent] and, for the conditional generator, the classes wanted.
    func generate(_ network: any Layer, noise: Tensor, labels: [Int]) -> Tensor {
        switch self {
        case .minimax, .wgan, .wganGP, .dcgan, .relativistic:
            network(noise)
        case .conditional:
            network(generatorInput(noise: noise, labels: labels, classes: Self.classes))
        }
    }
}

/// A generator rebuilt from a chapter's checkpoint file.
public struct CheckpointGenerator {
    public let path: String
    public let chapter: ChapterGenerator
    public let latentDimension: Int
    /// The training iterations the checkpoint's metadata records, if it does.
    public let trainingSteps: Int?
    /// Where the architecture came from.
    public let architectureSource: ArchitectureSource
    /// The prefix stripped from every tensor name (`net.` of `net.0.weight`, a state dict
    /// saved from a module that wraps the generator), or "".
    public let strippedPrefix: String
    /// What the caller should tell the reader: the other architectures the file's shapes fit.
    public let warnings: [String]
    let network: any Layer

    public enum ArchitectureSource: String, Sendable {
        case metadata = "the file's metadata"
        case option = "--architecture"
        case shapes = "the tensor names and shapes"
    }

    /// Reads `path`, rebuilds the generator's architecture and loads the weights. The
    /// architecture is the one the file's "chapter" metadata names (every training chapter
    /// writes it); else `architecture`; else, for a file saved elsewhere (PyTorch's
    /// `save_file(G.state_dict(), …)` has no metadata), the one of the MLP and DCGAN
    /// generators whose tensor names and shapes the file matches. A conditional generator
    /// looks like a DCGAN with ten more inputs, so it is never guessed: name it (a guess
    /// from shapes comes with `warnings` saying so). Names that all start with one common
    /// prefix (`net.0.weight`) are read without it.
    public init(path: String, architecture: ChapterGenerator? = nil) throws {
        let file = try readSafetensors(path)
        let known = ChapterGenerator.allCases.map(\.rawValue).joined(separator: ", ")
        let named = file.metadata["chapter"]
        if let named, ChapterGenerator(rawValue: named) == nil {
            throw EvaluationError("\(path) names chapter '\(named)' in its metadata, not one of \(known)",
                                  fix: "pass a generator.safetensors written by one of those chapters")
        }
        // Scoring a file as another kind than its metadata says (a conditional generator as an
        // unconditional one, say) gives numbers that mean nothing: refused, not overridden.
        if let named, let architecture, let chapter = ChapterGenerator(rawValue: named), chapter.kind != architecture.kind {
            throw EvaluationError("\(path) holds \(named)'s generator (\(chapter.kind)) by its metadata, not --architecture \(architecture.rawValue)'s (\(architecture.kind))",
                                  fix: "leave out --architecture: the metadata names the architecture")
        }
        let prefix = commonPrefix(of: Array(file.entries.keys))
        // Bounded before a network is built: a damaged value could ask for terabytes.
        if let latentText = file.metadata["latent_dim"], !(Int(latentText).map { (1...SanityLimits.width).contains($0) } ?? false) {
            throw EvaluationError("\(path) has latent_dim '\(latentText)' in its metadata, not a size from 1 to \(SanityLimits.width)",
                                  fix: "pass a checkpoint written by a training chapter")
        }
        // The first layer is Linear(latent, …) in every architecture: its weight is [out, latent].
        let inputs = file.entries[prefix + "0.weight"].flatMap { $0.shape.count == 2 ? $0.shape[1] : nil }
        let candidates = named.flatMap(ChapterGenerator.init(rawValue:)).map { [$0] } ?? architecture.map { [$0] }
            ?? [.minimax, .dcgan]
        var matches: [(ChapterGenerator, Int, any Layer)] = []
        for chapter in candidates {
            let latent = file.metadata["latent_dim"].flatMap(Int.init)
                ?? inputs.map { chapter == .conditional ? $0 - ChapterGenerator.classes : $0 }
            guard let latent, (1...SanityLimits.width).contains(latent) else { continue }  // bounded before building
            let network = chapter.build(latent: latent)
            if file.load(into: network.stateDict, prefix: prefix) == nil { matches.append((chapter, latent, network)) }
        }
        guard let (chapter, latent, network) = matches.first else {
            let which = candidates.count == 1 ? "\(candidates[0].rawValue)'s generator" : "an MLP or DCGAN generator (\(known))"
            let names = file.entries.keys.sorted()
            let found = names.prefix(3).joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            throw EvaluationError("\(path) does not hold \(which): its tensor names or shapes differ (it has \(found); a generator has 0.weight, 0.bias, … as nn.Sequential names them)",
                                  fix: named == nil && architecture == nil
                                    ? "pass the generator's safetensors file, and --architecture NAME if it is a conditional generator"
                                    : "pass the generator.safetensors file, not the discriminator's or another model's")
        }
        self.path = path
        self.chapter = chapter
        self.latentDimension = latent
        self.trainingSteps = file.metadata["step"].flatMap(Int.init)
        self.network = network
        architectureSource = named != nil ? .metadata : architecture != nil ? .option : .shapes
        strippedPrefix = prefix
        warnings = architectureSource == .shapes && chapter == .dcgan
            ? Self.dcganLookalikes(inputs: latent, path: path) : []
    }

    /// A DCGAN-shaped file without metadata fits three generators that score differently.
    static func dcganLookalikes(inputs: Int, path: String) -> [String] {
        var warnings = ["\(path): its shapes fit the DCGAN generator of ch11_4_dcgan (N(0, I) noise), ch11_2_rgan (U[-1, 1] noise) and, reading the last \(ChapterGenerator.classes) of its \(inputs) inputs as a one-hot class, ch11_4_cgan; scored as dcgan with \(inputs)-dimensional N(0, I) noise — pass --architecture rgan or cgan if it is one of those"]
        if inputs == 100 + ChapterGenerator.classes {
            warnings.append("\(path): its \(inputs) inputs are what ch11_4_cgan's conditional generator takes (100 noise + \(ChapterGenerator.classes) classes); if it is conditional, scoring it as unconditional feeds noise where the class belongs and the scores mean nothing: pass --architecture cgan")
        }
        return warnings
    }

    /// The images for `noise` [n, latent], in evaluation mode; a conditional generator gets
    /// `labels` (one class per row).
    public func images(for noise: Tensor, labels: [Int] = []) -> Tensor {
        evaluating { chapter.generate(network, noise: noise, labels: labels) }
    }

    // snippet.sample-generator
    /// `count` images from noise drawn with `seed`, in evaluation mode, in batches;
    /// a conditional generator gets the ten classes in turn.
    public func sample(count: Int, seed: UInt64, batchSize: Int = 500, progress: (Int) -> Void = { _ in }) throws -> Tensor {
        var random = SeededGenerator(seed: seed)
        var batches: [Tensor] = []
        for start in stride(from: 0, to: count, by: batchSize) {
            let size = min(batchSize, count - start)
            let noise = chapter.noise([size, latentDimension], using: &random)
            let labels = (start..<(start + size)).map { $0 % ChapterGenerator.classes }
            batches.append(images(for: noise, labels: labels))
            progress(start + size)
        }
        return try classifierInput(Tensor.concatenate(batches), from: path)
    }
    // snippet.end
}

extension ChapterGenerator {
    /// The noise the chapter trained its generator on: the relativistic GAN follows the
    /// original chapter in drawing z from U[−1, 1], the others from N(0, I).
    func noise(_ shape: [Int], using random: inout SeededGenerator) -> Tensor {
        self == .relativistic
            ? Tensor.randomUniform(shape, in: -1..<1, using: &random)
            : Tensor.randomNormal(shape, using: &random)
    }
}

/// "net." when every name starts with that one component (a state dict saved from a module
/// that holds the generator as `self.net`), else "". A file already named as the generator
/// names its tensors ("0.weight") keeps its names.
func commonPrefix(of names: [String]) -> String {
    guard !names.contains("0.weight"), let first = names.first?.split(separator: ".", maxSplits: 1).first,
          first.count < names[0].count else { return "" }
    let prefix = first + "."
    return names.allSatisfy { $0.hasPrefix(prefix) && $0.count > prefix.count } ? String(prefix) : ""
}
