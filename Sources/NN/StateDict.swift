import Formats
import Tensor

// Between a network's state dict (PyTorch's names → tensors) and safetensors entries.

extension SafetensorsEntry {
    /// A copy of `tensor`'s values under `name`, e.g. one entry of a state dict.
    public init(name: String, tensor: Tensor) {
        self.init(name: name, shape: tensor.shape, values: tensor.values)
    }
}

extension SafetensorsFile {
    /// A tensor a state dict needs that the file lacks (`found` nil) or holds in another shape.
    public struct Mismatch: Equatable, Sendable {
        public let name: String
        public let found: [Int]?
        public let needed: [Int]

        public init(name: String, found: [Int]?, needed: [Int]) {
            self.name = name
            self.found = found
            self.needed = needed
        }
    }

    /// Copies the entries named `prefix + name` into `targets` (e.g. a layer's `stateDict`).
    /// Every target is checked first, so on a mismatch nothing is copied and the first
    /// mismatch is returned, for the caller to explain in its own words.
    public func load(into targets: [(name: String, tensor: Tensor)], prefix: String = "") -> Mismatch? {
        for (name, tensor) in targets {
            let entry = entries[prefix + name]
            if entry?.shape != tensor.shape { return Mismatch(name: prefix + name, found: entry?.shape, needed: tensor.shape) }
        }
        for (name, tensor) in targets {
            let entry = entries[prefix + name]!
            tensor.assign(Tensor(shape: entry.shape, values: entry.values))
        }
        return nil
    }
}
