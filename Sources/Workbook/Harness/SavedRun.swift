import Tensor

/// What a comparison figure needs of a run: its logged metrics and its last samples.
public protocol RecordedRun {
    func values(of metric: String) throws -> [Double]
    var finalSamples: SampleGrid? { get }
}

extension TrainingRun: RecordedRun {
    public var finalSamples: SampleGrid? { snapshots.last }
}

/// A finished run read back from its files, its CSV log and its generator, so that a
/// chapter can compare against a run that another chapter already trained instead of
/// training it again.
public struct SavedRun: RecordedRun {
    public let generator: CheckpointGenerator
    public let finalSamples: SampleGrid?
    private let log: [String: [Double]]

    /// Reads the columns `metrics` of the log at `logPath` and the generator at
    /// `generatorPath`, and has the generator draw `noise` as `run` draws its own samples.
    public init(logPath: String, generatorPath: String, metrics: [String], samplesOf noise: Tensor,
                drawnBy run: TrainingRun) throws {
        log = try CSVLog.read(logPath, columns: metrics)
        generator = try CheckpointGenerator(path: generatorPath)
        let steps = generator.trainingSteps.map { "step \($0)" } ?? "steps not recorded"
        finalSamples = try run.sampleGrid(generator.images(for: noise), caption: "\(generator.chapter.rawValue) — \(steps)")
    }

    public func values(of metric: String) throws -> [Double] {
        guard let values = log[metric] else { throw UnknownMetric(name: metric, logged: log.keys.sorted()) }
        return values
    }
}
