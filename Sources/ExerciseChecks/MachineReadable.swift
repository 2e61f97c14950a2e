import Foundation

// `check --json` and `check --junit FILE`: the same results as the report lines, for a
// teacher's script or a CI server rather than for eyes.

/// The exit status of `check`: 0 only when every task it checked passed.
public func exitStatus(of reports: [TaskReport]) -> Int32 {
    reports.allSatisfy { $0.outcome == .passed } ? 0 : 1
}

/// What `check --json` prints: one object with the code checked, a summary, and one entry
/// per task in the order checked.
///
///     {"checked": "your code", "summary": {"tasks": 9, "passed": 8, "failed": 1, "not_started": 0, ...},
///      "tasks": [{"task": "generator-input", "exercise": "11.3", "result": "failed", "hint": "wrong shape: ...", ...}]}
public struct CheckResults: Codable, Equatable, Sendable {
    public struct Summary: Codable, Equatable, Sendable {
        public var tasks: Int
        public var passed: Int
        public var failed: Int
        public var notStarted: Int
        public var seconds: Double
        public var exitStatus: Int32

        enum CodingKeys: String, CodingKey {
            case tasks, passed, failed, seconds
            case notStarted = "not_started", exitStatus = "exit_status"
        }
    }

    public struct Task: Codable, Equatable, Sendable {
        public var task: String
        public var exercise: String
        public var file: String
        /// "passed", "failed" or "not-started".
        public var result: String
        /// What failed and where; absent unless the task failed.
        public var hint: String?
        public var checksPassed: Int
        public var checks: Int
        public var seconds: Double
        /// What the task's code printed, line by line.
        public var output: [String]

        enum CodingKeys: String, CodingKey {
            case task, exercise, file, result, hint, checks, seconds, output
            case checksPassed = "checks_passed"
        }
    }

    /// "your code" or "the reference solutions".
    public var checked: String
    public var summary: Summary
    public var tasks: [Task]

    public init(_ reports: [TaskReport], checked: String) {
        self.checked = checked
        let passed = reports.filter { $0.outcome == .passed }.count
        let notStarted = reports.filter { $0.outcome == .notStarted }.count
        summary = Summary(tasks: reports.count, passed: passed, failed: reports.count - passed - notStarted,
                          notStarted: notStarted, seconds: reports.reduce(0) { $0 + $1.seconds },
                          exitStatus: exitStatus(of: reports))
        tasks = reports.map { report in
            let task = ExerciseChecks.task(named: report.task)
            return Task(task: report.task, exercise: task?.exercise ?? "", file: task?.file ?? "",
                        result: report.outcome.resultName, hint: report.outcome.hint,
                        checksPassed: report.checksPassed, checks: task?.checks ?? 0, seconds: report.seconds,
                        output: report.output)
        }
    }

    /// Pretty-printed JSON with keys in a fixed order.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

extension CheckOutcome {
    /// The outcome's name in machine-readable results.
    public var resultName: String {
        switch self {
        case .passed: "passed"
        case .failed: "failed"
        case .notStarted: "not-started"
        }
    }

    var hint: String? {
        if case .failed(let hint) = self { return hint }
        return nil
    }
}

/// JUnit XML, as CI servers and grading tools read it: one test case per task, a failed or
/// not-started task a `<failure>` (both make `check` exit non-zero), what the task's code
/// printed its `<system-out>`.
public func junitXML(_ results: CheckResults) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let summary = results.summary
    let totals = "tests=\"\(summary.tasks)\" failures=\"\(summary.failed + summary.notStarted)\" errors=\"0\" skipped=\"0\" "
        + "time=\"\(String(format: "%.3f", summary.seconds))\""
    xml += "<testsuites name=\"Ch11_Exercises\" \(totals)>\n"
    xml += "  <testsuite name=\"Ch11_Exercises check (\(xmlEscaped(results.checked)))\" \(totals)>\n"
    for task in results.tasks {
        let head = "    <testcase classname=\"exercise \(xmlEscaped(task.exercise))\" name=\"\(xmlEscaped(task.task))\" "
            + "time=\"\(String(format: "%.3f", task.seconds))\""
        var body = ""
        switch task.result {
        case "passed": break
        case "not-started":
            body += "      <failure type=\"not-started\" message=\"not started: write it in \(xmlEscaped(task.file))\"/>\n"
        default:
            let hint = xmlEscaped(task.hint ?? "")
            body += "      <failure type=\"failed\" message=\"\(hint)\">\(hint)</failure>\n"
        }
        if !task.output.isEmpty {
            body += "      <system-out>\(xmlEscaped(task.output.joined(separator: "\n")))</system-out>\n"
        }
        xml += body.isEmpty ? head + "/>\n" : head + ">\n" + body + "    </testcase>\n"
    }
    xml += "  </testsuite>\n</testsuites>\n"
    return xml
}

/// Text safe inside XML attributes and elements; characters XML 1.0 forbids (most control
/// characters, which a student's print could contain) become U+FFFD.
func xmlEscaped(_ text: String) -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        case "\n": escaped += "&#10;"
        case "\t": escaped += "&#9;"
        default:
            escaped.unicodeScalars.append(scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) ? "\u{FFFD}" : scalar)
        }
    }
    return escaped
}
