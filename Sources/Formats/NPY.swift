import Foundation

// numpy's .npy array format: a magic string, a version, a Python-dict header
// describing dtype, memory order and shape, then the raw array bytes.

private let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

/// An .npy file (format version 1.0) for `payload`, whose bytes are already in `descr`'s
/// encoding and C order. The header is padded with spaces so the data starts at a
/// multiple of 64 bytes, as numpy does, and ends in a newline.
public func encodeNPY(descr: String, shape: [Int], payload: [UInt8]) -> [UInt8] {
    let shapeText = shape.count == 1
        ? "(\(shape[0]),)"
        : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    let prefixLength = npyMagic.count + 2 + 2  // magic, version, header length
    let unpadded = prefixLength + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"

    var bytes = npyMagic + [1, 0]
    bytes.appendLittleEndian(UInt16(header.utf8.count))
    bytes += Array(header.utf8)
    bytes += payload
    return bytes
}

/// A little-endian float64 ('<f8') .npy file.
public func encodeNPY(_ values: [Double], shape: [Int]) -> [UInt8] {
    var payload: [UInt8] = []
    payload.reserveCapacity(values.count * 8)
    for value in values { payload.appendLittleEndian(value.bitPattern) }
    return encodeNPY(descr: "<f8", shape: shape, payload: payload)
}

/// An array read from an .npy file, widened to Float64 and in row-major order.
public struct NPYArray {
    public let shape: [Int]
    public let values: [Double]
}

/// Decodes '<f8' or '<f4' arrays; `path` and `entry` only label errors.
public func decodeNPY(_ bytes: [UInt8], path: String, entry: String) throws -> NPYArray {
    func corrupt(_ reason: String) -> ArchiveError { .corruptEntry(path: path, entry: entry, reason: reason) }
    guard bytes.starts(with: npyMagic), bytes.count > 7 else { throw corrupt("no .npy magic string") }
    // Version 1 stores the header length in 2 bytes; versions 2 and 3 in 4.
    let headerStart: Int, headerLength: Int
    switch bytes[6] {
    case 1:
        headerStart = 10
        headerLength = bytes.readLittleEndian(UInt16.self, at: 8).map(Int.init) ?? -1
    case 2, 3:
        headerStart = 12
        headerLength = bytes.readLittleEndian(UInt32.self, at: 8).map(Int.init) ?? -1
    default: throw corrupt(".npy format version \(bytes[6]) is unknown")
    }
    guard headerLength >= 0, headerStart + headerLength <= bytes.count else { throw corrupt("header cut short") }
    let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)

    guard let descr = firstCapture(of: #"'descr':\s*'([^']*)'"#, in: header),
          let fortranOrder = firstCapture(of: #"'fortran_order':\s*(True|False)"#, in: header),
          let shapeText = firstCapture(of: #"'shape':\s*\(([^)]*)\)"#, in: header)
    else { throw corrupt("header lacks descr, fortran_order or shape") }
    let shapeParts = shapeText.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let shape = shapeParts.compactMap { Int($0) }
    guard shape.count == shapeParts.count, shape.allSatisfy({ $0 >= 0 }) else { throw corrupt("shape (\(shapeText)) is not a list of sizes") }

    let itemSize: Int
    switch descr {
    case "<f8": itemSize = 8
    case "<f4": itemSize = 4
    default: throw ArchiveError.unsupportedDType(path: path, entry: entry, descr: descr)
    }
    let dataStart = headerStart + headerLength
    // Sizes from the header are checked with overflow-aware arithmetic against the bytes
    // actually present, before anything is allocated.
    guard let count = checkedProduct(shape), case let (byteCount, overflow) = count.multipliedReportingOverflow(by: itemSize),
          !overflow
    else {
        throw corrupt("data holds \(bytes.count - dataStart) bytes, too few for shape \(shape) of \(descr)")
    }
    guard bytes.count - dataStart >= byteCount else {
        throw corrupt("data holds \(bytes.count - dataStart) bytes but shape \(shape) needs \(byteCount)")
    }
    guard fortranOrder == "False" || shape.count <= 2 else {
        throw corrupt("Fortran order is supported for 1-D and 2-D arrays only, this one has shape \(shape)")
    }
    var values = [Double](repeating: 0, count: count)
    for index in 0..<count {
        let offset = dataStart + index * itemSize
        values[index] = itemSize == 8
            ? Double(bitPattern: bytes.readLittleEndian(UInt64.self, at: offset)!)
            : Double(Float(bitPattern: bytes.readLittleEndian(UInt32.self, at: offset)!))
    }
    if fortranOrder == "True" && shape.count == 2 {
        values = transposed(values, rows: shape[1], columns: shape[0])
    }
    return NPYArray(shape: shape, values: values)
}

private func firstCapture(of pattern: String, in text: String) -> String? {
    guard let regex = try? Regex(pattern), let match = text.firstMatch(of: regex),
          let captured = match.output[1].substring
    else { return nil }
    return String(captured)
}

/// A rows x columns row-major matrix turned into its columns x rows transpose.
private func transposed(_ values: [Double], rows: Int, columns: Int) -> [Double] {
    var result = values
    for row in 0..<rows {
        for column in 0..<columns { result[column * rows + row] = values[row * columns + column] }
    }
    return result
}
