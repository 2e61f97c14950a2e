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

    /// A signal the moment the scratch folder exists: the folder is only made once signals
    /// are handled, so this must still stop Bench, and leave neither folder nor chapter behind.
    @Test func interruptedRunRemovesItsScratchFolder() throws {
        let bench = try InterruptibleBench()
        defer { bench.cleanUp() }
        try #require(bench.waitFor { FileManager.default.fileExists(atPath: bench.scratch) }, "Bench made no scratch folder")
        bench.process.interrupt()
        try #require(bench.waitFor { !bench.process.isRunning }, "Bench ignored SIGINT")
        #expect(bench.process.terminationStatus == 128 + SIGINT)
        #expect(!FileManager.default.fileExists(atPath: bench.scratch))
        #expect(bench.chapters().isEmpty, "the chapter outlived Bench")
    }

    /// The chapter Bench starts can itself be stopped (an ignored or blocked signal would
    /// survive `exec`), and SIGTERM to Bench kills it too.
    @Test func chapterStartsWithDefaultSignalsAndDiesWithBench() throws {
        let bench = try InterruptibleBench()
        defer { bench.cleanUp() }
        try #require(bench.waitFor { !bench.chapters().isEmpty }, "Bench started no chapter")
        let chapter = try #require(bench.chapters().first)
        let status = try String(contentsOfFile: "/proc/\(chapter)/status", encoding: .utf8).split(separator: "\n")
        for field in ["SigIgn:", "SigBlk:"] {  // ignored, blocked: both survive exec
            let mask = try #require(status.first(where: { $0.hasPrefix(field) })
                .flatMap { UInt64($0.dropFirst(field.count).trimmingCharacters(in: .whitespaces), radix: 16) })
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                #expect(mask & (1 << UInt64(signalNumber - 1)) == 0, "the chapter starts with \(field) \(signalNumber)")
            }
        }
        kill(bench.process.processIdentifier, SIGTERM)
        try #require(bench.waitFor { !bench.process.isRunning }, "Bench ignored SIGTERM")
        #expect(bench.process.terminationStatus == 128 + SIGTERM)
        #expect(!FileManager.default.fileExists(atPath: bench.scratch))
        #expect(bench.chapters().isEmpty, "the chapter outlived Bench")
    }
}

/// A Bench timing a long minimax run in its own temporary folder, and the chapter processes
/// it starts (found by the scratch folder in their arguments).
private struct InterruptibleBench {
    let temporary: URL
    let process = Process()
    let scratch: String

    init() throws {
        temporary = try newTemporaryFolder()
        process.executableURL = executablesFolder.appendingPathComponent("Bench")
        process.arguments = ["minimax", "--skip-pytorch", "--steps", "100000"]
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary.path]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        scratch = temporary.appendingPathComponent("gans-bench-\(process.processIdentifier)").path
    }

    /// Polls `condition` for up to a minute (the machine may be loaded); whether it came true.
    func waitFor(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        // The run loop, not a sleep: Process notices its child's exit on the thread that started it.
        while !condition() && Date() < deadline { RunLoop.current.run(until: Date().addingTimeInterval(0.01)) }
        return condition()
    }

    /// Live processes with the scratch folder in their command line.
    func chapters() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(pid_t.init).filter { pid in
            guard let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: commandLine, as: UTF8.self).contains(scratch)
        }
    }

    /// Whatever the test's outcome, leaves no Bench, chapter or folder behind.
    func cleanUp() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for pid in chapters() { kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(at: temporary)
    }
}
