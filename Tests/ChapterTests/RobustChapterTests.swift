import Foundation
import Testing

/// What a chapter answers to bad states on disk and bad options (issue 14), as a reader sees it.
@Suite("Chapters answer bad input in one line", .serialized)
struct RobustChapterTests {
    static let fashionMNIST = ChapterTests.fashionMNIST

    /// The NaN message pointed at "the last good checkpoint" before any was written.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func nonFiniteLossBeforeTheFirstCheckpointSaysSo() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "40", "--lr", "1e30"])
        #expect(run.status == 1)
        #expect(run.errors.contains("no checkpoint was written yet"), "\(run.errors)")
        #expect(run.errors.split(separator: "\n").count == 1)
    }

    /// An unwritable --checkpoint-dir was found only at the first checkpoint, an epoch in.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func unwritableCheckpointFolderIsRefusedAtStartUp() throws {
        let folder = try newTemporaryFolder()
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--out", folder.path, "--checkpoint-dir", "/proc/no-such-folder"],
                                 in: folder, outputFlags: false)
        #expect(run.status == 1)
        #expect(run.errors.hasPrefix("error: /proc/no-such-folder/ch11_2_minimax-quick: cannot create the folder"), "\(run.errors)")
        #expect(!run.output.contains("step 1/"), "refused before training")
    }

    /// A resumed step count beyond the run's total, and a log that does not reach the
    /// checkpoint's step, were accepted without a word.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func resumeRefusesAStepBeyondTheRunAndADamagedLog() throws {
        let folder = try newTemporaryFolder()
        #expect(try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4"], in: folder).status == 0)
        let beyond = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "2", "--resume"], in: folder)
        #expect(beyond.status == 1)
        #expect(beyond.errors.contains("the checkpoint is at step 4, beyond this run's 2 steps"), "\(beyond.errors)")

        let log = folder.appendingPathComponent("ch11_2_minimax_log.csv")
        var lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.remove(at: 2)  // step 1 lost
        try lines.joined(separator: "\n").write(to: log, atomically: true, encoding: .utf8)
        let damaged = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6", "--resume"], in: folder)
        #expect(damaged.status == 1)
        #expect(damaged.errors.contains("ch11_2_minimax_log.csv: has 3 complete rows, but the checkpoint is at step 4"), "\(damaged.errors)")
        #expect(damaged.errors.split(separator: "\n").count == 1)
    }

    /// A kill between the old layout's renames left a mixed set; an old-layout checkpoint is
    /// refused rather than trusted.
    @Test(.enabled(if: fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func resumeRefusesTheOldUnverifiableLayout() throws {
        let folder = try newTemporaryFolder()
        #expect(try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "2"], in: folder).status == 0)
        let checkpoints = folder.appendingPathComponent("checkpoints/ch11_2_minimax")
        try FileManager.default.moveItem(at: checkpoints.appendingPathComponent("checkpoint.safetensors"),
                                         to: checkpoints.appendingPathComponent("training_state.safetensors"))
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4", "--resume"], in: folder)
        #expect(run.status == 1)
        #expect(run.errors.contains("cannot be verified as one set"), "\(run.errors)")
    }

    @Test(arguments: [
        (["--lr", "-1"], "--lr must be a positive number"), (["--batch-size", "-5"], "--batch-size must be between 1"),
        (["--steps", "-1"], "--steps must be between 1"), (["--epochs", "9223372036854775807"], "--epochs must be between 1"),
        (["--latent-dim", "1000000000"], "--latent-dim must be between 1 and 65536"),
    ])
    func negativeAndAbsurdNumbersGetTheRangeCheck(arguments: [String], expected: String) throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick"] + arguments)
        #expect(run.status != 0)
        #expect(run.errors.contains(expected), "\(run.errors)")
        #expect(run.errors.split(separator: "\n").count == 1)
    }
}
