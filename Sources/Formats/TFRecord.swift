import Foundation

/// TFRecord framing, the container of TensorBoard's event files. Each record is
///
///     uint64 length              little-endian
///     uint32 masked CRC32C of the 8 length bytes
///     length bytes of data
///     uint32 masked CRC32C of the data
public func tfRecord(_ data: [UInt8]) -> [UInt8] {
    var record: [UInt8] = []
    record.reserveCapacity(data.count + 16)
    record.appendLittleEndian(UInt64(data.count))
    record.appendLittleEndian(maskedCRC32C(record))
    record += data
    record.appendLittleEndian(maskedCRC32C(data))
    return record
}

/// The records of a TFRecord file, each CRC checked. A damaged file is refused naming the
/// offset; with `allowingTruncatedTail`, a last record that is cut short (a file that is
/// still being written) is left out instead.
public func tfRecords(in bytes: [UInt8], path: String, allowingTruncatedTail: Bool = false) throws -> [[UInt8]] {
    var records: [[UInt8]] = []
    var offset = 0
    func damaged(_ reason: String) -> WorkbookFileError {
        WorkbookFileError(path: path, problem: "is not a valid TFRecord file (\(reason) at byte \(offset))",
                          fix: "pass an events.out.tfevents.* file written by a training run")
    }
    while offset < bytes.count {
        guard bytes.count - offset >= 12 else {
            if allowingTruncatedTail { break }
            throw damaged("a record header is cut short")
        }
        let lengthBytes = bytes[offset..<(offset + 8)]
        guard bytes.readLittleEndian(UInt32.self, at: offset + 8) == maskedCRC32C(lengthBytes),
              let length = bytes.readLittleEndian(UInt64.self, at: offset) else {
            throw damaged("the length's checksum does not match")
        }
        let dataStart = offset + 12
        guard length <= UInt64(bytes.count - dataStart), bytes.count - dataStart - Int(length) >= 4 else {
            if allowingTruncatedTail { break }
            throw damaged("a record of \(length) bytes is cut short")
        }
        let data = Array(bytes[dataStart..<(dataStart + Int(length))])
        guard bytes.readLittleEndian(UInt32.self, at: dataStart + Int(length)) == maskedCRC32C(data) else {
            throw damaged("the data's checksum does not match")
        }
        records.append(data)
        offset = dataStart + Int(length) + 4
    }
    return records
}

/// Appends TFRecords to a new file, buffered (see `AppendingFile`), so that a reader watching
/// the file (TensorBoard) sees them while training runs.
public final class TFRecordWriter {
    private let file: AppendingFile
    public var path: String { file.path }

    /// Creates the file, replacing any old one.
    public init(path: String, flushInterval: Duration = .seconds(2)) throws {
        try atomicWrite([UInt8](), to: path)
        file = try AppendingFile(path: path, flushInterval: flushInterval)
    }

    public func write(_ data: [UInt8]) throws { try file.append(tfRecord(data)) }

    public func flush() throws { try file.flush() }

    /// Writes what is buffered and closes the file; later calls do nothing.
    public func close() throws { try file.close() }
}
