import Formats
import Foundation
import NN
import Tensor

/// Saves and restores models and optimisers as safetensors files:
/// `<folder>/<model>.safetensors` holds a model's state_dict under PyTorch's names (load it
/// with `safetensors.torch.load_file` and `model.load_state_dict`), and
/// `<folder>/training_state.safetensors` holds optimiser moments and the step reached.
/// Every file is written atomically, so an interrupted save leaves the last good one.
public struct Checkpoint {
    public let folder: String
    public let models: [(name: String, layer: any Layer)]
    public let optimizers: [(name: String, optimizer: any Optimizer)]

    public func modelPath(_ name: String) -> String { "\(folder)/\(name).safetensors" }
    var statePath: String { "\(folder)/training_state.safetensors" }

    public var exists: Bool { FileManager.default.fileExists(atPath: statePath) }

    /// `metadata` goes into every file (safetensors keeps string pairs in its header), so
    /// a model file says which chapter and settings made it.
    public func save(step: Int, metadata: [String: String] = [:]) throws {
        for (name, layer) in models {
            try writeSafetensors(layer.stateDict.map(SafetensorsEntry.init), metadata: metadata.merging(["format": "pt"]) { $1 },
                                 to: modelPath(name))
        }
        var entries: [SafetensorsEntry] = []
        var info = metadata
        info["step"] = String(step)
        for (name, optimizer) in optimizers {
            entries += optimizer.namedState.map { SafetensorsEntry(name: "\(name).\($0.name)", tensor: $0.tensor) }
            if let adam = optimizer as? Adam { info["\(name).adam_steps"] = String(adam.stepCount) }
        }
        try writeSafetensors(entries, metadata: info, to: statePath)
    }

    /// Restores everything and returns the step to continue from.
    public func restore() throws -> Int {
        for (name, layer) in models {
            try Self.load(layer.stateDict, from: readSafetensors(modelPath(name)), prefix: "", path: modelPath(name))
        }
        let state = try readSafetensors(statePath)
        for (name, optimizer) in optimizers {
            try Self.load(optimizer.namedState, from: state, prefix: "\(name).", path: statePath)
            if let adam = optimizer as? Adam, let steps = state.metadata["\(name).adam_steps"].flatMap(Int.init) {
                adam.restore(stepCount: steps)
            }
        }
        guard let step = state.metadata["step"].flatMap(Int.init) else {
            throw WorkbookFileError(path: statePath, problem: "has no step in its metadata", fix: Self.resumeFix)
        }
        return step
    }

    static func load(_ targets: [(name: String, tensor: Tensor)], from file: SafetensorsFile, prefix: String,
                     path: String) throws {
        guard let mismatch = file.load(into: targets, prefix: prefix) else { return }
        guard let found = mismatch.found else {
            throw WorkbookFileError(path: path, problem: "has no tensor named \(mismatch.name)", fix: Self.resumeFix)
        }
        throw WorkbookFileError(path: path, problem: "\(mismatch.name) has shape \(found), the model needs \(mismatch.needed)",
                                fix: Self.resumeFix)
    }

    static let resumeFix = "the checkpoint belongs to other settings: run without --resume, or pass the options it was trained with"
}
