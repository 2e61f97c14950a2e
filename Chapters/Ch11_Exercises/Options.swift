import ArgumentParser
import ExerciseChecks
import Foundation
import Solutions

// The command line of Ch11_Exercises: `list`, `check [TASK…]` (the default), and a hidden
// `check-task` that the checker runs in a child process for each task.

/// What the command line asks for.
enum Request {
    case list
    case check(tasks: [ExerciseTask], solutions: Bool, figureFolder: String?, json: Bool, junitFile: String?)
    case checkTask(ExerciseTask, solutions: Bool)
}

/// The command line, parsed where it is first used.
let request: Request = {
    do {
        var command = try ExercisesCommand.parseAsRoot()
        switch command {
        case is List:
            return .list
        case let check as Check:
            let tasks = check.tasks.isEmpty ? exerciseTasks : check.tasks.compactMap(task(named:))
            return .check(tasks: tasks, solutions: check.solutions || check.quick,
                          figureFolder: check.out ?? (check.quick ? "figures" : nil), json: check.json, junitFile: check.junit)
        case let one as CheckTask:
            return .checkTask(task(named: one.task)!, solutions: one.solutions)
        default:  // `help`, `--help`: ArgumentParser's own command prints the help
            try command.run()
            exit(0)
        }
    } catch {
        let code = ExercisesCommand.exitCode(for: error)
        if code == .success {
            print(ExercisesCommand.fullMessage(for: error))
            exit(0)
        }
        let message = ExercisesCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("error: \(message) — see --help\n".utf8))
        exit(code.rawValue)
    }
}()

/// This executable, which `check` runs again for each task.
let thisProgram = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])

struct ExercisesCommand: ParsableCommand {
    static let configuration = CommandConfiguration.chapter(
        "Ch11_Exercises", "Check your solutions to the chapter's exercises (the starter code is in Sources/Exercises).",
        subcommands: [Check.self, List.self, CheckTask.self],
        defaultSubcommand: Check.self)
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the tasks.")
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check tasks: pass, fail (with a hint) or not started. Exits 0 only if all of them pass.")

    @Argument(help: "Tasks to check, by name (default: all; `list` shows them).")
    var tasks: [String] = []

    @Flag(help: "Check the reference solutions (Sources/Solutions) instead of your code.")
    var solutions = false

    @Option(help: "Folder for a summary figure of the results (none unless given).")
    var out: String?

    @Flag(help: "Print the results as one JSON object (each task's result, hint and output) instead of the report lines.")
    var json = false

    @Option(help: ArgumentHelp("Also write the results as JUnit XML to this file, for CI servers and grading tools.",
                               valueName: "file"))
    var junit: String?

    @Flag(help: "A smoke run for tests and CI: check the reference solutions and draw the figure (in --out, default figures).")
    var quick = false

    func validate() throws {
        if (solutions || quick) && !solutionsIncluded {
            throw ValidationError("this copy of the workbook has no reference solutions; check your own code with `check`")
        }
        for name in tasks where task(named: name) == nil {
            throw ValidationError("no task '\(name)'; the tasks are \(exerciseTasks.map(\.name).joined(separator: ", "))")
        }
    }
}

/// Checks one task in this process and prints its result line (what `check` runs per task).
struct CheckTask: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-task", shouldDisplay: false)

    @Argument var task: String
    @Flag var solutions = false

    func validate() throws {
        guard ExerciseChecks.task(named: task) != nil else { throw ValidationError("no task '\(task)'") }
    }
}
