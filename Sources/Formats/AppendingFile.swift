import Foundation

/// A file that grows at its end, buffered: what is appended reaches the file in whole
/// writes at least every `flushInterval` and on `flush()`/`close()`, so a reader can watch it
/// while it grows (a CSV log, TensorBoard's event file), and a crash loses at most what was
/// appended since the last flush.
public final class AppendingFile {
    public let path: String
    private let flushInterval: Duration
    private var descriptor: Int32
    private var pending: [UInt8] = []
    private var lastFlush = ContinuousClock.now

    /// Opens `path`, which must exist, for appending.
    public init(path: String, flushInterval: Duration) throws {
        self.path = path
        self.flushInterval = flushInterval
        descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WorkbookFileError(
                path: path, problem: "cannot open for appending (\(String(cString: strerror(errno))))",
                fix: writableFolderFix)
        }
    }

    deinit { try? close() }

    /// Buffers `bytes`; writes to the file when the flush interval is up.
    public func append(_ bytes: some Sequence<UInt8>) throws {
        pending.append(contentsOf: bytes)
        if ContinuousClock.now - lastFlush >= flushInterval { try flush() }
    }

    /// Writes what is buffered now.
    public func flush() throws {
        guard !pending.isEmpty, descriptor >= 0 else { return }
        try writeAll(pending, toDescriptor: descriptor, path: path)
        pending.removeAll(keepingCapacity: true)
        lastFlush = .now
    }

    /// Writes what is buffered and closes the file; later calls do nothing.
    public func close() throws {
        guard descriptor >= 0 else { return }
        defer {
            Foundation.close(descriptor)
            descriptor = -1
        }
        try flush()
    }
}
