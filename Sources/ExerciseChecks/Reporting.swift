import ExerciseKit
import Foundation
import Workbook

// What `check` prints and draws, and how a task's result crosses from the child process
// that ran it (so that a crash in a student's code fails one task, not the whole run).

/// "11.1  discriminator-loss  pass  (4 checks, 0.02 s)", or the hint of a failure.
public func reportLine(_ report: TaskReport) -> String {
    let task = task(named: report.task)
    let head = "\(task?.exercise ?? "?")  \(report.task.padding(toLength: 20, withPad: " ", startingAt: 0))"
        + report.outcome.label.padding(toLength: 12, withPad: " ", startingAt: 0)
    switch report.outcome {
    case .passed:
        return head + String(format: "(%d check%@, %.2f s)", report.checksPassed, report.checksPassed == 1 ? "" : "s", report.seconds)
    case .failed(let hint):
        return head + hint
    case .notStarted:
        return head + "write it in \(task?.file ?? "Sources/Exercises")"
    }
}

/// What the task's code printed, each line marked with the task's name.
public func outputLines(_ report: TaskReport) -> [String] {
    report.output.map { "  [\(report.task)] \($0)" }
}

/// The last line, for tools: `summary: tasks=9 passed=9 failed=0 not_started=0 seconds=1.23`.
public func summaryLine(_ reports: [TaskReport]) -> String {
    let passed = reports.filter { $0.outcome == .passed }.count
    let notStarted = reports.filter { $0.outcome == .notStarted }.count
    let seconds = reports.reduce(0) { $0 + $1.seconds }
    return String(format: "summary: tasks=%d passed=%d failed=%d not_started=%d seconds=%.2f",
                  reports.count, passed, reports.count - passed - notStarted, notStarted, seconds)
}

/// One bar per task, its length the share of its checks passed, its colour the outcome.
public func summaryFigure(_ reports: [TaskReport], of whose: String) -> BarChart {
    let bars = reports.map { report in
        let colour = switch report.outcome {
        case .passed: 2       // bluish green
        case .failed: 1       // vermillion
        case .notStarted: 6   // black
        }
        let task = task(named: report.task)
        let label = "\(task?.exercise ?? "") \(report.task) (\(report.outcome.label))"
        let share = 100 * Double(report.checksPassed) / Double(max(task?.checks ?? 1, 1))
        return BarChart.Bar(label: label, value: share, colorIndex: colour)
    }
    let passed = reports.filter { $0.outcome == .passed }.count
    return BarChart(title: "Exercise checks on \(whose): \(passed) of \(reports.count) tasks pass",
                    valueTitle: "checks passed (%; a task stops at its first failed check)", bars: bars)
}

public let summaryFigureName = "ch11_exercises_checks.png"

// MARK: Running a task in a child process

/// The one line a child process prints for its task: tab-separated fields.
public func resultLine(_ report: TaskReport) -> String {
    let (kind, hint): (String, String) = switch report.outcome {
    case .passed: ("passed", "")
    case .failed(let hint): ("failed", hint)
    case .notStarted: ("not-started", "")
    }
    let flatHint = hint.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
    return ["result", report.task, kind, "\(report.checksPassed)", "\(report.seconds)", flatHint].joined(separator: "\t")
}

func parseResultLine(_ line: Substring) -> TaskReport? {
    let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    guard fields.count == 6, fields[0] == "result", let passed = Int(fields[3]), let seconds = Double(fields[4]) else { return nil }
    let outcome: CheckOutcome = switch fields[2] {
    case "passed": .passed
    case "not-started": .notStarted
    default: .failed(hint: fields[5])
    }
    return TaskReport(task: fields[1], outcome: outcome, checksPassed: passed, seconds: seconds)
}

/// Runs `executable arguments…` (this program's hidden one-task command) and reads back the
/// task's result. Whatever else the child prints (a student's `print` calls) comes back as
/// the report's `output`; a crash becomes a failure whose hint says where it happened, and a child still
/// running after `timeLimit` seconds (a loop that never ends) is stopped and fails the task.
public func checkInChildProcess(_ task: ExerciseTask, executable: URL, arguments: [String],
                                timeLimit: Double = 60) -> TaskReport {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ch11-exercises-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let start = Date()
    func failed(_ hint: String, output: [String] = []) -> TaskReport {
        TaskReport(task: task.name, outcome: .failed(hint: hint), checksPassed: 0, seconds: Date().timeIntervalSince(start),
                   output: output)
    }
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("stdout"), errors = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        // A crash report with a backtrace (half a second, only on a crash): an optimised
        // build drops precondition messages, so the backtrace is what says where it failed.
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none"]) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)  // a runaway loop gets no chance to ignore SIGTERM
            process.waitUntilExit()
            return failed(String(format: "too slow: still running after %.0f s, so it was stopped; is there a loop that never ends?", timeLimit))
        }
        process.waitUntilExit()
        let printed = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let studentOutput = printed.filter { !$0.hasPrefix("result\t") }.map(String.init)
        if var report = printed.last(where: { $0.hasPrefix("result\t") }).flatMap(parseResultLine) {
            report.output = studentOutput
            return report
        }
        let signal = process.terminationReason == .uncaughtSignal ? " (signal \(process.terminationStatus))" : ""
        return failed("crashed\(signal): \(crashReason(fromStandardError: try String(contentsOf: errors, encoding: .utf8)))",
                      output: studentOutput)
    } catch {
        return failed("could not run the check: \(error)")
    }
}

/// What a crashed child's standard error says went wrong: the runtime's message if it
/// printed one (the tensor library's checks always do, with the shapes), else the failure
/// the backtrace names; and, from the backtrace, the library function that a student's file
/// called when it happened.
func crashReason(fromStandardError text: String) -> String {
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let failure = lines.first { $0.contains("Fatal error") } ?? lines.first { $0.hasPrefix("*** Swift runtime failure: ") }?
        .replacingOccurrences(of: "*** Swift runtime failure: ", with: "").replacingOccurrences(of: " ***", with: "")
    // Frames look like "2   0x… static Tensor.concatenate(_:alongAxis:) + 277 in Ch11_Exercises at /…/Shape.swift:75:13".
    let frames: [(function: String, file: String)] = lines.compactMap { line in
        guard let at = line.range(of: " at /", options: .backwards), let address = line.range(of: "0x") else { return nil }
        let afterAddress = line[address.upperBound...].drop { !$0.isWhitespace }.trimmingCharacters(in: .whitespaces)
        let function = afterAddress.components(separatedBy: " + ").first?.components(separatedBy: " in ").first ?? afterAddress
        return (function, String(line[line.index(before: at.upperBound)...]))
    }
    let place: String? = frames.firstIndex { $0.file.contains("/Sources/Exercises/") }.map { student in
        let studentFile = frames[student].file.components(separatedBy: "/Sources/Exercises/").last ?? frames[student].file
        let called = frames[..<student].last { !$0.function.hasPrefix("Swift runtime failure") && !$0.function.hasPrefix("specialized Sequence") }
        let calledName = called.map { " in \($0.function.replacingOccurrences(of: "specialized ", with: ""))" } ?? ""
        return "\(calledName), called from Sources/Exercises/\(studentFile)"
    }
    switch (failure, place) {
    case (let failure?, let place?): return failure + place
    case (let failure?, nil): return failure
    case (nil, let place?): return "crash" + place
    case (nil, nil): return lines.first { !$0.isEmpty && !$0.hasPrefix("***") } ?? "no message"
    }
}

/// Runs one task for the parent `check` process and prints its result line. Output is
/// unbuffered, so that what the task's code printed survives a crash.
@discardableResult
public func checkForParentProcess(_ task: ExerciseTask, on answers: ExerciseAnswers) -> TaskReport {
    // C's `stdout`, found by name: Swift 6 refuses a reference to that mutable C global.
    if let symbol = dlsym(nil, "stdout"), let output = symbol.assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee {
        setvbuf(output, nil, _IONBF, 0)
    }
    let report = check(task, on: answers)
    print(resultLine(report))
    return report
}
