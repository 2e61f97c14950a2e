import Foundation
import Testing

/// §11.2's warm-up as a reader runs it (a 2-D study: no data set, no checkpoints).
@Suite("Ch11_2_Warmup end to end")
struct WarmupChapterTests {
    static func quickRun(_ extra: [String] = []) throws -> ChapterRun {
        let folder = try newTemporaryFolder()
        return try runChapter("Ch11_2_Warmup", ["--quick", "--out", folder.path] + extra, in: folder, outputFlags: false)
    }

    @Test func quickRunWritesItsFiguresTablesAndSummary() throws {
        let run = try Self.quickRun()
        #expect(run.status == 0, "\(run.errors)")
        for name in ["ch11_2_warmup_samples.png", "ch11_2_warmup_losses.png", "ch11_2_warmup_table.md"] {
            #expect(run.exists(name), "no \(name)")
        }
        let summary = try #require(run.summary)
        #expect(summary.hasPrefix("summary: chapter=ch11_2_warmup steps=150 mean_error="))
        #expect(summary.contains(" covariance_error="))
        let table = try String(contentsOf: run.file("ch11_2_warmup_table.md"), encoding: .utf8)
        #expect(table.contains("| truth: b and A Aᵀ | 2.000 | 1.000 | 1.600 | 1.000 | 0.850 | — | — |"))
    }

    @Test func sameSeedGivesIdenticalFiguresAndTables() throws {
        let first = try Self.quickRun(["--seed", "7"]), second = try Self.quickRun(["--seed", "7"])
        let other = try Self.quickRun(["--seed", "8"])
        for name in ["ch11_2_warmup_samples.png", "ch11_2_warmup_table.md"] {
            #expect(try first.bytes(name) == second.bytes(name), "\(name) differs between two runs with seed 7")
            #expect(try first.bytes(name) != other.bytes(name), "\(name) does not depend on the seed")
        }
    }

    @Test func badOptionsGetOneLineAndAnExitCode() throws {
        let run = try Self.quickRun(["--batch-size", "0"])
        #expect(run.status != 0)
        #expect(run.errors.contains("--batch-size must be at least 1"))
        #expect(!run.errors.contains("Backtrace"))
    }
}
