import CZlib

// Just enough of the zip format for numpy's .npz files: we write uncompressed
// ("stored") entries like np.savez, and read stored or raw-deflate entries (the latter
// from np.savez_compressed, which pytorch-fid's --save-stats uses).

private let localHeaderSignature: UInt32 = 0x0403_4B50
private let centralHeaderSignature: UInt32 = 0x0201_4B50
private let endOfCentralDirectorySignature: UInt32 = 0x0605_4B50
private let methodStored: UInt16 = 0
private let methodDeflated: UInt16 = 8
/// Deflate's best compression: 258-byte matches in 2-bit codes, about 1032 to 1.
private let maximumDeflateRatio = 1032
/// 1980-01-01 00:00 in MS-DOS format: a fixed timestamp keeps written files byte-identical.
private let dosDate: UInt16 = 0x0021, dosTime: UInt16 = 0

extension Array where Element == UInt8 {
    /// The little-endian integer at `offset`, or nil when it would run past the end.
    func readLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, at offset: Int) -> T? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= count - size else { return nil }
        var value: T = 0
        for index in (offset..<(offset + size)).reversed() { value = value << 8 | T(self[index]) }
        return value
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}

public func crc32Checksum(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
}

/// A zip archive holding `entries` uncompressed, in order.
public func storedZipArchive(_ entries: [(name: String, data: [UInt8])]) -> [UInt8] {
    var archive: [UInt8] = []
    var centralDirectory: [UInt8] = []
    for (name, data) in entries {
        let nameBytes = Array(name.utf8)
        let crc = crc32Checksum(data)
        let localHeaderOffset = UInt32(archive.count)
        // The fields shared by the local and the central header, from "version needed" on.
        var common: [UInt8] = []
        common.appendLittleEndian(UInt16(20))  // version needed: 2.0
        common.appendLittleEndian(UInt16(0))  // flags
        common.appendLittleEndian(methodStored)
        common.appendLittleEndian(dosTime)
        common.appendLittleEndian(dosDate)
        common.appendLittleEndian(crc)
        common.appendLittleEndian(UInt32(data.count))  // compressed size
        common.appendLittleEndian(UInt32(data.count))  // uncompressed size
        common.appendLittleEndian(UInt16(nameBytes.count))
        common.appendLittleEndian(UInt16(0))  // extra field length

        archive.appendLittleEndian(localHeaderSignature)
        archive += common + nameBytes + data

        centralDirectory.appendLittleEndian(centralHeaderSignature)
        centralDirectory.appendLittleEndian(UInt16(20))  // version made by: 2.0, MS-DOS
        centralDirectory += common
        centralDirectory.appendLittleEndian(UInt16(0))  // comment length
        centralDirectory.appendLittleEndian(UInt16(0))  // disk number
        centralDirectory.appendLittleEndian(UInt16(0))  // internal attributes
        centralDirectory.appendLittleEndian(UInt32(0))  // external attributes
        centralDirectory.appendLittleEndian(localHeaderOffset)
        centralDirectory += nameBytes
    }
    let centralDirectoryOffset = UInt32(archive.count)
    archive += centralDirectory
    archive.appendLittleEndian(endOfCentralDirectorySignature)
    archive.appendLittleEndian(UInt16(0))  // this disk
    archive.appendLittleEndian(UInt16(0))  // disk holding the central directory
    archive.appendLittleEndian(UInt16(entries.count))  // entries on this disk
    archive.appendLittleEndian(UInt16(entries.count))  // entries in total
    archive.appendLittleEndian(UInt32(centralDirectory.count))
    archive.appendLittleEndian(centralDirectoryOffset)
    archive.appendLittleEndian(UInt16(0))  // comment length
    return archive
}

/// The named entries of a zip archive, decompressed and CRC-checked. Names not in the
/// archive are simply absent from the result.
public func readZipEntries(_ archive: [UInt8], named wanted: Set<String>, path: String) throws -> [String: [UInt8]] {
    let endRecord = try findEndOfCentralDirectory(archive, path: path)
    func damaged(_ reason: String) -> ArchiveError { .corruptArchive(path: path, reason: reason) }
    guard let entryCount = archive.readLittleEndian(UInt16.self, at: endRecord + 10),
          let directoryOffset = archive.readLittleEndian(UInt32.self, at: endRecord + 16)
    else { throw damaged("end record cut short") }

    var found: [String: [UInt8]] = [:]
    var header = Int(directoryOffset)
    for _ in 0..<entryCount {
        guard archive.readLittleEndian(UInt32.self, at: header) == centralHeaderSignature,
              let method = archive.readLittleEndian(UInt16.self, at: header + 10),
              let crc = archive.readLittleEndian(UInt32.self, at: header + 16),
              let compressedSize = archive.readLittleEndian(UInt32.self, at: header + 20),
              let size = archive.readLittleEndian(UInt32.self, at: header + 24),
              let nameLength = archive.readLittleEndian(UInt16.self, at: header + 28),
              let extraLength = archive.readLittleEndian(UInt16.self, at: header + 30),
              let commentLength = archive.readLittleEndian(UInt16.self, at: header + 32),
              let localOffset = archive.readLittleEndian(UInt32.self, at: header + 42),
              header + 46 + Int(nameLength) <= archive.count
        else { throw damaged("central directory cut short") }
        let name = String(decoding: archive[(header + 46)..<(header + 46 + Int(nameLength))], as: UTF8.self)
        header += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
        guard wanted.contains(name) else { continue }
        // Each wanted entry is decoded once: repeats could make a small file decompress forever.
        guard found[name] == nil else { throw damaged("entry \(name) appears twice") }
        guard compressedSize != UInt32.max, size != UInt32.max, localOffset != UInt32.max else {
            throw damaged("ZIP64 entries over 4 GB are not supported")
        }

        // The data follows the local header, whose extra field may differ from the central one.
        let local = Int(localOffset)
        guard archive.readLittleEndian(UInt32.self, at: local) == localHeaderSignature,
              let localNameLength = archive.readLittleEndian(UInt16.self, at: local + 26),
              let localExtraLength = archive.readLittleEndian(UInt16.self, at: local + 28)
        else { throw ArchiveError.corruptEntry(path: path, entry: name, reason: "bad local header") }
        let start = local + 30 + Int(localNameLength) + Int(localExtraLength)
        guard start + Int(compressedSize) <= archive.count else {
            throw ArchiveError.corruptEntry(path: path, entry: name, reason: "data runs past the end of the file")
        }
        let stored = archive[start..<(start + Int(compressedSize))]
        let data: [UInt8]
        switch method {
        case methodStored:
            guard size == compressedSize else {
                throw ArchiveError.corruptEntry(path: path, entry: name, reason: "stored entry has sizes \(compressedSize) and \(size)")
            }
            data = Array(stored)
        case methodDeflated:
            // The declared size is believed only as far as deflate can expand the bytes
            // present (at most about 1032:1), so a damaged header cannot ask for gigabytes.
            guard Int(size) <= Int(compressedSize) * maximumDeflateRatio + 64 else {
                throw ArchiveError.corruptEntry(
                    path: path, entry: name, reason: "claims \(size) bytes from \(compressedSize) compressed, more than deflate can expand")
            }
            guard let inflated = inflateRaw(stored, expectedSize: Int(size)) else {
                throw ArchiveError.corruptEntry(path: path, entry: name, reason: "deflate stream does not decompress to \(size) bytes")
            }
            data = inflated
        default: throw ArchiveError.unsupportedCompression(path: path, entry: name, method: method)
        }
        guard crc32Checksum(data) == crc else {
            throw ArchiveError.corruptEntry(path: path, entry: name, reason: "CRC32 mismatch")
        }
        found[name] = data
    }
    return found
}

/// The offset of the end-of-central-directory record, searched backwards past an
/// optional archive comment of up to 64 KB.
private func findEndOfCentralDirectory(_ archive: [UInt8], path: String) throws -> Int {
    let lastCandidate = archive.count - 22
    if lastCandidate >= 0 {
        for offset in stride(from: lastCandidate, through: max(0, lastCandidate - 65_535), by: -1)
        where archive.readLittleEndian(UInt32.self, at: offset) == endOfCentralDirectorySignature {
            return offset
        }
    }
    // A file that starts like a zip but has no end record was cut off while being written or copied.
    if archive.readLittleEndian(UInt32.self, at: 0) == localHeaderSignature {
        throw ArchiveError.corruptArchive(path: path, reason: "no end-of-central-directory record")
    }
    throw ArchiveError.notAZip(path: path)
}

/// Decompresses a raw deflate stream (zip entries carry no zlib header, hence the
/// negative window size), or nil if it is damaged or not exactly `expectedSize` bytes.
private func inflateRaw(_ compressed: ArraySlice<UInt8>, expectedSize: Int) -> [UInt8]? {
    var input = Array(compressed)
    var output = [UInt8](repeating: 0, count: expectedSize)
    var stream = z_stream()
    guard inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        return nil
    }
    defer { inflateEnd(&stream) }
    let status = input.withUnsafeMutableBufferPointer { input in
        output.withUnsafeMutableBufferPointer { output in
            stream.next_in = input.baseAddress
            stream.avail_in = uInt(input.count)
            stream.next_out = output.baseAddress
            stream.avail_out = uInt(output.count)
            return inflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END, stream.total_out == expectedSize else { return nil }
    return output
}
