/*:
 # Exercises you can check

 Each task of the exercises is one function in `Sources/Exercises`, shipped as a stub
 that throws `NotImplementedYet`. Write it, then ask the checker:

     swift run Ch11_Exercises list                   the tasks
     swift run Ch11_Exercises check TASK…            your code: pass, fail with a hint, or not started
     swift run Ch11_Exercises check --solutions      the same checks on the reference solutions

 A check compares your function with the library's own version on random inputs,
 values and gradients, and measures what a test of numbers cannot see (an initialisation,
 a speed). Each task names the original chapter's bug it must not repeat; its check
 catches that bug.
 */
import ExerciseChecks
import Exercises
import Foundation
import Solutions
import Workbook

switch request {
case .list:
    for task in exerciseTasks {
        print("\(task.exercise)  \(task.name.padding(toLength: 20, withPad: " ", startingAt: 0))\(task.summary)")
    }

case .check(let tasks, let solutions, let figureFolder):
    // Each task runs in a child process: a crash in one task's code fails that task only.
    let reports = tasks.map { task in
        let report = checkInChildProcess(task, executable: thisProgram,
                                         arguments: ["check-task", task.name] + (solutions ? ["--solutions"] : []))
        print(reportLine(report))
        return report
    }
    if let figureFolder {
        let whose = solutions ? "the reference solutions" : "your code"
        orExit { try summaryFigure(reports, of: whose).write(to: "\(figureFolder)/\(summaryFigureName)") }
    }
    print(summaryLine(reports))
    exit(reports.allSatisfy { $0.outcome == .passed } ? 0 : 1)

case .checkTask(let task, let solutions):
    checkForParentProcess(task, on: solutions ? referenceAnswers : yourAnswers)
}
