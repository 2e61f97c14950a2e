import Formats
import Foundation

/// The TensorBoard side of a run's log, beside its CSV: every logged metric as a scalar at
/// each iteration and the fixed-noise sample grid as an image at each snapshot, in an
/// `events.out.tfevents.<unix time>.<host>.<pid>` file of the run's folder, so that
/// `tensorboard --logdir runs` compares runs while they train. Each session of a run (a
/// `--resume` starts another) writes its own file, as TensorBoard expects.
final class TensorBoardLog {
    /// The tag of the fixed-noise sample grids.
    static let samplesTag = "samples"
    let writer: TensorBoardEventWriter

    /// With `resumingAt`, marks the restart, so that TensorBoard drops what the interrupted
    /// session logged after the checkpoint, as the CSV log does.
    init(folder: String, resumingAt resumeStep: Int?) throws {
        // Never another session's file, even one started in the same second by this process.
        let name = Self.fileName()
        let path = sequence(first: 0) { $0 + 1 }.lazy.map { "\(folder)/\(name)\($0 == 0 ? "" : ".\($0)")" }
            .first { !FileManager.default.fileExists(atPath: $0) }!
        writer = try TensorBoardEventWriter(path: path)
        if let resumeStep { try writer.addSessionStart(step: resumeStep) }
    }

    static func fileName(now: Date = Date()) -> String {
        var host = [CChar](repeating: 0, count: 256)
        let hostName = gethostname(&host, host.count - 1) == 0 ? String(cString: host) : "localhost"
        return "events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(hostName).\(getpid())"
    }

    func log(step: Int, metrics: [String], values: [Float]) throws {
        try writer.addScalars(zip(metrics, values).map { (tag: $0, value: $1) }, step: step)
    }

    func log(_ grid: SampleGrid, step: Int) throws {
        let picture = try grid.render()
        try writer.addImage(tag: Self.samplesTag, encoded: picture.pngData(), width: picture.width,
                            height: picture.height, colorspace: 3, step: step)
    }

    func flush() throws { try writer.flush() }

    func close() throws { try writer.close() }
}
