import Foundation
import Testing

/// Tools/Bench as a reader meets it: help that does not act, misspelt cases rejected,
/// and no scratch folder left behind when it is interrupted.
@Suite("Bench's command line")
struct BenchTests {
    @Test func helpShowsUsageWithoutRunning() throws {
        let run = try runChapter("Bench", ["--help"], outputFlags: false)
        #expect(run.status == 0)
        #expect(run.output.contains("USAGE: Bench"))
        #expect(!run.output.contains("bench:"), "--help started the benchmark")
    }

    @Test func misspeltCaseIsRejected() throws {
        let run = try runChapter("Bench", ["wgan-gp"], outputFlags: false)
        #expect(run.status != 0)
        #expect(run.errors.contains("'wgan-gp' is invalid"))
        #expect(!run.output.contains("bench:"))
    }

    @Test func interruptedRunRemovesItsScratchFolder() throws {
        let temporary = try newTemporaryFolder()
        let process = Process()
        process.executableURL = executablesFolder.appendingPathComponent("Bench")
        process.arguments = ["minimax", "--skip-pytorch", "--steps", "100000"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let scratch = temporary.appendingPathComponent("gans-bench-\(process.processIdentifier)").path
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: scratch) && Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: scratch), "Bench made no scratch folder")
        usleep(500_000)  // let it start the chapter
        process.interrupt()
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGINT)
        #expect(!FileManager.default.fileExists(atPath: scratch))
        try? FileManager.default.removeItem(at: temporary)
    }
}
