import Formats
import Foundation
import NN
import Tensor

/// Saves and restores models and optimisers as safetensors files.
///
/// `<folder>/checkpoint.safetensors` is the checkpoint: every model's weights, every
/// optimiser's state and the step reached, in one file written atomically (temporary file,
/// then rename), so a kill or a full disk leaves either the old set or the new one, never
/// weights of one step with optimiser state of another. `--resume` reads only this file.
///
/// `<folder>/<model>.safetensors` are copies of each model's state_dict under PyTorch's
/// names, for readers (`safetensors.torch.load_file`, `Ch11_5_Metrics score`); each names
/// its step in its metadata.
public struct Checkpoint {
    public let folder: String
    public let models: [(name: String, layer: any Layer)]
    public let optimizers: [(name: String, optimizer: any Optimizer)]

    public init(folder: String, models: [(name: String, layer: any Layer)],
                optimizers: [(name: String, optimizer: any Optimizer)]) {
        self.folder = folder
        self.models = models
        self.optimizers = optimizers
    }

    public func modelPath(_ name: String) -> String { "\(folder)/\(name).safetensors" }
    public var path: String { "\(folder)/checkpoint.safetensors" }
    /// Where earlier versions kept optimiser state beside separately renamed model files.
    var legacyStatePath: String { "\(folder)/training_state.safetensors" }

    /// Whether a checkpoint (of this or of the older layout) is there to resume from.
    public var exists: Bool {
        FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: legacyStatePath)
    }

    /// `metadata` goes into every file (safetensors keeps string pairs in its header), so
    /// a model file says which chapter and settings made it.
    public func save(step: Int, metadata: [String: String] = [:]) throws {
        var entries: [SafetensorsEntry] = []
        var info = metadata
        info["step"] = String(step)
        for (name, layer) in models {
            entries += layer.stateDict.map { SafetensorsEntry(name: "models.\(name).\($0.name)", tensor: $0.tensor) }
        }
        for (name, optimizer) in optimizers {
            entries += optimizer.namedState.map { SafetensorsEntry(name: "optimizers.\(name).\($0.name)", tensor: $0.tensor) }
            info["optimizers.\(name).step"] = String(optimizer.stepCount)
        }
        try writeSafetensors(entries, metadata: info, to: path)
        // The old layout's state file would now describe another step than the models.
        unlink(legacyStatePath)

        let exported = metadata.merging(["format": "pt", "step": String(step)]) { $1 }
        for (name, layer) in models {
            try writeSafetensors(layer.stateDict.map(SafetensorsEntry.init), metadata: exported, to: modelPath(name))
        }
    }

    /// Restores everything and returns the step to continue from. `expected` are metadata
    /// values the checkpoint must have (chapter, seed, …): a checkpoint of another run
    /// is refused, naming the value.
    public func restore(expecting expected: [String: String] = [:]) throws -> Int {
        guard FileManager.default.fileExists(atPath: path) else {
            throw WorkbookFileError(
                path: legacyStatePath,
                problem: "is a checkpoint of an older version, whose files were saved one by one and cannot be verified as one set",
                fix: "train again without --resume")
        }
        let file = try readSafetensors(path)
        func refuse(_ problem: String, _ fix: String = Self.resumeFix) -> WorkbookFileError {
            WorkbookFileError(path: path, problem: problem, fix: fix)
        }
        guard let stepText = file.metadata["step"] else { throw refuse("has no step in its metadata", Self.damagedFix) }
        guard let step = Int(stepText), step >= 0 else {
            throw refuse("has step '\(stepText)' in its metadata, not a count of iterations", Self.damagedFix)
        }
        for (key, value) in expected.sorted(by: { $0.key < $1.key }) where file.metadata[key] != value {
            throw refuse("was written with \(key) \(file.metadata[key] ?? "unset"), this run has \(value)")
        }
        for (name, layer) in models {
            try load(layer.stateDict, from: file, prefix: "models.\(name).")
        }
        for (name, optimizer) in optimizers {
            try load(optimizer.namedState, from: file, prefix: "optimizers.\(name).")
            let key = "optimizers.\(name).step"
            guard let text = file.metadata[key] else { throw refuse("has no \(key) in its metadata", Self.damagedFix) }
            guard let updates = Int(text), (0...maximumOptimizerSteps).contains(updates) else {
                throw refuse("has \(key) '\(text)' in its metadata, not a count of updates", Self.damagedFix)
            }
            optimizer.restore(stepCount: updates)
        }
        return step
    }

    private func load(_ targets: [(name: String, tensor: Tensor)], from file: SafetensorsFile, prefix: String) throws {
        guard let mismatch = file.load(into: targets, prefix: prefix) else { return }
        guard let found = mismatch.found else {
            throw WorkbookFileError(path: path, problem: "has no tensor named \(mismatch.name)", fix: Self.resumeFix)
        }
        throw WorkbookFileError(path: path, problem: "\(mismatch.name) has shape \(found), the model needs \(mismatch.needed)",
                                fix: Self.resumeFix)
    }

    static let resumeFix = "the checkpoint belongs to other settings: run without --resume, or pass the options it was trained with"
    static let damagedFix = "the checkpoint is damaged: run without --resume to start afresh"
}
