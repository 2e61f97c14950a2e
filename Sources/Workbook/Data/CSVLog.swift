import Formats
import Foundation
import NN

/// A CSV log of training metrics, one row per logged step:
///
///     step,loss_d,loss_g
///     0,1.38629436,0.693147182
///
/// Append-safe rather than atomic: rows are buffered and appended to the file with whole-line
/// writes at least every `flushInterval` and on `close()`, so the log can be watched while
/// training runs and survives a crash up to the last flush. Numbers are printed with 9
/// significant digits, which is enough to read back every Float exactly.
public final class CSVLog {
    public let path: String
    public let columns: [String]
    private let flushInterval: Duration
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private var lastFlush = ContinuousClock.now
    /// With `resumingAt`, the values of the rows kept, by column; empty otherwise.
    public private(set) var keptValues: [String: [Double]] = [:]

    /// Starts a new log with a header line "step,<columns>", replacing any old file.
    /// With `resumingAt: s`, an existing log with the same columns is kept up to (not
    /// including) step s and continued, so a resumed run does not log steps twice.
    public init(
        path: String, columns: [String], resumingAt resumeStep: Int? = nil,
        flushInterval: Duration = .seconds(2)
    ) throws {
        self.path = path
        self.columns = columns
        self.flushInterval = flushInterval
        let header = csvLine(["step"] + columns)
        var initialContent = header
        if let resumeStep, FileManager.default.fileExists(atPath: path) {
            let kept = try Self.rows(of: path, before: resumeStep, expectedHeader: header)
            initialContent = header + kept.map { $0 + "\n" }.joined()
            for line in kept {
                for (column, field) in zip(columns, line.split(separator: ",").dropFirst()) {
                    keptValues[column, default: []].append(Double(field) ?? .nan)
                }
            }
        }
        // Written atomically, so a crash here never leaves a log without its header.
        try atomicWrite(Array(initialContent.utf8), to: path)
        descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WorkbookFileError(
                path: path, problem: "cannot open for appending (\(String(cString: strerror(errno))))",
                fix: writableFolderFix)
        }
    }

    deinit {
        try? close()
    }

    /// Logs one row; `values` follow `columns`. Writes to disk when the flush interval is up.
    public func append(step: Int, _ values: [Double]) throws {
        precondition(values.count == columns.count, "one value per column")
        pending.append(contentsOf: csvLine([String(step)] + values.map(Self.format)).utf8)
        if ContinuousClock.now - lastFlush >= flushInterval { try flush() }
    }

    /// Writes the buffered rows now.
    public func flush() throws {
        guard !pending.isEmpty, descriptor >= 0 else { return }
        try writeAll(pending, toDescriptor: descriptor, path: path)
        pending.removeAll(keepingCapacity: true)
        lastFlush = .now
    }

    /// Writes the buffered rows and closes the file; later calls do nothing.
    public func close() throws {
        guard descriptor >= 0 else { return }
        defer {
            Foundation.close(descriptor)
            descriptor = -1
        }
        try flush()
    }

    /// 9 significant digits: round-trips Float, and is plenty for any metric we log.
    static func format(_ value: Double) -> String {
        String(format: "%.9g", value)
    }

    /// The named columns of a log written by `CSVLog`, as numbers (a field that is not one
    /// reads as NaN, so a plot breaks its line there).
    public static func read(_ path: String, columns wanted: [String]) throws -> [String: [Double]] {
        let text = try String(decoding: readFileBytes(path), as: UTF8.self)
        var lines = text.split(separator: "\n")
        if !text.hasSuffix("\n") && !lines.isEmpty { lines.removeLast() }    // cut short by a crash
        let header = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        var result: [String: [Double]] = [:]
        for name in wanted {
            guard let index = header.firstIndex(of: name) else {
                throw WorkbookFileError(path: path, problem: "has no column \(name) (its columns: \(header.joined(separator: ", ")))",
                                        fix: "pass the log of a run that records \(name)")
            }
            result[name] = lines.dropFirst().map { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return index < fields.count ? Double(fields[index]) ?? .nan : .nan
            }
        }
        return result
    }

    /// The rows before `step` of an existing log, checking it has our columns.
    private static func rows(of path: String, before step: Int, expectedHeader: String) throws -> [Substring] {
        let text = try String(decoding: readFileBytes(path), as: UTF8.self)
        var lines = text.split(separator: "\n")
        // A last line without its newline was cut short by a crash: drop it.
        if !text.hasSuffix("\n") && !lines.isEmpty { lines.removeLast() }
        let header = lines.first.map(String.init) ?? ""
        guard header + "\n" == expectedHeader else {
            throw WorkbookFileError(
                path: path, problem: "is a log with columns \(header), not \(expectedHeader.dropLast())",
                fix: "delete it, or pass another --out DIR")
        }
        return lines.dropFirst().filter { line in
            line.split(separator: ",").first.flatMap { Int($0) }.map { $0 < step } ?? false
        }
    }
}

/// One CSV line; fields with commas, quotes or line breaks are quoted (RFC 4180).
private func csvLine(_ fields: [String]) -> String {
    fields.map { field in
        field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",") + "\n"
}
