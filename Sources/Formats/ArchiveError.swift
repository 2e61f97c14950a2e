/// What the zip (.npz) and .npy readers can refuse, each told in one line that names the
/// file and says how to fix it.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    case notAZip(path: String)
    case corruptArchive(path: String, reason: String)
    case unsupportedCompression(path: String, entry: String, method: UInt16)
    case corruptEntry(path: String, entry: String, reason: String)
    case unsupportedDType(path: String, entry: String, descr: String)

    public var description: String {
        switch self {
        case let .notAZip(path):
            return "\(path) is not an .npz (zip) file; pass statistics saved by this workbook or by pytorch-fid --save-stats"
        case let .corruptArchive(path, reason):
            return "\(path) is a damaged zip file (\(reason)); it is probably truncated, re-create it"
        case let .unsupportedCompression(path, entry, method):
            return "\(path): entry \(entry) uses zip compression method \(method); re-save it with numpy.savez or numpy.savez_compressed"
        case let .corruptEntry(path, entry, reason):
            return "\(path): entry \(entry) is corrupt (\(reason)); the file is truncated or damaged, re-create it"
        case let .unsupportedDType(path, entry, descr):
            return "\(path): entry \(entry) has dtype '\(descr)'; only little-endian float64 ('<f8') and float32 ('<f4') are supported, convert with .astype('<f8')"
        }
    }
}
