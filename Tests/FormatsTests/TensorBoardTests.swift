import Foundation
import SwiftProtobuf
import Testing
@testable import Formats

// TensorBoard's event files checked against the format's definition: CRC-32C against
// published vectors, TFRecord framing and the Event/Summary protocol buffers against bytes
// built by hand from the .proto field numbers and wire types.

@Suite("TensorBoard event files")
struct TensorBoardFormatTests {
    @Test("CRC-32C matches the published check value and RFC 3720's vectors")
    func crc32cKnownVectors() {
        #expect(crc32c(Array("123456789".utf8)) == 0xE306_9283)
        #expect(crc32c([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(crc32c([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(crc32c((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(crc32c((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        #expect(crc32c([]) == 0)
    }

    @Test("the masked CRC is rotated right by 15 bits plus 0xa282ead8")
    func maskedCRC() {
        let crc: UInt32 = 0xE306_9283
        #expect(maskedCRC32C(Array("123456789".utf8)) == ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8)
        #expect(maskedCRC32C([]) == 0xA282_EAD8)
    }

    /// A record of "abc" written out byte by byte: length, its masked CRC, data, data's masked CRC.
    static let abcRecord: [UInt8] = {
        let length: [UInt8] = [3, 0, 0, 0, 0, 0, 0, 0]
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        return length + littleEndian(maskedCRC32C(length)) + Array("abc".utf8) + littleEndian(maskedCRC32C(Array("abc".utf8)))
    }()

    @Test("a record is framed as uint64 length, masked CRC, data, masked CRC")
    func recordFraming() throws {
        #expect(tfRecord(Array("abc".utf8)) == Self.abcRecord)
        #expect(Self.abcRecord.count == 8 + 4 + 3 + 4)
        let two = tfRecord([]) + tfRecord(Array("abc".utf8))
        #expect(try tfRecords(in: two, path: "x") == [[], Array("abc".utf8)])
    }

    @Test("damaged records are refused naming the offset; a cut-off tail is dropped when asked")
    func damagedRecords() throws {
        var flipped = Self.abcRecord
        flipped[13] ^= 1  // a data byte
        let error = try #require(throws: WorkbookFileError.self) { try tfRecords(in: flipped, path: "events.x") }
        #expect(error.description.contains("events.x") && error.description.contains("checksum"))
        var badLength = Self.abcRecord
        badLength[0] = 4
        #expect(throws: WorkbookFileError.self) { try tfRecords(in: badLength, path: "x") }
        let cut = Self.abcRecord + Array(Self.abcRecord.prefix(10))
        #expect(throws: WorkbookFileError.self) { try tfRecords(in: cut, path: "x") }
        #expect(try tfRecords(in: cut, path: "x", allowingTruncatedTail: true) == [Array("abc".utf8)])
    }

    @Test("the version event is encoded field by field as event.proto defines it")
    func versionEventBytes() throws {
        var event = TensorBoardEvent()
        event.wallTime = 1.5
        event.step = 3
        event.what = .fileVersion("brain.Event:2")
        let expected: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F,  // 1: wall_time, fixed64 double
                                 0x10, 0x03]                           // 2: step, varint
            + [0x1A, 13] + Array("brain.Event:2".utf8)                 // 3: file_version, length-delimited
        let bytes: [UInt8] = try event.serializedBytes()
        #expect(bytes == expected)
        #expect(try TensorBoardEvent(serializedBytes: expected) == event)
    }

    @Test("scalar and image summaries are encoded as summary.proto defines them")
    func summaryBytes() throws {
        var event = TensorBoardEvent()
        event.step = 7
        var summary = TensorBoardSummary()
        var scalar = TensorBoardSummary.Value()
        scalar.tag = "loss_d"
        scalar.value = .simpleValue(0.5)
        var image = TensorBoardSummary.Image()
        image.height = 2
        image.width = 3
        image.colorspace = 3
        image.encodedImageString = Data([0x89, 0x50])
        var picture = TensorBoardSummary.Value()
        picture.tag = "samples"
        picture.value = .image(image)
        summary.value = [scalar, picture]
        event.what = .summary(summary)
        // Value 1: tag (1) "loss_d", simple_value (2, fixed32 float 0.5).
        let scalarBytes: [UInt8] = [0x0A, 6] + Array("loss_d".utf8) + [0x15, 0, 0, 0, 0x3F]
        // Image: height (1) 2, width (2) 3, colorspace (3) 3, encoded_image_string (4).
        let imageBytes: [UInt8] = [0x08, 2, 0x10, 3, 0x18, 3, 0x22, 2, 0x89, 0x50]
        // Value 2: tag (1) "samples", image (4).
        let pictureBytes: [UInt8] = [0x0A, 7] + Array("samples".utf8) + [0x22, UInt8(imageBytes.count)] + imageBytes
        let summaryBytes: [UInt8] = [0x0A, UInt8(scalarBytes.count)] + scalarBytes + [0x0A, UInt8(pictureBytes.count)] + pictureBytes
        let expected: [UInt8] = [0x10, 7, 0x2A, UInt8(summaryBytes.count)] + summaryBytes  // 5: summary
        let bytes: [UInt8] = try event.serializedBytes()
        #expect(bytes == expected)
        #expect(try TensorBoardEvent(serializedBytes: expected) == event)
    }

    /// Two events framed by TensorBoard 2.21's own Python `RecordWriter` (event_pb2 and
    /// summary_pb2 from the same package), written out as bytes once: our framing and
    /// encoding of the same events must give exactly these.
    static let writtenByTensorBoard: [UInt8] = [
        0x1A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x9B, 0xD8, 0x2D, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xF8, 0x3F, 0x10, 0x03, 0x1A, 0x0D, 0x62, 0x72, 0x61, 0x69, 0x6E, 0x2E, 0x45, 0x76, 0x65, 0x6E, 0x74,
        0x3A, 0x32, 0xE3, 0xC0, 0xB9, 0x5C, 0x33, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0xA7, 0x20, 0x56,
        0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x40, 0x10, 0x07, 0x2A, 0x26, 0x0A, 0x0D, 0x0A, 0x06, 0x6C,
        0x6F, 0x73, 0x73, 0x5F, 0x64, 0x15, 0x00, 0x00, 0x00, 0x3F, 0x0A, 0x15, 0x0A, 0x07, 0x73, 0x61, 0x6D, 0x70,
        0x6C, 0x65, 0x73, 0x22, 0x0A, 0x08, 0x02, 0x10, 0x03, 0x18, 0x03, 0x22, 0x02, 0x89, 0x50, 0x4E, 0xE2, 0x6B,
        0x7F,
    ]

    @Test("the same events give the bytes TensorBoard's own writer gives")
    func sameBytesAsTensorBoard() throws {
        var version = TensorBoardEvent()
        version.wallTime = 1.5
        version.step = 3
        version.what = .fileVersion("brain.Event:2")
        var scalar = TensorBoardSummary.Value()
        scalar.tag = "loss_d"
        scalar.value = .simpleValue(0.5)
        var image = TensorBoardSummary.Image()
        (image.height, image.width, image.colorspace, image.encodedImageString) = (2, 3, 3, Data([0x89, 0x50]))
        var picture = TensorBoardSummary.Value()
        picture.tag = "samples"
        picture.value = .image(image)
        var summary = TensorBoardSummary()
        summary.value = [scalar, picture]
        var values = TensorBoardEvent()
        values.wallTime = 2.25
        values.step = 7
        values.what = .summary(summary)
        let ours = try tfRecord(version.serializedBytes()) + tfRecord(values.serializedBytes())
        #expect(ours == Self.writtenByTensorBoard)
        let read = try tfRecords(in: Self.writtenByTensorBoard, path: "x").map { try TensorBoardEvent(serializedBytes: $0) }
        #expect(read == [version, values])
    }

    @Test("a session start is event field 7 with status START")
    func sessionLogBytes() throws {
        var log = TensorBoardSessionLog()
        log.status = .start
        var event = TensorBoardEvent()
        event.step = 5
        event.what = .sessionLog(log)
        let bytes: [UInt8] = try event.serializedBytes()
        #expect(bytes == [0x10, 5, 0x3A, 2, 0x08, 1])
    }

    @Test("fields this subset does not model survive a read (another writer's files)")
    func unknownFieldsAreKept() throws {
        // source_metadata (10) and a summary value's metadata (9): not modelled here.
        let bytes: [UInt8] = [0x10, 1, 0x52, 2, 0x0A, 0x00, 0x2A, 8, 0x0A, 6, 0x0A, 1, 0x78, 0x4A, 1, 0x00]
        let event = try TensorBoardEvent(serializedBytes: bytes)
        #expect(event.step == 1)
        #expect(event.summary?.value.first?.tag == "x")
        #expect(event.summary?.value.first?.value == nil)
        let again: [UInt8] = try event.serializedBytes()
        #expect(again.count == bytes.count)
    }

    @Test("a written file reads back: version first, then scalars, images and a session start")
    func writeAndRead() throws {
        let path = NSTemporaryDirectory() + "events.out.tfevents.\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var now = 100.0
        let writer = try TensorBoardEventWriter(path: path, clock: { now += 1; return now })
        try writer.addScalars([("loss_d", 1.25), ("loss_g", -0.5)], step: 0)
        try writer.addScalars([("loss_d", 1.0), ("loss_g", Float.leastNonzeroMagnitude)], step: 1)
        try writer.addImage(tag: "samples", encoded: [1, 2, 3], width: 4, height: 5, step: 1)
        try writer.addSessionStart(step: 1)
        try writer.close()
        let file = try TensorBoardEventFile(path: path)
        #expect(file.events.first?.fileVersion == "brain.Event:2")
        #expect(file.events.map(\.wallTime) == [101, 102, 103, 104, 105])
        #expect(file.tags == ["loss_d", "loss_g", "samples"])
        #expect(file.scalars("loss_d").map(\.step) == [0, 1])
        #expect(file.scalars("loss_d").map(\.value) == [1.25, 1.0])
        #expect(file.scalars("loss_g").map(\.value) == [-0.5, Float.leastNonzeroMagnitude])
        let image = try #require(file.images("samples").first)
        #expect(image.step == 1 && image.image.width == 4 && image.image.height == 5 && image.image.colorspace == 3)
        #expect(image.image.encodedImageString == Data([1, 2, 3]))
        #expect(file.events.last?.sessionLog?.status == .start && file.events.last?.step == 1)
    }

    @Test("a file that is not an event file is refused in one line")
    func foreignFile() throws {
        let path = NSTemporaryDirectory() + "not-events-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("step,loss\n0,1\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: WorkbookFileError.self) { try TensorBoardEventFile(path: path) }
        #expect(error.description.hasPrefix(path) && !error.description.contains("\n"))
    }
}
