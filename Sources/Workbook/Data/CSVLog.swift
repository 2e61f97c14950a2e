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
    private let file: AppendingFile
    /// With `resumingAt`, the values of the rows kept, by column; empty otherwise.
    public private(set) var keptValues: [String: [Double]] = [:]
    /// With `resumingAt`, the rows after the checkpoint's step that were dropped.
    public private(set) var droppedRows = 0

    /// Starts a new log with a header line "step,<columns>", replacing any old file.
    /// With `resumingAt: s`, the existing log must hold one well-formed row for each step
    /// 0..<s, in order (what the run logged before its checkpoint at step s); it is kept and
    /// continued. Rows after them, logged after the checkpoint was written, are dropped and
    /// `droppedRows` says how many. A missing, foreign or damaged log is refused with one
    /// line naming the file and the line, since continuing it would leave gaps or repeats.
    public init(
        path: String, columns: [String], resumingAt resumeStep: Int? = nil,
        flushInterval: Duration = .seconds(2)
    ) throws {
        self.path = path
        self.columns = columns
        let header = csvLine(["step"] + columns)
        var initialContent = header
        if let resumeStep, resumeStep > 0 {
            guard FileManager.default.fileExists(atPath: path) else {
                throw WorkbookFileError(path: path, problem: "is missing, but the checkpoint is at step \(resumeStep)",
                                        fix: Self.resumeFix)
            }
            let rows = try Self.resumableRows(of: readFileBytes(path), path: path, columns: columns, resumeStep: resumeStep)
            initialContent = header + rows.kept.joined()
            keptValues = rows.values
            droppedRows = rows.dropped
        }
        // Written atomically, so a crash here never leaves a log without its header.
        try atomicWrite(Array(initialContent.utf8), to: path)
        file = try AppendingFile(path: path, flushInterval: flushInterval)
    }

    /// Logs one row; `values` follow `columns`. Writes to disk when the flush interval is up.
    public func append(step: Int, _ values: [Double]) throws {
        precondition(values.count == columns.count, "one value per column")
        try file.append(csvLine([String(step)] + values.map(Self.format)).utf8)
    }

    /// Writes the buffered rows now.
    public func flush() throws { try file.flush() }

    /// Writes the buffered rows and closes the file; later calls do nothing.
    public func close() throws { try file.close() }

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
        // A header is column names; anything else (a checkpoint passed by mistake) is named as such.
        guard header.allSatisfy({ name in name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || "_0123456789".unicodeScalars.contains($0) } }) else {
            throw WorkbookFileError(path: path, problem: "is not a CSV log: its first line is not a header of column names",
                                    fix: "pass the <chapter>_log.csv file that a chapter's run wrote")
        }
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

    static let resumeFix =
        "the log does not belong to the checkpoint: resume with the --out of the run that wrote it, or run without --resume"

    /// What a resumed log keeps: the lines of steps 0..<resumeStep (with their newlines),
    /// their values by column, and how many lines after them are dropped.
    public struct ResumableRows: Equatable {
        public var kept: [String]
        public var values: [String: [Double]]
        public var dropped: Int
    }

    /// Checks the bytes of an existing log against the checkpoint's step: the header is
    /// `header`, then exactly one row per step 0..<resumeStep, each with a number per column.
    /// Anything after those rows is what the run logged after its last checkpoint.
    public static func resumableRows(of bytes: [UInt8], path: String, columns names: [String], resumeStep: Int) throws
        -> ResumableRows
    {
        func refuse(_ problem: String) -> WorkbookFileError { WorkbookFileError(path: path, problem: problem, fix: resumeFix) }
        let header = csvLine(["step"] + names)
        let columns = names.count
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // Every line ends in a newline, so the text after the last one is a line a crash cut short (or nothing).
        lines.removeLast()
        guard let first = lines.first, String(decoding: first, as: UTF8.self) + "\n" == header else {
            let found = lines.first.map { String(decoding: $0.prefix(200), as: UTF8.self) } ?? "nothing"
            throw WorkbookFileError(path: path, problem: "is a log with columns \(found), not \(header.dropLast())",
                                    fix: "delete it, or pass another --out DIR")
        }
        guard lines.count - 1 >= resumeStep else {
            throw refuse("has \(lines.count - 1) complete rows, but the checkpoint is at step \(resumeStep)")
        }
        var result = ResumableRows(kept: [], values: [:], dropped: lines.count - 1 - resumeStep)
        var values = [[Double]](repeating: [], count: columns)
        for step in 0..<resumeStep {
            let line = lines[step + 1]
            let fields = line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == columns + 1 else {
                throw refuse("line \(step + 2) has \(fields.count) fields, the header has \(columns + 1)")
            }
            guard fields[0] == String(step) else {
                throw refuse("line \(step + 2) is for step '\(fields[0].prefix(40))' where step \(step) belongs: rows are missing, repeated or out of order")
            }
            for (column, field) in fields.dropFirst().enumerated() {
                guard let value = Double(field), value.isFinite else {
                    throw refuse("line \(step + 2) holds '\(field.prefix(40))', not a finite number")
                }
                values[column].append(value)
            }
            result.kept.append(fields.joined(separator: ",") + "\n")
        }
        for (name, column) in zip(names, values) { result.values[name] = column }
        return result
    }
}

/// One CSV line; fields with commas, quotes or line breaks are quoted (RFC 4180).
private func csvLine(_ fields: [String]) -> String {
    fields.map { field in
        field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
            ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",") + "\n"
}
