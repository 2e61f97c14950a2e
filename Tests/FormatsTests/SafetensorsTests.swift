import Foundation
import Testing
@testable import Formats

/// A fresh folder under the system's temporary folder for one test.
private func temporaryFolder() -> String {
    let path = NSTemporaryDirectory() + "safetensors-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A safetensors file with the given header text (unpadded) and data bytes.
private func safetensorsBytes(header: String, data: [UInt8]) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    return withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian, Array.init) + headerBytes + data
}

/// JSON written with single quotes, for readability, turned into real JSON.
private func json(_ header: String) -> String { header.replacingOccurrences(of: "'", with: "\"") }

/// A damaged file, why it is damaged, and a phrase its error must contain.
struct MalformedFile: Sendable, CustomTestStringConvertible {
    let reason: String
    let bytes: [UInt8]
    let mentions: String
    var testDescription: String { reason }

    init(_ reason: String, _ bytes: [UInt8], mentions: String) {
        self.reason = reason
        self.bytes = bytes
        self.mentions = mentions
    }
}

@Suite struct SafetensorsTests {
    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let path = temporaryFolder() + "/nested/model.safetensors"
        let entries = [
            SafetensorsEntry(name: "0.weight", shape: [3, 2], values: [1, -2, 3.5, .pi, -0.0, 1e-30]),
            SafetensorsEntry(name: "0.bias", shape: [3], values: [0.25, 0.5, -7]),
            SafetensorsEntry(name: "scalar", shape: [], values: [42]),
            SafetensorsEntry(name: "empty", shape: [0, 4], values: []),
        ]
        let metadata = ["format": "pt", "note": "quote \" and newline \n and é"]
        try writeSafetensors(entries, metadata: metadata, to: path)

        let file = try readSafetensors(path)
        #expect(file.metadata == metadata)
        #expect(file.entries.count == entries.count)
        for entry in entries {
            #expect(file.entries[entry.name] == entry)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["model.safetensors"], "the temporary file must be renamed away")
    }

    @Test func byteLayoutMatchesTheReferenceWriter() throws {
        let entries = [
            SafetensorsEntry(name: "b", shape: [2], values: [1, -2]),
            SafetensorsEntry(name: "a", shape: [], values: [0.5]),
        ]
        let bytes = try encodeSafetensors(entries, metadata: ["format": "pt"], path: "test")

        // Compact JSON, metadata first, tensors sorted by name, padded with spaces to 8 bytes.
        let header = json(
            "{'__metadata__':{'format':'pt'},'a':{'dtype':'F32','shape':[],'data_offsets':[0,4]},"
                + "'b':{'dtype':'F32','shape':[2],'data_offsets':[4,12]}}")
        var paddedHeader = Array(header.utf8)
        while paddedHeader.count % 8 != 0 { paddedHeader.append(UInt8(ascii: " ")) }
        let length = UInt64(paddedHeader.count)
        let lengthBytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        let data: [UInt8] = [
            0x00, 0x00, 0x00, 0x3F,  // a = 0.5
            0x00, 0x00, 0x80, 0x3F,  // b[0] = 1
            0x00, 0x00, 0x00, 0xC0,  // b[1] = -2
        ]
        #expect(bytes == lengthBytes + paddedHeader + data)
        #expect((8 + paddedHeader.count) % 8 == 0)
    }

    @Test func otherDTypesAreConvertedToFloat() throws {
        let header = json(
            "{'d':{'dtype':'F64','shape':[1],'data_offsets':[0,8]},"
                + "'i':{'dtype':'I64','shape':[1],'data_offsets':[8,16]}}")
        let double = withUnsafeBytes(of: (2.5 as Double).bitPattern.littleEndian, Array.init)
        let integer = withUnsafeBytes(of: Int64(-3).littleEndian, Array.init)
        let file = try decodeSafetensors(safetensorsBytes(header: header, data: double + integer), path: "x")
        #expect(file.entries["d"]?.values == [2.5])
        #expect(file.entries["i"]?.values == [-3])
    }

    @Test func writerRejectsShapeMismatchAndDuplicates() {
        #expect(throws: WorkbookFileError.self) {
            try encodeSafetensors([SafetensorsEntry(name: "w", shape: [2, 2], values: [1])], metadata: [:], path: "x")
        }
        let twice = [SafetensorsEntry(name: "w", shape: [1], values: [1]), SafetensorsEntry(name: "w", shape: [1], values: [2])]
        #expect(throws: WorkbookFileError.self) { try encodeSafetensors(twice, metadata: [:], path: "x") }
    }

    static let four = [UInt8](repeating: 0, count: 4)
    static let malformedFiles: [MalformedFile] = [
        MalformedFile("shorter than 8 bytes", [1, 2, 3], mentions: "too short"),
        MalformedFile("header length past the end", withUnsafeBytes(of: UInt64(1000).littleEndian, Array.init) + Array("{}".utf8), mentions: "past the end"),
        MalformedFile("invalid JSON", safetensorsBytes(header: json("{'a':"), data: []), mentions: "invalid JSON"),
        MalformedFile("not an object", safetensorsBytes(header: "[1]", data: []), mentions: "not a JSON object"),
        MalformedFile("unknown dtype", safetensorsBytes(header: json("{'a':{'dtype':'Q8','shape':[1],'data_offsets':[0,1]}}"), data: [0]), mentions: "dtype Q8"),
        MalformedFile("missing field", safetensorsBytes(header: json("{'a':{'dtype':'F32','shape':[1]}}"), data: four), mentions: "needs"),
        MalformedFile("offsets out of range", safetensorsBytes(header: json("{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]}}"), data: four), mentions: "past the data"),
        MalformedFile("offsets not matching shape", safetensorsBytes(header: json("{'a':{'dtype':'F32','shape':[3],'data_offsets':[0,8]}}"), data: four + four), mentions: "do not hold shape"),
        MalformedFile("overlapping tensors", safetensorsBytes(
            header: json("{'a':{'dtype':'F32','shape':[2],'data_offsets':[0,8]},'b':{'dtype':'F32','shape':[2],'data_offsets':[4,12]}}"),
            data: four + four + four), mentions: "overlaps"),
        MalformedFile("hole in the data", safetensorsBytes(header: json("{'a':{'dtype':'F32','shape':[1],'data_offsets':[4,8]}}"), data: four + four), mentions: "belong to no tensor"),
        MalformedFile("trailing bytes", safetensorsBytes(header: json("{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}"), data: four + four), mentions: "belong to no tensor"),
        MalformedFile("duplicate names", safetensorsBytes(
            header: json("{'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]},'a':{'dtype':'F32','shape':[1],'data_offsets':[0,4]}}"),
            data: four), mentions: "appears twice"),
        MalformedFile("metadata value not a string", safetensorsBytes(header: json("{'__metadata__':{'k':1}}"), data: []), mentions: "not a string"),
    ]

    @Test(arguments: malformedFiles)
    func malformedInputThrowsAOneLineError(file: MalformedFile) {
        let error = #expect(throws: WorkbookFileError.self) {
            try decodeSafetensors(file.bytes, path: "ckpt/g.safetensors")
        }
        let message = error?.description ?? ""
        #expect(message.contains(file.mentions), "\(message)")
        #expect(message.hasPrefix("ckpt/g.safetensors: "))
        #expect(!message.contains("\n"))
    }

    @Test func readingAMissingFileNamesIt() {
        let error = #expect(throws: WorkbookFileError.self) { try readSafetensors("/nonexistent/g.safetensors") }
        #expect(error?.description.contains("/nonexistent/g.safetensors: cannot read (no such file") == true)
    }

    @Test func jsonParserHandlesEscapesAndRejectsBadNumbers() throws {
        var parser = JSONParser(bytes: Array(#"{"k\u00e9\ud83d\ude00":"\t\"x\"","n":[0,-1,2.5e3]}"#.utf8))
        guard case .object(let fields) = try parser.parseDocument() else { Issue.record("not an object"); return }
        #expect(fields.first?.key == "ké😀")
        if case .string(let value) = fields.first?.value { #expect(value == "\t\"x\"") } else { Issue.record("not a string") }
        for bad in ["[01]", "[1.]", "[-]", "{\"a\":1,}", "[1] x", "\"\u{01}\""] {
            var badParser = JSONParser(bytes: Array(bad.utf8))
            #expect(throws: JSONParser.Failure.self, "\(bad)") { try badParser.parseDocument() }
        }
    }

    @Suite struct FileIO {
        @Test func atomicWriteCreatesFoldersAndReplacesTheFile() throws {
            let path = temporaryFolder() + "/a/b/out.bin"
            try atomicWrite([1, 2, 3], to: path)
            try atomicWrite(Data([4, 5]), to: path)
            #expect(try readFileBytes(path) == [4, 5])
        }

        @Test func atomicWriteIntoAFileInsteadOfAFolderFails() throws {
            let blocker = temporaryFolder() + "/file"
            try atomicWrite([0], to: blocker)
            let error = #expect(throws: WorkbookFileError.self) { try atomicWrite([1], to: blocker + "/x.png") }
            #expect(error?.description.contains("--out DIR") == true)
        }

        @Test func gzipFilesAreInflatedTransparently() throws {
            // Large and compressible, so the output buffer must grow past the first guess too.
            let original = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 1000) }
            let folder = temporaryFolder()
            try atomicWrite(gzip(original), to: folder + "/data.gz")
            #expect(try readFileBytes(folder + "/data.gz") == original)

            // Two members back to back, as `cat a.gz b.gz` makes.
            try atomicWrite(gzip([1, 2]) + gzip([3]), to: folder + "/joined.gz")
            #expect(try readFileBytes(folder + "/joined.gz") == [1, 2, 3])
        }

        @Test func truncatedAndCorruptGzipAreReported() throws {
            let folder = temporaryFolder()
            let compressed = gzip(Array(repeating: 9, count: 10_000))
            try atomicWrite(Array(compressed.prefix(compressed.count / 2)), to: folder + "/cut.gz")
            let truncated = #expect(throws: WorkbookFileError.self) { try readFileBytes(folder + "/cut.gz") }
            #expect(truncated?.description.contains("truncated") == true)

            try atomicWrite([], to: folder + "/empty.gz")
            let empty = #expect(throws: WorkbookFileError.self) { try readFileBytes(folder + "/empty.gz") }
            #expect(empty?.description.contains("gzip file is empty") == true)

            var corrupt = compressed
            corrupt[12] ^= 0xFF
            try atomicWrite(corrupt, to: folder + "/bad.gz")
            let damaged = #expect(throws: WorkbookFileError.self) { try readFileBytes(folder + "/bad.gz") }
            #expect(damaged?.description.contains("corrupt") == true)
        }
    }
}
