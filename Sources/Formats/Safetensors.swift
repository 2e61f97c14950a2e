// The safetensors format (https://github.com/huggingface/safetensors), on plain arrays:
//
//   8 bytes      N, the header length, unsigned little-endian
//   N bytes      JSON: {"__metadata__":{"k":"v"}, "name":{"dtype":"F32","shape":[2,3],
//                "data_offsets":[begin,end]}, ...}, padded with spaces to a multiple of 8
//   the rest     the tensors' bytes, little-endian, back to back, offsets relative to here
//
// We write exactly what the reference writer writes for float32 tensors (tensors sorted by
// name, compact JSON, "__metadata__" first), so PyTorch users can load our checkpoints, and we
// read with the reference reader's checks, so a damaged file is reported, not misread.

/// One named tensor: its shape and its row-major values.
public struct SafetensorsEntry: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(name: String, shape: [Int], values: [Float]) {
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// The contents of a safetensors file.
public struct SafetensorsFile: Equatable, Sendable {
    public var entries: [String: SafetensorsEntry]
    public var metadata: [String: String]

    public init(entries: [String: SafetensorsEntry], metadata: [String: String]) {
        self.entries = entries
        self.metadata = metadata
    }
}

/// Writes `entries` as float32 tensors, atomically (temporary file, then rename).
public func writeSafetensors(
    _ entries: [SafetensorsEntry], metadata: [String: String] = [:], to path: String
) throws {
    try atomicWrite(encodeSafetensors(entries, metadata: metadata, path: path), to: path)
}

/// Reads a safetensors file. F32 tensors are read as is; F64, BF16, I64 and I32 tensors are
/// converted to Float (large integers and doubles round to the nearest Float).
public func readSafetensors(_ path: String) throws -> SafetensorsFile {
    try decodeSafetensors(readFileBytes(path), path: path)
}

// MARK: - Writing

private let metadataKey = "__metadata__"

func encodeSafetensors(
    _ entries: [SafetensorsEntry], metadata: [String: String], path: String
) throws -> [UInt8] {
    func invalid(_ problem: String) -> WorkbookFileError {
        WorkbookFileError(path: path, problem: problem, fix: "this is a bug in the caller; please report it")
    }
    // Byte order of the UTF-8 names, as the reference writer sorts.
    let sorted = entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.name == next.name {
        throw invalid("cannot save two tensors named '\(next.name)'")
    }
    var fields: [String] = []
    if !metadata.isEmpty {
        let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { "\(jsonQuoted($0.key)):\(jsonQuoted($0.value))" }
        fields.append("\(jsonQuoted(metadataKey)):{\(pairs.joined(separator: ","))}")
    }
    var dataLength = 0
    for entry in sorted {
        guard entry.name != metadataKey else { throw invalid("'\(metadataKey)' is reserved, not a tensor name") }
        guard entry.shape.allSatisfy({ $0 >= 0 }), entry.shape.reduce(1, *) == entry.values.count else {
            throw invalid("tensor '\(entry.name)' has shape \(entry.shape) but \(entry.values.count) values")
        }
        let end = dataLength + entry.values.count * 4
        let shape = entry.shape.map(String.init).joined(separator: ",")
        fields.append(
            "\(jsonQuoted(entry.name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(dataLength),\(end)]}")
        dataLength = end
    }
    let header = Array("{\(fields.joined(separator: ","))}".utf8)
    let paddedLength = (header.count + 7) / 8 * 8

    // Spaces everywhere first: that is the header's padding; everything else is overwritten.
    var bytes = [UInt8](repeating: UInt8(ascii: " "), count: 8 + paddedLength + dataLength)
    bytes.withUnsafeMutableBytes { buffer in
        buffer.storeBytes(of: UInt64(paddedLength).littleEndian, toByteOffset: 0, as: UInt64.self)
        buffer.baseAddress!.advanced(by: 8).copyMemory(from: header, byteCount: header.count)
        var offset = 8 + paddedLength
        for entry in sorted {
            for value in entry.values {
                buffer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
            }
        }
    }
    return bytes
}

/// A JSON string literal, escaped the way serde_json (the reference writer) escapes it.
public func jsonQuoted(_ text: String) -> String {
    var quoted = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": quoted += "\\\""
        case "\\": quoted += "\\\\"
        case "\n": quoted += "\\n"
        case "\r": quoted += "\\r"
        case "\t": quoted += "\\t"
        case "\u{08}": quoted += "\\b"
        case "\u{0C}": quoted += "\\f"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: quoted.unicodeScalars.append(scalar)
        }
    }
    return quoted + "\""
}

// MARK: - Reading

/// The element types we can convert to Float.
private enum DType: String, CaseIterable {
    case F32, F64, BF16, I64, I32

    var size: Int {
        switch self {
        case .BF16: 2
        case .F32, .I32: 4
        case .F64, .I64: 8
        }
    }
}

/// The reference reader refuses headers above 100 MB; so do we, before parsing them.
private let maximumHeaderLength = 100_000_000

func decodeSafetensors(_ bytes: [UInt8], path: String) throws -> SafetensorsFile {
    func malformed(_ problem: String) -> WorkbookFileError {
        WorkbookFileError(
            path: path, problem: problem,
            fix: "the file is damaged or not a safetensors file: save it again, or delete it to start fresh")
    }
    guard bytes.count >= 8 else {
        throw malformed("too short for a safetensors file (\(bytes.count) bytes, the length field alone is 8)")
    }
    let declaredLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard declaredLength <= UInt64(min(bytes.count - 8, maximumHeaderLength)) else {
        throw malformed("header length \(declaredLength) goes past the end of the file (\(bytes.count) bytes)")
    }
    let dataStart = 8 + Int(declaredLength)
    let header = bytes[8..<dataStart]
    guard header.first == UInt8(ascii: "{") else { throw malformed("the header is not a JSON object") }

    let fields: [(key: String, value: JSONValue)]
    do {
        var parser = JSONParser(bytes: Array(header))
        guard case .object(let object) = try parser.parseDocument() else {
            throw malformed("the header is not a JSON object")
        }
        fields = object
    } catch let error as JSONParser.Failure {
        throw malformed("invalid JSON header: \(error.message)")
    }

    var metadata: [String: String] = [:]
    var layouts: [TensorLayout] = []
    for (name, value) in fields {
        if name == metadataKey {
            guard case .object(let pairs) = value else { throw malformed("\(metadataKey) is not an object") }
            for (key, value) in pairs {
                guard case .string(let text) = value else {
                    throw malformed("\(metadataKey) value of '\(key)' is not a string")
                }
                metadata[key] = text
            }
        } else {
            layouts.append(try TensorLayout(name: name, info: value, malformed: malformed))
        }
    }

    // The tensors must tile the data section exactly: no overlaps, no holes, nothing outside.
    let dataLength = bytes.count - dataStart
    var expectedBegin = 0
    for layout in layouts.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
        guard layout.end <= dataLength else {
            throw malformed("tensor '\(layout.name)' ends at byte \(layout.end), past the data (\(dataLength) bytes)")
        }
        guard layout.begin >= expectedBegin else {
            throw malformed("tensor '\(layout.name)' overlaps another tensor at byte \(layout.begin)")
        }
        guard layout.begin == expectedBegin else {
            throw malformed("bytes \(expectedBegin)..<\(layout.begin) of the data belong to no tensor")
        }
        expectedBegin = layout.end
    }
    guard expectedBegin == dataLength else {
        throw malformed("the last \(dataLength - expectedBegin) bytes of the data belong to no tensor")
    }

    var entries: [String: SafetensorsEntry] = [:]
    for layout in layouts {
        let values = decodeValues(bytes, from: dataStart + layout.begin, count: layout.elementCount, dtype: layout.dtype)
        entries[layout.name] = SafetensorsEntry(name: layout.name, shape: layout.shape, values: values)
    }
    return SafetensorsFile(entries: entries, metadata: metadata)
}

/// Where one tensor lives, validated against its own shape and dtype.
private struct TensorLayout {
    let name: String
    let dtype: DType
    let shape: [Int]
    let elementCount: Int
    let begin: Int
    let end: Int

    init(name: String, info: JSONValue, malformed: (String) -> WorkbookFileError) throws {
        guard case .object(let fields) = info,
              case .string(let dtype)? = fields.first(where: { $0.key == "dtype" })?.value,
              let shape = fields.first(where: { $0.key == "shape" })?.value.integers,
              let offsets = fields.first(where: { $0.key == "data_offsets" })?.value.integers
        else {
            throw malformed("tensor '\(name)' needs \"dtype\", \"shape\" and \"data_offsets\"")
        }
        guard let type = DType(rawValue: dtype) else {
            let known = DType.allCases.map(\.rawValue).joined(separator: ", ")
            throw malformed("tensor '\(name)' has dtype \(dtype); this reader knows \(known)")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw malformed("tensor '\(name)' has an invalid shape \(shape) or data_offsets \(offsets)")
        }
        let byteCount = offsets[1] - offsets[0]
        guard let elementCount = checkedProduct(shape), byteCount % type.size == 0, byteCount / type.size == elementCount
        else {
            throw malformed(
                "tensor '\(name)' has data_offsets \(offsets), which do not hold shape \(shape) of \(dtype)")
        }
        self.name = name
        self.dtype = type
        self.shape = shape
        self.elementCount = elementCount
        self.begin = offsets[0]
        self.end = offsets[1]
    }
}

/// Converts `count` little-endian elements of `dtype`, starting at byte `start`, to Float.
private func decodeValues(_ bytes: [UInt8], from start: Int, count: Int, dtype: DType) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { values, initializedCount in
        bytes.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[start...])
            func convert<Bits: FixedWidthInteger>(_: Bits.Type, _ toFloat: (Bits) -> Float) {
                for index in 0..<count {
                    let bits = data.loadUnaligned(fromByteOffset: index * MemoryLayout<Bits>.size, as: Bits.self)
                    values[index] = toFloat(Bits(littleEndian: bits))
                }
            }
            switch dtype {
            case .F32: convert(UInt32.self) { Float(bitPattern: $0) }
            case .F64: convert(UInt64.self) { Float(Double(bitPattern: $0)) }
            case .BF16: convert(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }  // top half of a float32
            case .I64: convert(Int64.self) { Float($0) }
            case .I32: convert(Int32.self) { Float($0) }
            }
        }
        initializedCount = count
    }
}

// MARK: - A small strict JSON parser

/// A parsed JSON value. Objects keep their keys in order; numbers keep their text, so that
/// offsets beyond 2^53 are not silently rounded through Double.
indirect enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// The value as an array of integers, if it is one.
    var integers: [Int]? {
        guard case .array(let items) = self else { return nil }
        let numbers = items.compactMap { item -> Int? in
            guard case .number(let text) = item else { return nil }
            return Int(text)
        }
        return numbers.count == items.count ? numbers : nil
    }
}

/// Parses RFC 8259 JSON, rejecting duplicate keys (Foundation's parser keeps one silently,
/// which would hide a tensor).
struct JSONParser {
    struct Failure: Error {
        let message: String
    }

    let bytes: [UInt8]
    var position = 0
    /// Arrays and objects open at the current position.
    private var depth = 0
    /// A safetensors header nests three deep ({name: {shape: [...]}}); the limit leaves room
    /// and keeps a hostile header of nested brackets from overflowing the stack.
    static let maximumDepth = 16

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw fail("unexpected text after the JSON value") }
        return value
    }

    private func fail(_ problem: String) -> Failure {
        Failure(message: "\(problem) at byte \(position)")
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
            position += 1
        }
    }

    private mutating func expect(_ character: Character) throws {
        skipWhitespace()
        guard current == character.asciiValue else { throw fail("expected '\(character)'") }
        position += 1
    }

    private mutating func parseValue() throws -> JSONValue {
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw fail("JSON nested more than \(Self.maximumDepth) deep") }
            depth += 1
            defer { depth -= 1 }
            return current == UInt8(ascii: "{") ? try parseObject() : try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseWord("null"); return .null
        case nil: throw fail("unexpected end of the header")
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseWord(_ word: String) throws {
        let letters = Array(word.utf8)
        guard bytes[position...].starts(with: letters) else { throw fail("unexpected character") }
        position += letters.count
    }

    private mutating func parseObject() throws -> JSONValue {
        try expect("{")
        var fields: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
            return .object(fields)
        }
        repeat {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try parseString()
            guard seen.insert(key).inserted else { throw fail("the key '\(key)' appears twice") }
            try expect(":")
            fields.append((key, try parseValue()))
            skipWhitespace()
        } while try consumeSeparator(closing: "}")
        return .object(fields)
    }

    private mutating func parseArray() throws -> JSONValue {
        try expect("[")
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
            return .array(items)
        }
        repeat {
            items.append(try parseValue())
            skipWhitespace()
        } while try consumeSeparator(closing: "]")
        return .array(items)
    }

    /// After an element: true for ",", false for the closing bracket.
    private mutating func consumeSeparator(closing: Character) throws -> Bool {
        switch current {
        case UInt8(ascii: ","): position += 1; return true
        case closing.asciiValue: position += 1; return false
        default: throw fail("expected ',' or '\(closing)'")
        }
    }

    private mutating func parseString() throws -> String {
        position += 1  // the opening quote
        var utf8: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("unterminated string") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw fail("invalid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw fail("control character inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws {
        guard let byte = current else { throw fail("unterminated escape") }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F,
            UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let replacement = simple[byte] {
            utf8.append(replacement)
            return
        }
        guard byte == UInt8(ascii: "u") else { throw fail("invalid escape") }
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code) {  // a surrogate pair encodes one scalar
            guard bytes[position...].starts(with: Array("\\u".utf8)) else { throw fail("lone surrogate") }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("lone surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape") }
        utf8.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count,
              let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw fail("invalid \\u escape") }
        position += 4
        return code
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private mutating func parseNumber() throws -> String {
        let start = position
        func digits() -> Int {
            let first = position
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
            return position - first
        }
        if current == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw fail("invalid number")
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw fail("invalid number") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }
}
