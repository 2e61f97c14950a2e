import ArgumentParser
import Foundation
import Testing
@testable import Workbook

private enum TestDefaults: ChapterDefaults { static let recipe = Recipe(epochs: 2, batchSize: 8, learningRate: 2e-4, latentDimension: 4) }

private enum Flavour: String, ExpressibleByArgument { case plain, fancy = "extra-fancy" }

private struct TestCommand: ParsableCommand {
    @OptionGroup var training: TrainingOptions<TestDefaults>
    @Option var flavour: Flavour = .plain
    @Option(name: .customLong("smooth")) var labelSmoothing: Float = 1
    @Flag var compare = false
}

@Suite struct RunRecordTests {
    /// Every option, the shared ones and the command's own, by its name on the command line.
    @Test func optionsAreRecordedByTheirCommandLineNames() throws {
        let command = try TestCommand.parse(["--lr", "1e-3", "--flavour", "extra-fancy", "--smooth", "0.9", "--compare"])
        let values = ParsedCommandLine.optionValues(of: command)
        let byName = Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["lr"] == .some("0.001"))
        #expect(byName["smooth"] == .some("0.9"))
        #expect(byName["flavour"] == .some("extra-fancy"))
        #expect(byName["compare"] == .some("true"))
        #expect(byName["steps"] == .some(nil))
        #expect(byName["batch-size"] == .some("8"))
        #expect(!byName.keys.contains("help") && !byName.keys.contains("version"))
        #expect(values.first?.name == "epochs")
    }

    @Test func differencesNameTheOptionAndBothValuesButNotTheNeutralOnes() {
        let saved: [String: String?] = ["lr": "0.001", "threads": "2", "steps": nil, "seed": "0"]
        let current: [(name: String, value: String?)] = [("lr", "0.0002"), ("threads", "1"), ("steps", "10"), ("seed", "0"),
                                                         ("new-option", "x")]
        let found = RunRecord.differences(saved: saved, current: current, ignoring: RunRecord.notTraining)
        #expect(found.map(\.option) == ["lr", "steps"])
        #expect(found[0].description == "--lr 0.001 (this command: 0.0002)")
        #expect(RunRecord.differences(saved: saved, current: current, ignoring: RunRecord.notTraining.union(RunRecord.length))
            .map(\.option) == ["lr"])
    }

    @Test func theResumeCommandRepeatsTheArgumentsQuoted() {
        #expect(resumeCommand(arguments: ["/src/.build/debug/Ch11_2_Minimax", "--lr", "1e-3", "--out", "my runs/a b"])
            == "swift run Ch11_2_Minimax --lr 1e-3 --out 'my runs/a b' --resume")
        #expect(resumeCommand(arguments: ["./Ch11_2_Minimax", "--resume", "--fresh", "--out", "it's"])
            == "./Ch11_2_Minimax --out 'it'\\''s' --resume")
    }

    @Test func theSettingsRecordIsJSONWithEveryOption() throws {
        let settings = RunSettings(epochs: 1, steps: 5, batchSize: 2, learningRate: 0.5, latentDimension: 3, seed: 9)
        let text = RunRecord.settingsJSON(chapter: "Ch", name: "ch", settings: settings, totalSteps: 5, lengthShapesTraining: true)
        let record = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let options = try #require(record["options"] as? [String: Any])
        #expect(options["lr"] as? String == "0.5" && options["steps"] as? String == "5")
        #expect(record["seed"] as? Int == 9 && record["length_shapes_training"] as? Bool == true)
        #expect(json("a\"b\\c\n") == #""a\"b\\c\n""#)
    }

    /// A run holding a folder's lock keeps a second claim on it out, naming the holder's pid;
    /// the holder itself may claim it again.
    @Test func aHeldLockRefusesAnotherHolderWithItsPid() throws {
        let folder = NSTemporaryDirectory() + "lock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let other = open("\(folder)/.x.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(other) }
        #expect(flock(other, LOCK_EX | LOCK_NB) == 0)
        _ = "77\n".withCString { write(other, $0, 3) }
        let error = try #require(throws: (any Error).self) { try FolderLock.hold(".x.lock", in: folder, for: "x") }
        #expect("\(error)".contains("in use by another run of x (pid 77"))
        flock(other, LOCK_UN)
        try FolderLock.hold(".x.lock", in: folder, for: "x")
        try FolderLock.hold(".x.lock", in: folder, for: "x")
        #expect(try String(contentsOfFile: "\(folder)/.x.lock", encoding: .utf8) == "\(getpid())\n")
    }
}

@Suite struct TerminalEscapesTests {
    @Test func aDumbTerminalGetsNoEscapeCodes() {
        #expect(!Terminal.allowsEscapes(environment: ["TERM": "dumb"]))
        #expect(!Terminal.allowsEscapes(environment: [:]))
        #expect(Terminal.allowsEscapes(environment: ["TERM": "xterm-256color"]))
    }
}
