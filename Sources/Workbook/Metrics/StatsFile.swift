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
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw MetricsError.fileUnreadable(path: path, reason: "missing, a folder, or not readable")
        }
        let contents: [UInt8]
        do {
            contents = try readFileBytes(path)
        } catch let error as WorkbookFileError {
            throw MetricsError.fileUnreadable(path: path, reason: error.problem)
        }
        let entries = try readZipEntries(contents, named: ["mu.npy", "sigma.npy"], path: path)
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
        // A covariance is finite and symmetric; anything else would give a meaningless (or
        // NaN) Fréchet distance far from where the file went wrong.
        if let index = mu.values.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError.invalidStatistics(path: path, problem: "mu[\(index)] is \(mu.values[index])")
        }
        if let index = sigma.values.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError.invalidStatistics(path: path, problem: "sigma[\(index / d), \(index % d)] is \(sigma.values[index])")
        }
        for row in 0..<d {
            for column in (row + 1)..<d {
                let upper = sigma.values[row * d + column], lower = sigma.values[column * d + row]
                // Rounding in a covariance's two halves is small next to the variances (Cauchy–Schwarz).
                let scale = (abs(sigma.values[row * d + row]) * abs(sigma.values[column * d + column])).squareRoot()
                guard abs(upper - lower) <= 1e-6 * scale + 1e-300 else {
                    throw MetricsError.invalidStatistics(
                        path: path, problem: "sigma is not symmetric: sigma[\(row), \(column)] = \(upper) but sigma[\(column), \(row)] = \(lower)")
                }
            }
        }
        try self.init(mu: mu.values, sigma: sigma.values, count: nil)
    }
}
