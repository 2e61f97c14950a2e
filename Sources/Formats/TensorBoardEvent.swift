import Foundation
import SwiftProtobuf

// The part of TensorBoard's protocol buffers that a training run writes: what
// protoc-gen-swift would generate from this subset of tensorflow/core/util/event.proto and
// tensorflow/core/framework/summary.proto (package `tensorboard`, proto3), written out by
// hand because the generator takes ten minutes to build. SwiftProtobuf does the wire
// format; fields we do not model (graphs, histograms, metadata, ...) are kept as unknown
// fields when a file written by another tool is read.
//
//     message Event {
//       double wall_time = 1;
//       int64 step = 2;
//       oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; }
//     }
//     message SessionLog {
//       enum SessionStatus { STATUS_UNSPECIFIED = 0; START = 1; STOP = 2; CHECKPOINT = 3; }
//       SessionStatus status = 1; string checkpoint_path = 2; string msg = 3;
//     }
//     message Summary {
//       message Image { int32 height = 1; int32 width = 2; int32 colorspace = 3; bytes encoded_image_string = 4; }
//       message Value { string tag = 1; oneof value { float simple_value = 2; Image image = 4; } }
//       repeated Value value = 1;
//     }

/// One record of a TensorBoard event file.
public struct TensorBoardEvent: Sendable {
    public var wallTime: Double = 0
    public var step: Int64 = 0
    public var what: What?
    public var unknownFields = SwiftProtobuf.UnknownStorage()

    public enum What: Equatable, Sendable {
        /// "brain.Event:2" in the first event of a file.
        case fileVersion(String)
        case summary(TensorBoardSummary)
        case sessionLog(TensorBoardSessionLog)
    }

    public init() {}

    public var fileVersion: String? {
        if case let .fileVersion(version)? = what { return version }
        return nil
    }

    public var summary: TensorBoardSummary? {
        if case let .summary(summary)? = what { return summary }
        return nil
    }

    public var sessionLog: TensorBoardSessionLog? {
        if case let .sessionLog(log)? = what { return log }
        return nil
    }
}

/// Marks a restart: TensorBoard drops the events of earlier sessions from this step on
/// (what a resumed run replays).
public struct TensorBoardSessionLog: Sendable {
    public var status: Status = .unspecified
    public var checkpointPath = ""
    public var message = ""
    public var unknownFields = SwiftProtobuf.UnknownStorage()

    public enum Status: SwiftProtobuf.Enum, CaseIterable {
        public typealias RawValue = Int
        case unspecified, start, stop, checkpoint
        case unrecognized(Int)

        public static let allCases: [Status] = [.unspecified, .start, .stop, .checkpoint]

        public init() { self = .unspecified }

        public init?(rawValue: Int) {
            switch rawValue {
            case 0: self = .unspecified
            case 1: self = .start
            case 2: self = .stop
            case 3: self = .checkpoint
            default: self = .unrecognized(rawValue)
            }
        }

        public var rawValue: Int {
            switch self {
            case .unspecified: 0
            case .start: 1
            case .stop: 2
            case .checkpoint: 3
            case let .unrecognized(value): value
            }
        }
    }

    public init() {}
}

/// Values for one step: scalars and images, each under a tag.
public struct TensorBoardSummary: Sendable {
    public var value: [Value] = []
    public var unknownFields = SwiftProtobuf.UnknownStorage()

    public struct Value: Sendable {
        public var tag = ""
        public var value: Kind?
        public var unknownFields = SwiftProtobuf.UnknownStorage()

        public enum Kind: Equatable, Sendable {
            case simpleValue(Float)
            case image(Image)
        }

        public init() {}
    }

    /// An encoded (PNG) image. Colour space 1 is grey, 3 RGB, 4 RGBA.
    public struct Image: Sendable {
        public var height: Int32 = 0
        public var width: Int32 = 0
        public var colorspace: Int32 = 0
        public var encodedImageString = Data()
        public var unknownFields = SwiftProtobuf.UnknownStorage()

        public init() {}
    }

    public init() {}
}

// MARK: - The runtime conformances protoc-gen-swift would write

extension TensorBoardEvent: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static let protoMessageName = "tensorboard.Event"
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [
        1: .standard(proto: "wall_time"), 2: .same(proto: "step"), 3: .standard(proto: "file_version"),
        5: .same(proto: "summary"), 7: .standard(proto: "session_log"),
    ]

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeSingularDoubleField(value: &wallTime)
            case 2: try decoder.decodeSingularInt64Field(value: &step)
            case 3:
                var version: String?
                try decoder.decodeSingularStringField(value: &version)
                if let version {
                    if what != nil { try decoder.handleConflictingOneOf() }
                    what = .fileVersion(version)
                }
            case 5:
                var summary = self.summary
                let hadValue = what != nil
                try decoder.decodeSingularMessageField(value: &summary)
                if let summary {
                    if hadValue && self.summary == nil { try decoder.handleConflictingOneOf() }
                    what = .summary(summary)
                }
            case 7:
                var log = sessionLog
                let hadValue = what != nil
                try decoder.decodeSingularMessageField(value: &log)
                if let log {
                    if hadValue && sessionLog == nil { try decoder.handleConflictingOneOf() }
                    what = .sessionLog(log)
                }
            default: break
            }
        }
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if wallTime.bitPattern != 0 { try visitor.visitSingularDoubleField(value: wallTime, fieldNumber: 1) }
        if step != 0 { try visitor.visitSingularInt64Field(value: step, fieldNumber: 2) }
        switch what {
        case let .fileVersion(version)?: try visitor.visitSingularStringField(value: version, fieldNumber: 3)
        case let .summary(summary)?: try visitor.visitSingularMessageField(value: summary, fieldNumber: 5)
        case let .sessionLog(log)?: try visitor.visitSingularMessageField(value: log, fieldNumber: 7)
        case nil: break
        }
        try unknownFields.traverse(visitor: &visitor)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.wallTime == rhs.wallTime && lhs.step == rhs.step && lhs.what == rhs.what
            && lhs.unknownFields == rhs.unknownFields
    }
}

extension TensorBoardSessionLog: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static let protoMessageName = "tensorboard.SessionLog"
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [
        1: .same(proto: "status"), 2: .standard(proto: "checkpoint_path"), 3: .same(proto: "msg"),
    ]

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeSingularEnumField(value: &status)
            case 2: try decoder.decodeSingularStringField(value: &checkpointPath)
            case 3: try decoder.decodeSingularStringField(value: &message)
            default: break
            }
        }
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if status != .unspecified { try visitor.visitSingularEnumField(value: status, fieldNumber: 1) }
        if !checkpointPath.isEmpty { try visitor.visitSingularStringField(value: checkpointPath, fieldNumber: 2) }
        if !message.isEmpty { try visitor.visitSingularStringField(value: message, fieldNumber: 3) }
        try unknownFields.traverse(visitor: &visitor)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.status == rhs.status && lhs.checkpointPath == rhs.checkpointPath && lhs.message == rhs.message
            && lhs.unknownFields == rhs.unknownFields
    }
}

extension TensorBoardSessionLog.Status: SwiftProtobuf._ProtoNameProviding {
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [
        0: .same(proto: "STATUS_UNSPECIFIED"), 1: .same(proto: "START"), 2: .same(proto: "STOP"),
        3: .same(proto: "CHECKPOINT"),
    ]
}

extension TensorBoardSummary: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static let protoMessageName = "tensorboard.Summary"
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [1: .same(proto: "value")]

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeRepeatedMessageField(value: &value)
            default: break
            }
        }
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !value.isEmpty { try visitor.visitRepeatedMessageField(value: value, fieldNumber: 1) }
        try unknownFields.traverse(visitor: &visitor)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.value == rhs.value && lhs.unknownFields == rhs.unknownFields
    }
}

extension TensorBoardSummary.Value: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static let protoMessageName = "tensorboard.Summary.Value"
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [
        1: .same(proto: "tag"), 2: .standard(proto: "simple_value"), 4: .same(proto: "image"),
    ]

    public var simpleValue: Float? {
        if case let .simpleValue(number)? = value { return number }
        return nil
    }

    public var image: TensorBoardSummary.Image? {
        if case let .image(image)? = value { return image }
        return nil
    }

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeSingularStringField(value: &tag)
            case 2:
                var number: Float?
                try decoder.decodeSingularFloatField(value: &number)
                if let number {
                    if value != nil { try decoder.handleConflictingOneOf() }
                    value = .simpleValue(number)
                }
            case 4:
                var image = self.image
                let hadValue = value != nil
                try decoder.decodeSingularMessageField(value: &image)
                if let image {
                    if hadValue && self.image == nil { try decoder.handleConflictingOneOf() }
                    value = .image(image)
                }
            default: break
            }
        }
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !tag.isEmpty { try visitor.visitSingularStringField(value: tag, fieldNumber: 1) }
        switch value {
        case let .simpleValue(number)?: try visitor.visitSingularFloatField(value: number, fieldNumber: 2)
        case let .image(image)?: try visitor.visitSingularMessageField(value: image, fieldNumber: 4)
        case nil: break
        }
        try unknownFields.traverse(visitor: &visitor)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.tag == rhs.tag && lhs.value == rhs.value && lhs.unknownFields == rhs.unknownFields
    }
}

extension TensorBoardSummary.Image: SwiftProtobuf.Message, SwiftProtobuf._MessageImplementationBase,
    SwiftProtobuf._ProtoNameProviding
{
    public static let protoMessageName = "tensorboard.Summary.Image"
    public static let _protobuf_nameMap: SwiftProtobuf._NameMap = [
        1: .same(proto: "height"), 2: .same(proto: "width"), 3: .same(proto: "colorspace"),
        4: .standard(proto: "encoded_image_string"),
    ]

    public mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let fieldNumber = try decoder.nextFieldNumber() {
            switch fieldNumber {
            case 1: try decoder.decodeSingularInt32Field(value: &height)
            case 2: try decoder.decodeSingularInt32Field(value: &width)
            case 3: try decoder.decodeSingularInt32Field(value: &colorspace)
            case 4: try decoder.decodeSingularBytesField(value: &encodedImageString)
            default: break
            }
        }
    }

    public func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if height != 0 { try visitor.visitSingularInt32Field(value: height, fieldNumber: 1) }
        if width != 0 { try visitor.visitSingularInt32Field(value: width, fieldNumber: 2) }
        if colorspace != 0 { try visitor.visitSingularInt32Field(value: colorspace, fieldNumber: 3) }
        if !encodedImageString.isEmpty { try visitor.visitSingularBytesField(value: encodedImageString, fieldNumber: 4) }
        try unknownFields.traverse(visitor: &visitor)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.height == rhs.height && lhs.width == rhs.width && lhs.colorspace == rhs.colorspace
            && lhs.encodedImageString == rhs.encodedImageString && lhs.unknownFields == rhs.unknownFields
    }
}
