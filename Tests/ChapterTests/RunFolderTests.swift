import Foundation
import Testing

/// A run is a folder: its settings and results recorded beside its figures, its checkpoints
/// its own, locked while it runs, and a Ctrl-C that saves (issues 23 and 24).
@Suite("Run folders, --resume and signals", .serialized)
struct RunFolderTests {
    static let ready = ChapterTests.fashionMNIST

    func json(_ run: ChapterRun, _ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: run.bytes(name)) as? [String: Any])
    }

    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func settingsAndSummaryRecordTheRun() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick", "--lr", "1e-3", "--label-smoothing", "0.9", "--seed", "7"])
        #expect(run.status == 0, "\(run.errors)")
        let settings = try json(run, "ch11_2_minimax_settings.json")
        let options = try #require(settings["options"] as? [String: Any])
        // Every option, the chapter's own too, named as on the command line.
        #expect(options["lr"] as? String == "0.001")
        #expect(options["label-smoothing"] as? String == "0.9")
        #expect(options["loss"] as? String == "non-saturating")
        #expect(options["batch-size"] as? String == "64")
        #expect(options["steps"] is NSNull)
        #expect(settings["seed"] as? Int == 7)
        #expect(settings["total_steps"] as? Int == 3)
        #expect(settings["version"] as? String == "0.2.0")
        #expect(settings.keys.contains("commit"))
        #expect(!(settings["openblas_kernels"] as? String ?? "").isEmpty)
        #expect((settings["openblas_config"] as? String ?? "").hasPrefix("OpenBLAS"))

        let summary = try json(run, "ch11_2_minimax_summary.json")
        let line = try #require(run.summary)
        #expect(summary["chapter"] as? String == "ch11_2_minimax")
        #expect(summary["steps"] as? Int == 3)
        let msPerStep = try #require(summary["ms_per_step"] as? Double)
        #expect(line.contains(String(format: "ms/step=%.2f", msPerStep)))
        let dLoss = try #require(summary["d_loss"] as? Double)
        #expect(line.contains(String(format: "d_loss=%.4f", dLoss)))
    }

    /// Progress goes to standard error, as tqdm's does; standard output ends with the summary.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func progressGoesToStandardError() throws {
        let run = try runChapter("Ch11_2_Minimax", ["--quick"])
        #expect(run.status == 0)
        #expect(run.errors.contains("[100%] step 3/3"))
        #expect(!run.output.contains("step 3/3"))
        #expect(run.output.split(separator: "\n").last?.hasPrefix("summary:") == true)
    }

    /// The default checkpoint folder is the run's own; with a shared --checkpoint-dir, each
    /// setting has its subfolder; and a run with other settings in the same --out is refused
    /// before it touches the first one's checkpoint.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func twoRunsWithDifferentSettingsNeverShareACheckpoint() throws {
        let shared = try newTemporaryFolder()
        let a = try runChapter("Ch11_2_Minimax", ["--quick", "--checkpoint-dir", shared.path])
        let b = try runChapter("Ch11_2_Minimax", ["--quick", "--lr", "1e-3", "--checkpoint-dir", shared.path])
        #expect(a.status == 0 && b.status == 0, "\(a.errors) \(b.errors)")
        let folders = try FileManager.default.contentsOfDirectory(atPath: shared.path).sorted()
        #expect(folders == ["ch11_2_minimax-quick", "ch11_2_minimax-quick-lr-1e-3"])

        let first = try runChapter("Ch11_2_Minimax", ["--quick"])
        let checkpoint = "checkpoints/ch11_2_minimax/checkpoint.safetensors"
        let saved = try first.bytes(checkpoint)
        let other = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "2"], in: first.folder)
        #expect(other.status == 1)
        #expect(other.errors.contains("holds an earlier run of ch11_2_minimax with --steps unset (this command: 2)"), "\(other.errors)")
        #expect(other.errors.contains("--fresh"))
        #expect(try first.bytes(checkpoint) == saved)
        // The same command again is not stuck: it starts afresh over its own earlier run.
        let again = try runChapter("Ch11_2_Minimax", ["--quick"], in: first.folder)
        #expect(again.status == 0, "\(again.errors)")
        let replaced = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "2", "--fresh"], in: first.folder)
        #expect(replaced.status == 0 && replaced.summary?.contains("steps=2") == true, "\(replaced.errors)")
    }

    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func resumeRefusesAChangedTrainingOptionAndAcceptsTheOthers() throws {
        let first = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4"])
        #expect(first.status == 0)
        let changed = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4", "--resume", "--label-smoothing", "0.9"],
                                     in: first.folder)
        #expect(changed.status == 1)
        #expect(changed.errors.contains("trained with --label-smoothing 1.0 (this command: 0.9), which changes training"),
                "\(changed.errors)")
        let longer = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6", "--resume", "--threads", "1", "--no-preview",
                                                      "--checkpoint-every", "1"], in: first.folder)
        #expect(longer.status == 0, "\(longer.errors)")
        #expect(longer.output.contains("resumed from") && longer.summary?.contains("steps=6") == true)
        let reference = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6"])
        #expect(try longer.bytes("ch11_2_minimax_log.csv") == reference.bytes("ch11_2_minimax_log.csv"))
        // The bar counts absolute steps after a resume.
        #expect(longer.errors.contains("step 5/6") || longer.errors.contains("step 6/6"))
        #expect(!longer.errors.contains("step 1/2"))
    }

    /// With --instance-noise the noise is annealed over the run, so its length is part of what
    /// it trains: a longer --steps on --resume is refused.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func resumeRefusesAnotherLengthWhenAScheduleSpansTheRun() throws {
        let first = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "4", "--instance-noise", "0.1"])
        #expect(first.status == 0)
        let longer = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "6", "--instance-noise", "0.1", "--resume"],
                                    in: first.folder)
        #expect(longer.status == 1)
        #expect(longer.errors.contains("planned for 4 steps"), "\(longer.errors)")
    }

    /// The first Ctrl-C ends the step, saves a checkpoint and says how to continue; the
    /// continued run's log equals an uninterrupted run's byte for byte.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func sigintSavesACheckpointThatResumeContinuesExactly() throws {
        let arguments = ["--quick", "--steps", "60"]
        let started = try StartedChapter("Ch11_2_Minimax", arguments)
        // 60 steps, a plain progress line per tenth: stop after the first (step 6), between epochs of 8.
        #expect(started.wait { started.errorsSoFar.contains("[10%]") })
        kill(started.process.processIdentifier, SIGINT)
        let stopped = try started.finish()
        #expect(!stopped.endedBySignal && stopped.status == 130, "\(stopped.errors)")
        let message = try #require(stopped.errors.split(separator: "\n").last.map(String.init))
        #expect(message.hasPrefix("stopped by SIGINT after step "), "\(message)")
        #expect(message.hasSuffix("Ch11_2_Minimax --quick --steps 60 --out \(stopped.folder.path) --resume"), "\(message)")
        let stepText = message.dropFirst("stopped by SIGINT after step ".count).prefix { $0.isNumber }
        let step = try #require(Int(stepText))
        #expect(step > 0 && step < 60)

        let resumed = try runChapter("Ch11_2_Minimax", arguments + ["--resume"], in: stopped.folder)
        #expect(resumed.status == 0, "\(resumed.errors)")
        #expect(resumed.output.contains("at step \(step)"))
        let reference = try runChapter("Ch11_2_Minimax", arguments)
        #expect(try resumed.bytes("ch11_2_minimax_log.csv") == reference.bytes("ch11_2_minimax_log.csv"))
    }

    /// SIGTERM saves as SIGINT does; SIGQUIT too, without the runtime's crash report.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"), arguments: [(SIGTERM, "SIGTERM"), (SIGQUIT, "SIGQUIT")])
    func terminationSignalsSaveAndExitWithTheShellsStatus(signal: Int32, name: String) throws {
        let started = try StartedChapter("Ch11_2_Minimax", ["--quick", "--steps", "60"])
        #expect(started.wait { started.errorsSoFar.contains("[10%]") })
        kill(started.process.processIdentifier, signal)
        let stopped = try started.finish()
        #expect(!stopped.endedBySignal && stopped.status == 128 + signal, "\(stopped.errors)")
        #expect(stopped.errors.contains("stopped by \(name) after step "))
        #expect(!stopped.errors.contains("Backtrace") && !stopped.errors.contains("Crashed"), "\(stopped.errors)")
        #expect(stopped.exists("checkpoints/ch11_2_minimax/checkpoint.safetensors"))
    }

    /// A second signal while the first is being handled ends the run at once.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func aSecondSignalExitsAtOnce() throws {
        let started = try StartedChapter("Ch11_2_Minimax", ["--quick", "--steps", "60"])
        #expect(started.wait { started.errorsSoFar.contains("[10%]") })
        kill(started.process.processIdentifier, SIGINT)
        Thread.sleep(forTimeInterval: 0.005)  // two signals sent together would arrive as one
        kill(started.process.processIdentifier, SIGINT)
        let stopped = try started.finish()
        #expect(stopped.status == 130)
    }

    /// A run holding the folder's lock keeps a second one out, which names its pid.
    @Test(.enabled(if: ready, "needs Debian's dataset-fashion-mnist"))
    func aLockedFolderIsRefusedNamingTheHolder() throws {
        let folder = try newTemporaryFolder()
        let lock = folder.appendingPathComponent(".ch11_2_minimax.lock").path
        let descriptor = open(lock, O_RDWR | O_CREAT, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        _ = "4242\n".withCString { write(descriptor, $0, 5) }
        let refused = try runChapter("Ch11_2_Minimax", ["--quick"], in: folder)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("is in use by another run of ch11_2_minimax (pid 4242"), "\(refused.errors)")
        #expect(!refused.exists("ch11_2_minimax_log.csv"))

        // And a run on the same checkpoint folder from another --out.
        let other = try newTemporaryFolder()
        let checkpoints = try newTemporaryFolder()
        let first = try StartedChapter("Ch11_2_Minimax", ["--quick", "--steps", "200", "--checkpoint-dir", checkpoints.path])
        #expect(first.wait { first.errorsSoFar.contains("[10%]") })
        let second = try runChapter("Ch11_2_Minimax", ["--quick", "--steps", "200", "--checkpoint-dir", checkpoints.path],
                                    in: other)
        kill(first.process.processIdentifier, SIGKILL)
        _ = try first.finish()
        #expect(second.status == 1)
        #expect(second.errors.contains("(pid \(first.process.processIdentifier)"), "\(second.errors)")
    }
}
