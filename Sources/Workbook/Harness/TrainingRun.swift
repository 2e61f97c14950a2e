import Formats
import Foundation
import NN
import Tensor

/// Everything around a chapter's training step that is not the GAN itself: data loading,
/// the loop over iterations and epochs, progress, the CSV log, checkpoints and `--resume`,
/// NaN detection, sample grids from a fixed noise batch, and the closing summary line.
public final class TrainingRun {
    /// File-name prefix of this chapter's outputs, e.g. "ch11_2_minimax".
    public let name: String
    /// Human-readable name for captions, e.g. "Ch11.2 minimax GAN".
    public let title: String
    public let settings: RunSettings
    /// Metrics logged each iteration, by name, for plots.
    private var history: [String: [Double]] = [:]
    /// The names `train(metrics:)` logs, in order.
    public private(set) var loggedMetrics: [String] = []
    /// The iteration that will run next (after `--resume`, the one after the checkpoint).
    public private(set) var step = 0
    /// Sample grids taken after each epoch, for the animation.
    public private(set) var snapshots: [SampleGrid] = []
    private var checkpoint: Checkpoint?
    /// The TensorBoard event file beside the CSV log, while `train` runs.
    private var tensorBoard: TensorBoardLog?
    /// The step of the newest checkpoint on disk that this run wrote or resumed from.
    private var checkpointStep: Int?
    private var epochLength = 1
    /// Whether a schedule spreads over the whole run (`scheduleSteps` was read), so that its
    /// length is part of what it trains.
    private var lengthShapesTraining = false
    /// The settings record of the run this one continues (`--resume`).
    private var resumedRecord: RunRecord.Saved?

    /// Claims the output folder for this run: locked against a second run of the same name,
    /// and refused (one line with the way out) when it holds an earlier run of other settings.
    public init(name: String, title: String, settings: RunSettings) {
        self.name = name
        self.title = title
        self.settings = settings
        setComputeThreads(settings.threads)
        // Until training starts, a signal ends the run at once (SIGQUIT too, without a crash report).
        SignalWatch.shared.on(SignalWatch.stopping, perform: nil)
        orExit { try ensureWritableFolder(settings.outputFolder) }
        orExit { try FolderLock.hold(".\(name).lock", in: settings.outputFolder, for: name) }
        if settings.outputFolder.hasPrefix("runs/") { print("figures and logs go to \(settings.outputFolder)/") }
        if !settings.resume { claimFolder() }
    }

    public var settingsPath: String { RunRecord.settingsPath(folder: settings.outputFolder, name: name) }
    public var summaryPath: String { RunRecord.summaryPath(folder: settings.outputFolder, name: name) }

    /// A new run in a folder that holds an earlier one: the same settings (the same command
    /// again) start afresh over it, since they make the same files; other settings are refused
    /// unless `--fresh` says to replace them, so that no run is lost by a forgotten `--out`.
    private func claimFolder() {
        guard let earlier = orExit({ try RunRecord.read(settingsPath) }) else { return }
        let differences = RunRecord.differences(saved: earlier.options, current: settings.options,
                                                ignoring: RunRecord.notTraining)
        if !differences.isEmpty && !settings.fresh {
            let longer = differences.allSatisfy { RunRecord.length.contains($0.option) }
                ? "add --resume to continue it, " : ""
            exitWithError("\(settings.outputFolder) holds an earlier run of \(name) with \(RunRecord.describe(differences)) — \(longer)pass --out DIR for a folder of its own, or --fresh to replace it")
        }
        if !differences.isEmpty || !FileManager.default.fileExists(atPath: summaryPath) {
            print("note: \(settings.outputFolder): starting afresh over the earlier run of \(name)"
                  + (differences.isEmpty ? " (its settings were the same; --resume continues a run)" : " (--fresh)"))
        }
        unlink(summaryPath)  // its results are about to be replaced
    }

    /// `totalSteps`, for a schedule spread over the whole run (an annealing): reading it makes
    /// the run's length part of what it trains, so `--resume` then refuses another length.
    public var scheduleSteps: Int {
        lengthShapesTraining = true
        return totalSteps
    }

    // snippet.run-generator
    /// A generator for one purpose ("weights", "fixed noise", …), derived from `--seed`,
    /// so that each purpose draws the same numbers whatever the others consume.
    public func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: settings.seed, purpose: purpose)
    }
    // snippet.end

    public func figurePath(_ what: String) -> String { "\(settings.outputFolder)/\(name)_\(what).png" }
    /// The per-step CSV log `train` writes.
    public var logPath: String { "\(settings.outputFolder)/\(name)_log.csv" }

    /// `<out>/checkpoints/<name>`, or with `--checkpoint-dir` `<dir>/<name><changed settings>`
    /// (e.g. `checkpoints/ch11_2_minimax-lr-1e-3`): keyed by the run either way, so that two
    /// runs with other settings never share a checkpoint.
    public var checkpointFolder: String {
        guard let root = settings.checkpointFolder else { return "\(settings.outputFolder)/checkpoints/\(name)" }
        return "\(root)/\(name)\(settings.runNameSuffix)"
    }

    // MARK: Data

    /// Loads IDX images (Fashion-MNIST by default; a small subset with `--quick`), exiting
    /// with a one-line message if the data is missing or corrupt.
    public func loadImages(from folder: String) -> ImageDataset {
        orExit { try loadIDXDataset(directory: folder, split: .train, limit: settings.quick ? RunSettings.quickExamples : nil) }
    }

    /// Minibatches of `data`, with `perStep` batches drawn by each training iteration.
    /// Call after `checkpointing(...)`, so that a resumed run continues the data order.
    public func batches(of data: ImageDataset, perStep: Int = 1) -> ImageBatches {
        let source = orExit {
            try ImageBatches(data, batchSize: settings.batchSize, seed: settings.seed &+ stableHash("data order"),
                             startBatch: step * perStep)
        }
        epochLength = max(1, source.batchesPerEpoch / perStep)
        return source
    }

    /// Iterations of the whole run: `--steps`, a few with `--quick`, else `--epochs` passes.
    public var totalSteps: Int {
        settings.steps ?? (settings.quick ? RunSettings.quickSteps : settings.epochs * epochLength)
    }

    // MARK: Checkpoints

    /// Declares what a checkpoint holds; with `--resume`, restores it now.
    public func checkpointing(models: [(String, any Layer)], optimizers: [(String, any Optimizer)]) {
        let checkpoint = Checkpoint(folder: checkpointFolder, models: models.map { ($0.0, $0.1) },
                                    optimizers: optimizers.map { ($0.0, $0.1) })
        self.checkpoint = checkpoint
        // Found now, not at the first checkpoint an epoch into training.
        orExit { try ensureWritableFolder(checkpointFolder) }
        orExit { try FolderLock.hold(".lock", in: checkpointFolder, for: name) }
        guard settings.resume else {
            // An earlier run's checkpoint would describe other steps than this run's log.
            unlink(checkpoint.path)
            unlink(checkpoint.legacyStatePath)
            return
        }
        guard checkpoint.exists else {
            exitWithError("no checkpoint in \(checkpointFolder) — train once without --resume\(otherLengthHint)")
        }
        if let saved = orExit({ try RunRecord.read(settingsPath) }) {
            let differences = RunRecord.differences(saved: saved.options, current: settings.options,
                                                    ignoring: RunRecord.notTraining.union(RunRecord.length))
            if !differences.isEmpty {
                exitWithError("\(saved.path): the run was trained with \(RunRecord.describe(differences)), which changes training — resume with the saved values, or start afresh with --fresh")
            }
            if let kernels = saved.openBLASKernels, kernels != blasKernelName {
                print("note: the run was trained with OpenBLAS's \(kernels) kernels, this machine runs \(blasKernelName): the results continue, but not bit for bit")
            }
            resumedRecord = saved
        }
        step = orExit { try checkpoint.restore(expecting: checkpointMetadata) }
        checkpointStep = step
        print("resumed from \(checkpointFolder) at step \(step)")
    }

    /// What identifies the run in its checkpoint files; `--resume` insists on the same values.
    private var checkpointMetadata: [String: String] {
        ["chapter": name, "seed": String(settings.seed), "latent_dim": String(settings.latentDimension)]
    }

    /// For `--resume --epochs 10` without `--out`: the default folder of a longer run is not
    /// the one the run trained in, which is named without the length.
    private var otherLengthHint: String {
        let given = settings.options.first { $0.name == "out" }?.value ?? nil
        guard given == nil, settings.checkpointFolder == nil else { return "" }
        let chapter = URL(fileURLWithPath: CommandLine.arguments.first ?? "").lastPathComponent.lowercased()
        let arguments = lengthRemoved(from: CommandLine.arguments)
        let folder = "runs/" + chapter + defaultRunNameSuffix(arguments: arguments)
        guard folder != settings.outputFolder, FileManager.default.fileExists(atPath: folder) else { return "" }
        return "; to continue \(folder) for longer, add --out \(folder)"
    }

    private func saveCheckpoint() {
        guard let checkpoint else { return }
        orExit { try checkpoint.save(step: step, metadata: checkpointMetadata) }
        checkpointStep = step
    }

    // MARK: The loop

    /// Runs `totalSteps` iterations of `body`, which gets the iteration's own random
    /// generator (derived from the seed and the step, so a resumed run draws the same
    /// noise) and returns one value per name in `metrics`. After every epoch and at the
    /// end, `snapshot` (run in evaluation mode) gives images for a sample grid. On a
    /// terminal, `preview` (by default `snapshot`) gives the images drawn above the progress
    /// bar every few seconds (`--no-preview`), for chapters whose grid is made otherwise.
    public func train(metrics: [String], snapshot: (() -> Tensor)? = nil, preview: (() -> Tensor)? = nil,
                      _ body: (_ step: Int, _ random: inout SeededGenerator) -> [Float]) {
        if step > totalSteps, let checkpoint {
            exitWithError("\(checkpoint.path): the checkpoint is at step \(step), beyond this run's \(totalSteps) steps — pass the --epochs or --steps it was trained with, or run without --resume")
        }
        if let saved = resumedRecord, saved.lengthShapesTraining || lengthShapesTraining,
           let savedTotal = saved.totalSteps, savedTotal != totalSteps {
            exitWithError("\(saved.path): the run was planned for \(savedTotal) steps and a schedule spreads over them (e.g. --instance-noise); this command makes \(totalSteps) — resume with the saved --epochs/--steps, or start afresh with --fresh")
        }
        orExit {
            try atomicWrite(Data(RunRecord.settingsJSON(chapter: chapterName, name: name, settings: settings, totalSteps: totalSteps,
                                                        lengthShapesTraining: lengthShapesTraining).utf8), to: settingsPath)
        }
        let csv = orExit { try CSVLog(path: logPath, columns: metrics,
                                      resumingAt: settings.resume ? step : nil) }
        if csv.droppedRows > 0 {
            print("note: \(csv.path): dropped \(csv.droppedRows) rows logged after the checkpoint at step \(step)")
        }
        tensorBoard = orExit { try TensorBoardLog(folder: settings.outputFolder, resumingAt: settings.resume ? step : nil) }
        history = csv.keptValues  // a resumed run's figures start from step 0
        loggedMetrics = metrics
        for metric in metrics where history[metric] == nil { history[metric] = [] }
        // The bar counts the run's own steps, 1440/2400 after a resume at 1440, as the log does.
        var progress = WorkProgress("step", total: totalSteps, from: step)
        let previewSamples = preview ?? snapshot
        var livePreview = settings.preview && previewSamples != nil && Terminal.allowsPreview ? LiveSamplePreview() : nil
        let stop = StopRequest()
        SignalWatch.shared.on(SignalWatch.stopping) { signal in
            if !stop.request(signal) { SignalWatch.exitAtOnce(signal) }  // the second signal
        }
        var timer = StepTimer()
        var lastValues: [Float] = []
        while step < totalSteps {
            var random = generator("step \(step)")
            let values = timer.measure { body(step, &random) }
            precondition(values.count == metrics.count, "the step returned \(values.count) values for \(metrics.count) metrics")

            if let bad = zip(metrics, values).first(where: { !$0.1.isFinite }) {
                try? csv.close(); try? tensorBoard?.close()
                progress.interrupt()
                let kept = checkpointStep.map { "the last good checkpoint (step \($0)) is in \(checkpointFolder)" }
                    ?? "no checkpoint was written yet"
                exitWithError("\(bad.0) became \(bad.1) at step \(step + 1): training stopped; \(kept) — try a lower --lr")
            }
            orExit { try csv.append(step: step, values.map(Double.init)) }
            orExit { try tensorBoard?.log(step: step, metrics: metrics, values: values) }
            for (name, value) in zip(metrics, values) { history[name, default: []].append(Double(value)) }
            lastValues = values

            let epoch = step / epochLength + 1
            step += 1
            var sampled: Tensor?
            let epochEnds = step % epochLength == 0 || step == totalSteps
            if epochEnds, let snapshot { sampled = takeSnapshot(snapshot) }
            if epochEnds || settings.checkpointEvery.map({ step % $0 == 0 }) == true {
                orExit { try csv.flush() }  // the log on disk reaches the checkpoint's step
                saveCheckpoint()
            }
            if let signal = stop.signal { stopSaving(csv, progress: &progress, signal: signal) }
            if let previewSamples {
                livePreview?.refresh(on: &progress, now: sampled != nil || step == totalSteps,
                                     images: preview == nil ? sampled : nil, samples: previewSamples)
            }

            // Losses first: on a narrow terminal the fields at the end are left out.
            let losses = zip(metrics, values).prefix(4).map { "\($0.0) \(String(format: "%.4f", $0.1))" }
            progress.update(step, note: (losses + [String(format: "%.1f ms/step", timer.msPerStep), "epoch \(epoch)"])
                .joined(separator: "  "))
        }
        SignalWatch.shared.on(SignalWatch.stopping, perform: nil)  // from here on a signal ends the run at once
        orExit { try csv.close(); try tensorBoard?.close() }
        summaryFields = [("chapter", name), ("steps", String(step)), ("ms/step", String(format: "%.2f", timer.msPerStep))]
            + zip(metrics, lastValues).map { ($0.0, String(format: "%.4f", $0.1)) }
    }

    /// The first Ctrl-C or SIGTERM: the step has ended; the log and a checkpoint are written,
    /// one line says how to continue, and the run ends with the shell's status for the signal.
    private func stopSaving(_ csv: CSVLog, progress: inout WorkProgress, signal: Int32) -> Never {
        orExit { try csv.flush(); try tensorBoard?.close() }
        if checkpoint != nil && checkpointStep != step { saveCheckpoint() }
        progress.interrupt()
        let saved = checkpoint == nil ? "this run keeps no checkpoint" : "checkpoint at step \(step) in \(checkpointFolder)"
        FileHandle.standardError.write(Data("stopped by \(signalName(signal)) after step \(step) of \(totalSteps); \(saved) — continue with: \(resumeCommand())\n".utf8))
        exit(128 + signal)
    }

    /// The executable's name as typed: `Ch11_2_Minimax`.
    private var chapterName: String { URL(fileURLWithPath: CommandLine.arguments.first ?? name).lastPathComponent }

    /// Key and value of each field of the `summary:` line, once `train` has run.
    private var summaryFields: [(key: String, value: String)] = []

    // MARK: Figures

    private func takeSnapshot(_ snapshot: () -> Tensor) -> Tensor {
        let images = evaluating(snapshot)
        let epoch = Double(step) / Double(epochLength)
        let when = step == totalSteps && step % epochLength != 0
            ? "step \(step)" : "epoch \(Int(epoch.rounded())), step \(step)"
        let grid = orExit { try sampleGrid(images, caption: "\(title) — \(when)") }
        snapshots.append(grid)
        orExit { try tensorBoard?.log(grid, step: step - 1) }  // the step of the last iteration it shows
        if !settings.quick && step % epochLength == 0 {
            orExit { try grid.write(to: figurePath(String(format: "samples_epoch%02d", Int(epoch.rounded())))) }
        }
        return images
    }

    /// A grid of images given as [n, c, h, w] or [n, h·w] (square, one channel).
    public func sampleGrid(_ images: Tensor, caption: String, rowLabels: [String] = []) throws -> SampleGrid {
        let (channels, height, width) = imageGeometry(images)
        return try SampleGrid(pixels: images.values, channels: channels, height: height, width: width,
                              caption: caption, rowLabels: rowLabels)
    }

    /// Writes `<name>_real.png`, a grid of `count` training images: what the samples that
    /// follow should look like. They are drawn with `--seed` from the first
    /// `RunSettings.quickExamples` images, which a `--quick` run loads too, so the figure is
    /// the same with or without `--quick`.
    public func writeRealImages(_ data: ImageDataset, count: Int = 64) {
        let chosen = MinibatchIterator.shuffledIndices(count: min(data.count, RunSettings.quickExamples),
                                                       seed: settings.seed &+ stableHash("real images"), epoch: 0)
            .prefix(count)
        let pixels = chosen.flatMap { data.pixels[($0 * data.imageSize)..<(($0 + 1) * data.imageSize)] }
        orExit {
            try SampleGrid(pixels: pixels, channels: data.channels, height: data.height, width: data.width,
                           caption: "\(title) — \(chosen.count) training images").write(to: figurePath("real"))
        }
    }

    /// Writes the last sample grid as `<name>_samples.png` and all of them as an animation.
    public func writeSampleFigures() {
        guard let last = snapshots.last else { return }
        orExit {
            try last.write(to: figurePath("samples"))
            if snapshots.count > 1 {
                try AnimatedGIF(frames: snapshots).write(to: "\(settings.outputFolder)/\(name)_samples.gif")
            }
        }
    }

    /// Writes a Markdown table as `<name>_<what>.md` in the output folder, atomically.
    public func writeTable(_ markdown: String, named what: String) {
        writeMarkdown(markdown, to: "\(settings.outputFolder)/\(name)_\(what).md")
    }

    /// A line plot of logged metrics over iterations, noisy series faintly under a smoothed line.
    /// `series` pairs a metric name with its legend label.
    public func plot(_ what: String, title: String, yTitle: String, series: [(metric: String, label: String)],
                     smoothing: Double? = 0.98, logarithmicY: Bool = false) {
        orExit {
            let lines = try series.map { metric, label in
                LinePlot.Series(name: label, values: try values(of: metric), smoothing: smoothing)
            }
            try LinePlot(title: title, xTitle: "training iteration", yTitle: yTitle, series: lines,
                         logarithmicY: logarithmicY).write(to: figurePath(what))
        }
    }

    /// Every logged value of `metric`, one per iteration. A name this run does not log is an
    /// error, not an empty curve.
    public func values(of metric: String) throws -> [Double] {
        guard let values = history[metric] else {
            throw UnknownMetric(name: metric, logged: loggedMetrics)
        }
        return values
    }

    /// Prints the closing `summary:` line that tools and benchmarks parse, and writes its
    /// values to `<name>_summary.json`.
    public func finish() {
        let fields = summaryFields.isEmpty ? [("chapter", name), ("steps", String(step))] : summaryFields
        orExit {
            try atomicWrite(Data(RunRecord.summaryJSON(fields.map { ($0.key.replacingOccurrences(of: "/", with: "_per_"), $0.value) }).utf8),
                            to: summaryPath)
        }
        print("summary: " + fields.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

/// Creates `folder` if needed and checks that files can be written in it, with a one-line
/// error naming the fix when not: before minutes of training, not after.
public func ensureWritableFolder(_ folder: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
        throw WorkbookFileError(path: folder, problem: "cannot create the folder", fix: writableFolderFix)
    }
    guard access(folder, W_OK) == 0 else {
        throw WorkbookFileError(path: folder, problem: "is not writable", fix: writableFolderFix)
    }
}

extension SeededGenerator {
    /// The generator for one purpose of a run ("weights", "fixed noise", …): changing how much
    /// one purpose draws does not shift the others.
    public init(seed: UInt64, purpose: String) { self.init(seed: seed &+ stableHash(purpose)) }
}

/// FNV-1a: a hash that, unlike `Hasher`, is the same in every process.
func stableHash(_ text: String) -> UInt64 {
    text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
}

extension InstanceNoise {
    /// Noise annealed over the whole of `run`; when it is on, the run's length is part of what
    /// it trains (`scheduleSteps`), so `--resume` refuses another --epochs or --steps.
    public init(initial: Float, over run: TrainingRun) {
        self.init(initial: initial, totalSteps: initial > 0 ? run.scheduleSteps : run.totalSteps)
    }
}

/// The command that continues this run: the same arguments with `--resume`, as `swift run
/// <chapter>` when the executable is a SwiftPM build, each argument quoted for a shell if needed.
func resumeCommand(arguments: [String] = CommandLine.arguments) -> String {
    let executable = arguments.first ?? "chapter"
    let program = executable.contains("/.build/")
        ? "swift run \(URL(fileURLWithPath: executable).lastPathComponent)" : shellQuoted(executable)
    let kept = arguments.dropFirst().filter { $0 != "--resume" && $0 != "--fresh" }.map(shellQuoted)
    return ([program] + kept + ["--resume"]).joined(separator: " ")
}

func shellQuoted(_ argument: String) -> String {
    let plain = !argument.isEmpty && argument.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
    }
    return plain ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// The arguments without `--epochs` and `--steps` (and their values).
func lengthRemoved(from arguments: [String]) -> [String] {
    var kept: [String] = [], index = 0
    while index < arguments.count {
        let argument = arguments[index]
        if ["--epochs", "--steps"].contains(argument) { index += 2; continue }
        if argument.hasPrefix("--epochs=") || argument.hasPrefix("--steps=") { index += 1; continue }
        kept.append(argument)
        index += 1
    }
    return kept
}

func signalName(_ signal: Int32) -> String {
    [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP", SIGQUIT: "SIGQUIT"][signal] ?? "signal \(signal)"
}

/// The first stopping signal, set by the signal watch's thread and read by the training loop.
final class StopRequest: @unchecked Sendable {  // `received` is guarded by `lock`
    private let lock = NSLock()
    private var received: Int32?

    /// Records `signal`; false if one had already come (the second signal ends the run at once).
    func request(_ signal: Int32) -> Bool {
        lock.withLock {
            guard received == nil else { return false }
            received = signal
            return true
        }
    }

    var signal: Int32? { lock.withLock { received } }
}

/// Training time per step, on the monotonic clock, leaving out every step during which the
/// process was stopped (Ctrl-Z, SIGSTOP, a debugger): the clock runs on while it is stopped,
/// and one such step would count minutes. A step is known to be stopped when the process was
/// continued (SIGCONT, counted by the signal handler) between its start and its end.
struct StepTimer {
    private var total = Duration.zero
    private var counted = 0

    init() { SignalWatch.shared.on([SIGCONT], perform: { _ in }) }  // start counting continuations

    mutating func measure<T>(_ step: () -> T) -> T {
        let continuations = SignalWatch.shared.continuations
        let started = ContinuousClock.now
        let result = step()
        let elapsed = ContinuousClock.now - started
        if SignalWatch.shared.continuations == continuations {
            total += elapsed
            counted += 1
        }
        return result
    }

    var msPerStep: Double { counted == 0 ? 0 : total.milliseconds / Double(counted) }
}

extension Duration {
    var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

/// A metric asked of a run that does not log it (a misspelt name, say).
public struct UnknownMetric: Error, CustomStringConvertible {
    public let name: String
    public let logged: [String]
    public var description: String {
        "no metric '\(name)' in this run; it logs \(logged.isEmpty ? "nothing yet (call train first)" : logged.joined(separator: ", "))"
    }
}

/// Writes a Markdown file atomically, or exits with the reason: the one way runs and studies
/// write their tables.
func writeMarkdown(_ markdown: String, to path: String) {
    orExit { try atomicWrite(Data(markdown.utf8), to: path) }
}
