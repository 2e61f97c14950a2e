import Formats
import Foundation
import NN

/// `.npz` statistics files in pytorch-fid's layout: a zip holding `mu.npy` (float64, [d])
/// and `sigma.npy` (float64, [d, d]). A PyTorch user can load ours with `np.load`, and
/// we read theirs, including `pytorch-fid --save-stats` output (np.savez_compressed).
extension GaussianStats {
    /// Writes the statistics atomically, so an interrupted run never leaves a half-written file.
    public func writeNPZ(to path: String) throws {
        let d = dimension
        try atomicWrite(storedZipArchive([
            ("mu.npy", encodeNPY(mu, shape: [d])),
            ("sigma.npy", encodeNPY(sigma, shape: [d, d])),
        ]), to: path)
    }

    /// Reads `mu` and `sigma` from an `.npz` file; float32 arrays are widened.
    public init(npzPath path: String) throws {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw MetricsError.fileUnreadable(path: path, reason: "missing, a folder, or not readable")
        }
        let entries = try readZipEntries([UInt8](contents), named: ["mu.npy", "sigma.npy"], path: path)
        func array(_ name: String) throws -> NPYArray {
            guard let bytes = entries["\(name).npy"] else { throw MetricsError.missingEntry(path: path, name: name) }
            return try decodeNPY(bytes, path: path, entry: name)
        }
        let mu = try array("mu"), sigma = try array("sigma")
        guard mu.shape.count == 1, mu.shape[0] > 0 else {
            throw MetricsError.wrongShape(path: path, entry: "mu", shape: mu.shape, expected: "[d] with d > 0")
        }
        let d = mu.shape[0]
        guard sigma.shape == [d, d] else {
            throw MetricsError.wrongShape(path: path, entry: "sigma", shape: sigma.shape, expected: "[\(d), \(d)] to match mu")
        }
        try self.init(mu: mu.values, sigma: sigma.values, count: nil)
    }
}
