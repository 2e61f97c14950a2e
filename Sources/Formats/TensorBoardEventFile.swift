import Foundation
import SwiftProtobuf

/// Writes a TensorBoard event file: TFRecords of `TensorBoardEvent`s, the first naming the
/// format version, as `tensorboard --logdir` reads it while it grows.
public final class TensorBoardEventWriter {
    public var path: String { records.path }
    private let records: TFRecordWriter
    private let clock: () -> Double

    /// Creates the file (replacing any old one) and writes the version event. `clock` gives
    /// each event's wall time in seconds since 1970.
    public init(path: String, flushInterval: Duration = .seconds(2),
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) throws {
        records = try TFRecordWriter(path: path, flushInterval: flushInterval)
        self.clock = clock
        try write(step: 0, .fileVersion("brain.Event:2"))
        try records.flush()  // TensorBoard recognises the file from its first event on
    }

    /// One scalar per tag at `step`, in one event.
    public func addScalars(_ values: [(tag: String, value: Float)], step: Int) throws {
        var summary = TensorBoardSummary()
        summary.value = values.map { tag, number in
            var value = TensorBoardSummary.Value()
            value.tag = tag
            value.value = .simpleValue(number)
            return value
        }
        try write(step: step, .summary(summary))
    }

    /// An encoded image (PNG) under `tag` at `step`; `colorspace` 1 grey, 3 RGB, 4 RGBA.
    public func addImage(tag: String, encoded: [UInt8], width: Int, height: Int, colorspace: Int = 3, step: Int) throws {
        var image = TensorBoardSummary.Image()
        image.width = Int32(clamping: width)
        image.height = Int32(clamping: height)
        image.colorspace = Int32(clamping: colorspace)
        image.encodedImageString = Data(encoded)
        var value = TensorBoardSummary.Value()
        value.tag = tag
        value.value = .image(image)
        var summary = TensorBoardSummary()
        summary.value = [value]
        try write(step: step, .summary(summary))
    }

    /// Says that a session (re)starts at `step`: TensorBoard then forgets what earlier
    /// sessions logged at this step and after, as a resumed run logs those steps again.
    public func addSessionStart(step: Int) throws {
        var log = TensorBoardSessionLog()
        log.status = .start
        try write(step: step, .sessionLog(log))
    }

    public func flush() throws { try records.flush() }

    public func close() throws { try records.close() }

    private func write(step: Int, _ what: TensorBoardEvent.What) throws {
        var event = TensorBoardEvent()
        event.wallTime = clock()
        event.step = Int64(step)
        event.what = what
        try records.write(event.serializedBytes())
    }
}

/// The events of a TensorBoard event file, in order, with lookups by tag.
public struct TensorBoardEventFile {
    public let path: String
    public let events: [TensorBoardEvent]

    /// Reads and checks every record. A last record cut short (a file still being written)
    /// is left out; any other damage is refused in one line naming the file.
    public init(path: String) throws {
        self.path = path
        let bytes = try readFileBytes(path)
        events = try tfRecords(in: bytes, path: path, allowingTruncatedTail: true).map { record in
            do {
                return try TensorBoardEvent(serializedBytes: record)
            } catch {
                throw WorkbookFileError(path: path, problem: "holds a record that is not a TensorBoard event (\(error))",
                                        fix: "pass an events.out.tfevents.* file written by a training run")
            }
        }
    }

    /// Every (step, value) logged as a scalar under `tag`.
    public func scalars(_ tag: String) -> [(step: Int, value: Float)] {
        values(tag).compactMap { step, value in value.simpleValue.map { (step, $0) } }
    }

    /// Every (step, image) logged under `tag`.
    public func images(_ tag: String) -> [(step: Int, image: TensorBoardSummary.Image)] {
        values(tag).compactMap { step, value in value.image.map { (step, $0) } }
    }

    /// The tags of all summary values, each once, in the order first seen.
    public var tags: [String] {
        var seen = Set<String>()
        return events.flatMap { $0.summary?.value.map(\.tag) ?? [] }.filter { seen.insert($0).inserted }
    }

    private func values(_ tag: String) -> [(step: Int, value: TensorBoardSummary.Value)] {
        events.flatMap { event in
            (event.summary?.value ?? []).filter { $0.tag == tag }.map { (Int(event.step), $0) }
        }
    }
}
