import CZlib
import Foundation

/// A problem with a file, told in one line: which file, what went wrong, and what to do.
///
///     figures/x.png: cannot write (permission denied) — choose a writable folder with --out DIR
public struct WorkbookFileError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let path: String
    public let problem: String
    public let fix: String

    public init(path: String, problem: String, fix: String) {
        self.path = path
        self.problem = problem
        self.fix = fix
    }

    public var description: String { "\(path): \(problem) — \(fix)" }
    // ArgumentParser and Foundation print `localizedDescription`; keep it the same one line.
    public var errorDescription: String? { description }
}

/// The advice attached to write failures; every writer in the workbook writes below --out
/// or --checkpoint-dir, so that is where the reader can change things.
public let writableFolderFix = "choose a writable folder with --out DIR (or --checkpoint-dir DIR)"

/// The system's message for the current `errno`, e.g. "permission denied".
private func errnoMessage(_ code: Int32 = errno) -> String {
    String(cString: strerror(code)).lowercased()
}

/// Writes `bytes` to `path` so that readers never see a half-written file: the data goes to
/// "<path>.tmp-<pid>" in the same folder, is flushed to disk, and is then renamed over the
/// target (rename is atomic within a file system). Missing parent folders are created.
public func atomicWrite(_ bytes: [UInt8], to path: String) throws {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty {
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw WorkbookFileError(
                path: path, problem: "cannot create its folder \(folder)", fix: writableFolderFix)
        }
    }
    let temporaryPath = "\(path).tmp-\(getpid())"
    let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw WorkbookFileError(
            path: path, problem: "cannot write (\(errnoMessage()))", fix: writableFolderFix)
    }
    do {
        try writeAll(bytes, toDescriptor: descriptor, path: path)
        guard fsync(descriptor) == 0 else {
            throw WorkbookFileError(
                path: path, problem: "cannot flush to disk (\(errnoMessage()))", fix: writableFolderFix)
        }
    } catch {
        close(descriptor)
        unlink(temporaryPath)
        throw error
    }
    close(descriptor)
    guard rename(temporaryPath, path) == 0 else {
        let message = errnoMessage()
        unlink(temporaryPath)
        throw WorkbookFileError(
            path: path, problem: "cannot replace the file (\(message))", fix: writableFolderFix)
    }
    // Make the rename itself durable, so a crash cannot bring back the old file.
    let folderDescriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
    if folderDescriptor >= 0 {
        fsync(folderDescriptor)
        close(folderDescriptor)
    }
    removeStaleTemporaryFiles(in: folder.isEmpty ? "." : folder)
}

/// Deletes the "<name>.tmp-<pid>" files that writers killed mid-write left in `folder`
/// (a killed checkpoint write leaves tens of megabytes). A file is stale when no process
/// with its pid is alive; a live writer's file, ours included, is left alone.
func removeStaleTemporaryFiles(in folder: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names {
        guard let marker = name.range(of: ".tmp-", options: .backwards),
              let pid = Int32(name[marker.upperBound...]), pid > 0
        else { continue }
        guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
        let path = "\(folder)/\(name)"
        var status = stat()
        // Only regular files: a folder or link of that name is not ours to delete.
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
        unlink(path)
    }
}

/// Writes `data` atomically, like the `[UInt8]` version.
public func atomicWrite(_ data: Data, to path: String) throws {
    try atomicWrite([UInt8](data), to: path)
}

/// Writes every byte to an open file descriptor, retrying the short writes and
/// interruptions that POSIX allows; `path` only names the file in errors.
public func writeAll(_ bytes: [UInt8], toDescriptor descriptor: Int32, path: String) throws {
    try bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
            let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                throw WorkbookFileError(
                    path: path, problem: "cannot write (\(errnoMessage()))", fix: writableFolderFix)
            }
            written += result
        }
    }
}

/// Reads a whole file. Files named ".gz" are decompressed transparently, so callers never
/// care whether a data set was compressed. (Only the name decides: sniffing gzip's magic
/// bytes could misfire on binary formats such as safetensors, whose first bytes are a length.)
public func readFileBytes(_ path: String) throws -> [UInt8] {
    let bytes = try readRawFile(path)
    return path.hasSuffix(".gz") ? try gunzip(bytes, path: path) : bytes
}

/// Reads a file's bytes in one allocation, with one-line errors for the usual failures.
/// Only regular files are read: a FIFO, device or socket where a data file belongs would
/// block forever or never end, so it is refused (opening without blocking, then checking).
private func readRawFile(_ path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
        let code = errno
        let fix = switch code {
        case ENOENT: "check the path"
        case ELOOP: "the path is a loop of symbolic links: point it at a real file"
        default: "check the file's permissions"
        }
        throw WorkbookFileError(path: path, problem: "cannot read (\(errnoMessage(code)))", fix: fix)
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        throw WorkbookFileError(
            path: path, problem: "cannot read (\(errnoMessage()))", fix: "check the path")
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR:
        throw WorkbookFileError(
            path: path, problem: "is a folder, not a file", fix: "pass the path of a file")
    default:
        throw WorkbookFileError(
            path: path, problem: "is not a regular file (a pipe, device or socket)", fix: "pass the path of a regular file")
    }
    // Regular files never block; reading them with O_NONBLOCK set is the same as without.
    let size = Int(status.st_size)
    var failure: WorkbookFileError?
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initializedCount in
        while initializedCount < size {
            let result = read(descriptor, buffer.baseAddress! + initializedCount, size - initializedCount)
            if result < 0 && errno == EINTR { continue }
            if result < 0 {
                failure = WorkbookFileError(
                    path: path, problem: "cannot read (\(errnoMessage()))",
                    fix: "check the disk and the file's permissions")
            }
            if result <= 0 { break }  // error, or the file shrank while we read it
            initializedCount += result
        }
    }
    if let failure { throw failure }
    return bytes
}

/// Decompresses gzip data (one or more concatenated members, as `gzip` itself accepts).
func gunzip(_ compressed: [UInt8], path: String) throws -> [UInt8] {
    let damaged = "replace it with an intact copy (re-download or reinstall the package)"
    guard !compressed.isEmpty else {
        throw WorkbookFileError(path: path, problem: "gzip file is empty", fix: damaged)
    }
    var stream = z_stream()
    // 16 + MAX_WBITS: expect a gzip wrapper rather than a raw zlib one.
    guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else {
        throw WorkbookFileError(path: path, problem: "cannot start zlib", fix: "check zlib is installed")
    }
    defer { inflateEnd(&stream) }

    // A gzip member ends with its uncompressed size modulo 2^32: a good first guess for the
    // output size, so a data set file is usually inflated into one allocation.
    // Deflate never compresses better than about 1032:1, which caps a damaged hint.
    let storedSize = compressed.count >= 4
        ? compressed.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) } : 0
    let sizeHint = min(storedSize, compressed.count * 1032)
    var output = [UInt8](repeating: 0, count: max(sizeHint, compressed.count, 1024))
    var produced = 0
    var consumed = 0
    var status = Z_OK

    try compressed.withUnsafeBufferPointer { input in
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: output.count))  // double
            }
            let inputChunk = min(input.count - consumed, Int(UInt32.max))
            let outputChunk = min(output.count - produced, Int(UInt32.max))
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
            stream.avail_in = UInt32(inputChunk)
            status = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress! + produced
                stream.avail_out = UInt32(outputChunk)
                return inflate(&stream, Z_NO_FLUSH)
            }
            consumed += inputChunk - Int(stream.avail_in)
            produced += outputChunk - Int(stream.avail_out)

            switch status {
            case Z_STREAM_END:
                // Another member may follow (e.g. files joined with `cat a.gz b.gz`).
                guard consumed < input.count else { return }
                inflateReset(&stream)
            case Z_OK:
                continue
            case Z_BUF_ERROR where consumed == input.count:
                throw WorkbookFileError(
                    path: path, problem: "gzip data is truncated after \(produced) bytes", fix: damaged)
            case Z_BUF_ERROR:
                continue  // only the output was full; the loop grows it
            default:
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw WorkbookFileError(path: path, problem: "gzip data is corrupt (\(reason))", fix: damaged)
            }
        }
    }
    output.removeLast(output.count - produced)
    return output
}

/// Gzip-compresses bytes in memory: the inverse of what `readFileBytes` does for ".gz" files.
/// The tests use it to make gzipped data sets.
public func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    // 16 + MAX_WBITS: write a gzip wrapper; 8 is zlib's default memory level.
    let status = deflateInit2_(
        &stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
        zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "zlib could not start (out of memory)")
    defer { deflateEnd(&stream) }
    // deflateBound is large enough to finish in one call.
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
    let written = bytes.withUnsafeBufferPointer { input in
        output.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END, "zlib could not finish")
            return out.count - Int(stream.avail_out)
        }
    }
    output.removeLast(output.count - written)
    return output
}

/// The product of a header's dimensions, or nil if it overflows: a corrupt or hostile
/// header must be reported as such, not crash the reader.
public func checkedProduct(_ factors: [Int]) -> Int? {
    factors.reduce(Int?(1)) { product, factor in
        product.flatMap { product in
            let (result, overflow) = product.multipliedReportingOverflow(by: factor)
            return overflow ? nil : result
        }
    }
}
