import Foundation
import Testing

/// A finished run of a chapter executable, as a reader would start it.
struct ChapterRun {
    let status: Int32
    let output: String
    let errors: String
    let folder: URL
    /// Killed by a signal it did not handle (`status` is then the signal's number).
    var endedBySignal = false

    var summary: String? { output.split(separator: "\n").last(where: { $0.hasPrefix("summary:") }).map(String.init) }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name).path) }
    func bytes(_ name: String) throws -> Data { try Data(contentsOf: file(name)) }
}

/// The folder holding the built executables (the test bundle sits next to them).
let executablesFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()

func newTemporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// Runs `chapter` with `arguments`, writing figures and checkpoints into `folder` (a new
/// temporary one unless given; a run keeps its checkpoints in `<out>/checkpoints/<chapter>`)
/// unless `outputFlags` is false.
func runChapter(_ chapter: String, _ arguments: [String], in folder: URL? = nil,
                outputFlags: Bool = true) throws -> ChapterRun {
    try StartedChapter(chapter, arguments, in: folder, outputFlags: outputFlags).finish()
}

/// A chapter started and still running, for tests that act on it meanwhile (send a signal).
struct StartedChapter {
    let process = Process()
    let folder: URL
    let stdoutFile: URL
    let stderrFile: URL

    init(_ chapter: String, _ arguments: [String], in folder: URL? = nil, outputFlags: Bool = true,
         environment: [String: String]? = nil) throws {
        self.folder = try folder ?? newTemporaryFolder()
        stdoutFile = self.folder.appendingPathComponent("stdout.txt")
        stderrFile = self.folder.appendingPathComponent("stderr.txt")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = executablesFolder.appendingPathComponent(chapter)
        process.arguments = arguments + (outputFlags ? ["--out", self.folder.path] : [])
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    /// What the run has written to standard error so far.
    var errorsSoFar: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

    /// Waits (up to two minutes) until `condition` holds, or the run ends; false if it ended first.
    func wait(until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(120)
        while !condition() {
            guard process.isRunning, Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    func finish() throws -> ChapterRun {
        process.waitUntilExit()
        return ChapterRun(status: process.terminationStatus,
                          output: try String(contentsOf: stdoutFile, encoding: .utf8),
                          errors: try String(contentsOf: stderrFile, encoding: .utf8), folder: folder,
                          endedBySignal: process.terminationReason == .uncaughtSignal)
    }
}
