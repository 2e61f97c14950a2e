import Formats
import Foundation
import Tensor
import Version

/// What a run keeps beside its figures to say what it was and what it gave, so that a script
/// (or a reader, a month later) need not reconstruct it from a terminal's scrollback:
///
/// - `<name>_settings.json`: every option's value, the package version and commit, the
///   OpenBLAS kernel set, the seed and the planned number of steps; `--resume` checks it.
/// - `<name>_summary.json`: the values of the closing `summary:` line.
///
/// Named after the run like every other file of it, so that one folder can hold several
/// runs' files: `figures/` holds every chapter's (make-figures), and `Ch11_3_WGANGP --compare`
/// trains two runs into one folder.
public enum RunRecord {
    public static func settingsPath(folder: String, name: String) -> String { "\(folder)/\(name)_settings.json" }
    public static func summaryPath(folder: String, name: String) -> String { "\(folder)/\(name)_summary.json" }

    /// Options that cannot change what a run trains: how fast it goes, where it writes, what it
    /// draws beside it. A resumed run may change them; any other option must be as saved.
    public static let notTraining: Set<String> = [
        "threads", "no-preview", "checkpoint-every", "checkpoint-dir", "out", "resume", "fresh", "show-architecture",
        "compare-with", "compare-log", "compare-generator",
    ]
    /// The length of a run: a resumed run may be longer (or shorter, down to its checkpoint),
    /// unless a schedule of it is spread over the whole run (`TrainingRun.scheduleSteps`).
    public static let length: Set<String> = ["epochs", "steps"]

    /// The settings record as JSON text, options in the order of `--help`.
    static func settingsJSON(chapter: String, name: String, settings: RunSettings, totalSteps: Int,
                             lengthShapesTraining: Bool) -> String {
        let options = settings.options.map { "    \(json($0.name)): \($0.value.map(json) ?? "null")" }
        let fields: [(String, String)] = [
            ("chapter", json(chapter)),
            ("run", json(name)),
            ("arguments", "[" + CommandLine.arguments.dropFirst().map(json).joined(separator: ", ") + "]"),
            ("options", "{\n" + options.joined(separator: ",\n") + "\n  }"),
            ("seed", String(settings.seed)),
            ("total_steps", String(totalSteps)),
            ("length_shapes_training", String(lengthShapesTraining)),
            ("version", json(workbookPackageVersion)),
            ("commit", workbookCommit.map(json) ?? "null"),
            ("openblas_kernels", json(blasKernelName)),
            ("openblas_config", json(blasConfiguration.trimmingCharacters(in: .whitespaces))),
            ("threads", String(settings.threads)),
        ]
        return "{\n" + fields.map { "  \(json($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n}\n"
    }

    /// The `summary:` line's values as JSON; each value keeps the line's own digits.
    static func summaryJSON(_ fields: [(key: String, value: String)]) -> String {
        "{\n" + fields.map { "  \(json($0.key)): \(Double($0.value) != nil ? $0.value : json($0.value))" }
            .joined(separator: ",\n") + "\n}\n"
    }

    /// A settings record read back: its options (nil values for absent ones) and total steps.
    public struct Saved {
        public let path: String
        public let options: [String: String?]
        public let totalSteps: Int?
        public let lengthShapesTraining: Bool
        public let openBLASKernels: String?
        public let commit: String?
    }

    /// The record at `path`, nil if there is none; a file that is not one is an error naming it.
    static func read(_ path: String) throws -> Saved? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let bytes = try readFileBytes(path)
        guard let root = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let options = root["options"] as? [String: Any] else {
            throw WorkbookFileError(path: path, problem: "is not a run's settings record (JSON with \"options\")",
                                    fix: "delete it, or pass --fresh to start the run afresh")
        }
        return Saved(path: path, options: options.mapValues { $0 as? String },
                     totalSteps: root["total_steps"] as? Int,
                     lengthShapesTraining: root["length_shapes_training"] as? Bool ?? false,
                     openBLASKernels: root["openblas_kernels"] as? String, commit: root["commit"] as? String)
    }

    /// One option whose value differs between a saved run and this command line.
    public struct Difference: Equatable, Sendable {
        public let option: String
        public let saved: String?
        public let given: String?

        /// "--lr 0.001 (this command: 0.0002)".
        public var description: String { "--\(option) \(saved ?? "unset") (this command: \(given ?? "unset"))" }
    }

    /// The options whose values differ, in the order of `current`, but for those in `ignoring`.
    public static func differences(saved: [String: String?], current: [(name: String, value: String?)],
                                   ignoring: Set<String>) -> [Difference] {
        // An option that only one side knows (added or removed by another version) is left out:
        // the record cannot say what that version did without it.
        current.compactMap { name, value in
            guard !ignoring.contains(name), let before = saved[name], before != value else { return nil }
            return Difference(option: name, saved: before, given: value)
        }
    }

    /// "--lr 0.001 (this command: 0.0002)", and how many more differ.
    static func describe(_ differences: [Difference]) -> String {
        guard let first = differences.first else { return "" }
        let more = differences.dropFirst().map { "--\($0.option)" }
        return first.description + (more.isEmpty ? "" : ", and \(more.joined(separator: ", "))")
    }
}

/// A JSON string literal (the safetensors writer's escaping).
func json(_ text: String) -> String { jsonQuoted(text) }

/// Advisory locks (flock) that this process holds until it ends: a run's claim on its folder
/// and its checkpoint folder, so that a second run on either is refused instead of replacing
/// the first one's log under it (an atomic replace unlinks the file that the first appends to).
enum FolderLock {
    nonisolated(unsafe) private static var held: [String: Int32] = [:]

    /// Takes the lock file `file` in `folder`, writing this process's pid into it; throws,
    /// naming the holder's pid, if another process holds it. Taking a lock already held is a no-op.
    static func hold(_ file: String, in folder: String, for what: String) throws {
        let path = "\(folder)/\(file)"
        guard held[path] == nil else { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw WorkbookFileError(path: path, problem: "cannot be created (\(String(cString: strerror(errno))))", fix: writableFolderFix)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            let pid = holder.flatMap(Int.init).map { "pid \($0)" } ?? "pid unknown"
            throw WorkbookFileError(path: folder, problem: "is in use by another run of \(what) (\(pid), lock \(file))",
                                    fix: "wait for it to end, stop it, or pass another --out (or --checkpoint-dir)")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        held[path] = descriptor
    }
}
