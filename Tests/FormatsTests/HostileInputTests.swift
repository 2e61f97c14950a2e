import Foundation
import Testing
@testable import Formats

/// Inputs that once crashed, hung or allocated gigabytes: each fixture is written by the
/// test and must now give a one-line error, quickly.
@Suite struct HostileInputTests {
    func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "hostile-tests-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// 76 KB of nested arrays overflowed the stack of the recursive JSON parser.
    @Test func deeplyNestedSafetensorsHeaderIsRefused() {
        let header = Array(("{\"a\":" + String(repeating: "[", count: 38_000) + String(repeating: "]", count: 38_000) + "}").utf8)
        let file = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
        let text = message { _ = try decodeSafetensors(file, path: "deep.safetensors") }
        #expect(text.hasPrefix("deep.safetensors: invalid JSON header: JSON nested more than 16 deep"), "\(text)")
        // The real format's three levels still parse.
        var parser = JSONParser(bytes: Array("{\"t\":{\"shape\":[[[[1]]]]}}".utf8))
        #expect(throws: Never.self) { try parser.parseDocument() }
    }

    /// `count * itemSize` overflowed (a trap) for shapes whose product is near Int.max.
    @Test func npyShapeThatOverflowsIsRefused() {
        for shape in ["(4611686018427387904, 4)", "(9223372036854775807,)", "(3037000500, 3037000500)"] {
            let file = encodeNPY(descr: "<f8", shape: [], payload: [])
            let header = "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }"
            var bytes = Array(file.prefix(8))
            bytes.appendLittleEndian(UInt16(header.utf8.count))
            bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 64)
            let text = message { _ = try decodeNPY(bytes, path: "big.npz", entry: "sigma") }
            #expect(text.contains("too few for shape") || text.contains("needs"), "\(text)")
        }
    }

    /// Fortran order for rank 3 was silently read as if it were rank 2's transpose.
    @Test func fortranOrderBeyondTwoDimensionsIsRefused() {
        var bytes = encodeNPY([1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2])
        let flag = Array("False".utf8)
        let at = bytes.indices.first { bytes[$0...].starts(with: flag) }!
        bytes.replaceSubrange(at..<at + 5, with: Array("True ".utf8))
        #expect(message { _ = try decodeNPY(bytes, path: "f.npz", entry: "x") }.contains("Fortran order"))
    }

    /// A 419-byte .npz whose central directory claims a 4 GB deflated entry made the zip
    /// reader allocate 4 GB.
    @Test func zipEntryClaimingMoreThanDeflateCanExpandIsRefused() throws {
        var archive = storedZipArchive([("mu.npy", [UInt8](repeating: 7, count: 300))])
        // Patch the central header: method 8 (deflate), uncompressed size 0xFFFF_FFF0.
        let central = try #require(archive.indices.dropLast(3).first {
            archive.readLittleEndian(UInt32.self, at: $0) == 0x0201_4B50
        })
        archive[central + 10] = 8
        for (index, byte) in [0xF0, 0xFF, 0xFF, 0xFF].enumerated() { archive[central + 24 + index] = UInt8(byte) }
        let started = ContinuousClock.now
        let text = message { _ = try readZipEntries(archive, named: ["mu.npy"], path: "tiny.npz") }
        #expect(text.contains("more than deflate can expand"), "\(text)")
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    /// The same entry listed 65535 times could make a small file decompress for hours.
    @Test func repeatedZipEntryIsRefused() {
        let archive = storedZipArchive([("mu.npy", [1, 2, 3]), ("mu.npy", [1, 2, 3])])
        #expect(message { _ = try readZipEntries(archive, named: ["mu.npy"], path: "twice.npz") }.contains("appears twice"))
    }

    /// A FIFO where a data file belongs blocked the reader forever.
    @Test(.timeLimit(.minutes(1))) func fifoIsRefusedWithoutBlocking() {
        let path = temporaryFolder() + "/train-images-idx3-ubyte"
        #expect(mkfifo(path, 0o600) == 0)
        let text = message { _ = try readFileBytes(path) }
        #expect(text == "\(path): is not a regular file (a pipe, device or socket) — pass the path of a regular file")
    }

    /// A symbolic link loop was reported as a missing file.
    @Test func symlinkLoopIsNamedAsSuch() {
        let folder = temporaryFolder()
        symlink(folder + "/b", folder + "/a")
        symlink(folder + "/a", folder + "/b")
        let text = message { _ = try readFileBytes(folder + "/a") }
        #expect(text.contains("loop of symbolic links"), "\(text)")
    }

    /// Killed writers' "<name>.tmp-<pid>" files piled up beside checkpoints (78 MB seen).
    @Test func staleTemporaryFilesAreRemovedOnTheNextWrite() throws {
        let folder = temporaryFolder()
        // A pid that is not running: fork a child that exits at once, and reap it.
        let child = try Process.run(URL(fileURLWithPath: "/bin/true"), arguments: [])
        child.waitUntilExit()
        let dead = child.processIdentifier
        let stale = "\(folder)/generator.safetensors.tmp-\(dead)"
        let live = "\(folder)/other.safetensors.tmp-\(getppid())"  // a writer still at work
        let foreign = "\(folder)/notes.txt"
        for path in [stale, live, foreign] { FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
        try atomicWrite([1], to: "\(folder)/checkpoint.safetensors")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
        #expect(names == ["checkpoint.safetensors", (live as NSString).lastPathComponent, "notes.txt"])
    }
}
