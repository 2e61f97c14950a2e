import ExerciseKit
import Foundation
import Tensor

/// One checkable task: the function it grades and how.
public struct ExerciseTask: Sendable {
    /// The name `check` takes, e.g. `discriminator-loss`.
    public let name: String
    /// The original chapter's exercise it belongs to, e.g. "11.1".
    public let exercise: String
    /// What to write, in one line.
    public let summary: String
    /// Where the starter code is, for `list`.
    public let file: String
    /// How many checks `run` makes when all pass (a test holds it to that).
    public let checks: Int
    let run: @Sendable (ExerciseAnswers, CheckLog) throws -> Void
}

/// How a task fared.
public enum CheckOutcome: Equatable, Sendable {
    case passed
    /// The first check that failed, said as a hint: what differs, and where.
    case failed(hint: String)
    /// The function still throws `NotImplementedYet`.
    case notStarted

    public var label: String {
        switch self {
        case .passed: "pass"
        case .failed: "FAIL"
        case .notStarted: "not started"
        }
    }
}

public struct TaskReport: Sendable {
    public let task: String
    public let outcome: CheckOutcome
    /// Checks passed before the first failure (all of them on a pass).
    public let checksPassed: Int
    public let seconds: Double
    /// What the task's code printed (in its child process), line by line.
    public var output: [String]

    public init(task: String, outcome: CheckOutcome, checksPassed: Int, seconds: Double, output: [String] = []) {
        self.task = task
        self.outcome = outcome
        self.checksPassed = checksPassed
        self.seconds = seconds
        self.output = output
    }
}

/// A failed check: the hint the student sees.
struct CheckFailure: Error {
    let hint: String
    init(_ hint: String) { self.hint = hint }
}

/// Counts the checks a task has passed so far.
final class CheckLog {
    private(set) var passed = 0
    func pass() { passed += 1 }
}

/// Runs one task's checks on `answers`.
public func check(_ task: ExerciseTask, on answers: ExerciseAnswers) -> TaskReport {
    let log = CheckLog()
    let start = Date()
    let outcome: CheckOutcome
    do {
        try task.run(answers, log)
        outcome = .passed
    } catch is NotImplementedYet {
        outcome = .notStarted
    } catch let failure as CheckFailure {
        outcome = .failed(hint: failure.hint)
    } catch {
        outcome = .failed(hint: "threw an error: \(error)")
    }
    return TaskReport(task: task.name, outcome: outcome, checksPassed: log.passed,
                      seconds: Date().timeIntervalSince(start))
}

/// The task called `name`, if there is one.
public func task(named name: String) -> ExerciseTask? {
    exerciseTasks.first { $0.name == name }
}

// MARK: Comparing with the reference

/// "[1, 2, 3]" for flat index 38 of a [2, 4, 7] tensor.
func position(_ flat: Int, in shape: [Int]) -> String {
    var rest = flat
    var index = [Int](repeating: 0, count: shape.count)
    for axis in shape.indices.reversed() {
        index[axis] = rest % max(shape[axis], 1)
        rest /= max(shape[axis], 1)
    }
    return "[" + index.map(String.init).joined(separator: ", ") + "]"
}

func formatted(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

func close(_ got: Float, _ expected: Float, tolerance: Float = 1e-4) -> Bool {
    got.isFinite && abs(got - expected) <= tolerance * (1 + abs(expected))
}

func close(_ got: Double, _ expected: Double, tolerance: Double) -> Bool {
    got.isFinite && abs(got - expected) <= tolerance * (1 + abs(expected))
}

/// Fails unless `got` has `expected`'s shape.
func expectShape(_ got: Tensor, _ expected: [Int], _ what: String, because: String = "") throws {
    guard got.shape != expected else { return }
    throw CheckFailure("wrong shape: \(what) is \(formatted(got.shape)), expected \(formatted(expected))\(because.isEmpty ? "" : "; \(because)")")
}

/// Fails unless `got` is a one-element tensor (a loss).
func expectScalar(_ got: Tensor, _ what: String) throws {
    guard got.count == 1 else {
        throw CheckFailure("wrong shape: \(what) is \(formatted(got.shape)), expected a scalar (take the mean)")
    }
}

/// Fails at the first element where `got` and `expected` differ, naming its position.
func expectClose(_ got: Tensor, _ expected: Tensor, _ what: String, tolerance: Float = 1e-4) throws {
    try expectShape(got, expected.shape, what)
    let (a, b) = (got.values, expected.values)
    for i in a.indices where !close(a[i], b[i], tolerance: tolerance) {
        let at = expected.rank == 0 ? "" : " at \(position(i, in: expected.shape))"
        throw CheckFailure("wrong value: \(what)\(at) is \(a[i]), expected \(b[i])")
    }
}

/// Compares the gradients of `got` and `expected` (scalars, or contracted with a fixed
/// random tensor) with respect to `inputs`, which both were computed from.
func expectGradients(of got: Tensor, _ expected: Tensor, wrt inputs: [(name: String, tensor: Tensor)],
                     _ what: String, tolerance: Float = 1e-3, ifNotFinite: String? = nil) throws {
    guard got.requiresGrad else {
        throw CheckFailure("gradient missing: no gradient flows from \(what) back to \(inputs[0].name); "
                           + "build it from tensor ops on its inputs (not from .values, nor inside withoutGradients)")
    }
    var random = SeededGenerator(seed: 99)
    let weights = Tensor.randomNormal(expected.shape, using: &random)
    let (gotScalar, expectedScalar) = got.count == 1 && expected.count == 1
        ? (got.sum(), expected.sum()) : ((got * weights).sum(), (expected * weights).sum())
    let gotGradients = gradients(of: gotScalar, wrt: inputs.map(\.tensor))
    let expectedGradients = gradients(of: expectedScalar, wrt: inputs.map(\.tensor))
    for (input, (g, e)) in zip(inputs, zip(gotGradients, expectedGradients)) {
        let (a, b) = (g.values, e.values)
        if let ifNotFinite, let i = a.firstIndex(where: { !$0.isFinite }) {
            throw CheckFailure("wrong gradient: d(\(what))/d(\(input.name)) at \(position(i, in: e.shape)) is \(a[i]); \(ifNotFinite)")
        }
        if a.allSatisfy({ $0 == 0 }) && b.contains(where: { $0 != 0 }) {
            throw CheckFailure("gradient missing: the gradient of \(what) with respect to \(input.name) is zero")
        }
        for i in a.indices where !close(a[i], b[i], tolerance: tolerance) {
            throw CheckFailure("wrong gradient: d(\(what))/d(\(input.name)) at \(position(i, in: e.shape)) is \(a[i]), expected \(b[i])")
        }
    }
}

/// Fails when `theirs` is much slower than `library` doing the same work. Each is timed at
/// its best of three runs; theirs stops at the first run within the budget, or after one
/// run that is far beyond it.
func expectFast(_ what: String, theirs: () throws -> Void, library: () throws -> Void) throws {
    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
    let reference = try (0..<3).map { _ in try seconds(library) }.min()!
    // Generous: the machine may be busy, and the library may use BLAS where theirs does not.
    let budget = 10 * reference + 0.2
    var best = Double.infinity
    for _ in 0..<3 {
        best = min(best, try seconds(theirs))
        if best <= budget { return }
        if best > 3 * budget { break }
    }
    throw CheckFailure(String(format: "too slow: %@ took %.0f ms, the library's %.1f ms", what, best * 1000, reference * 1000))
}
