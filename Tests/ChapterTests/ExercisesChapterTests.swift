import Foundation
import Testing

/// `Ch11_Exercises` as a student and CI run it.
@Suite("The exercise checker runs end to end", .serialized)
struct ExercisesChapterTests {
    /// Whether the reference solutions are in this copy (a hand-out has a stub instead).
    static let solutionsIncluded = (try? String(contentsOf: URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("../../Sources/Solutions/Solutions.swift"), encoding: .utf8))?
        .contains("solutionsIncluded = true") == true

    /// CI's smoke run: `--quick --out DIR` checks the reference solutions and draws the figure.
    @Test(.enabled(if: solutionsIncluded)) func quickRunChecksTheSolutionsAndDrawsTheFigure() throws {
        let folder = try newTemporaryFolder()
        let run = try runChapter("Ch11_Exercises", ["--quick", "--out", folder.path], in: folder, outputFlags: false)
        #expect(run.status == 0, "\(run.output)\(run.errors)")
        #expect(run.summary?.hasPrefix("summary: tasks=9 passed=9 failed=0") == true)
        #expect(run.exists("ch11_exercises_checks.png"))
    }

    /// The starters as shipped: every task "not started", exit status 1, and no crash.
    @Test func starterCodeIsNotStartedAndFailsTheRun() throws {
        let run = try runChapter("Ch11_Exercises", ["check"], outputFlags: false)
        #expect(run.status == 1)
        #expect(run.output.split(separator: "\n").filter { $0.contains("not started") }.count == 9)
        #expect(run.summary?.hasPrefix("summary: tasks=9 passed=0 failed=0 not_started=9") == true)
    }

    @Test func listNamesEveryTask() throws {
        let run = try runChapter("Ch11_Exercises", ["list"], outputFlags: false)
        #expect(run.status == 0)
        for name in ["discriminator-loss", "generator-block", "real-labels", "gradient-penalty", "inception-score"] {
            #expect(run.output.contains(name))
        }
    }

    @Test(.enabled(if: solutionsIncluded)) func namedTasksOnlyAndUnknownNamesRefused() throws {
        let some = try runChapter("Ch11_Exercises", ["check", "--solutions", "weight-clipping", "frechet-distance"], outputFlags: false)
        #expect(some.status == 0)
        #expect(some.summary?.hasPrefix("summary: tasks=2 passed=2") == true)
        let unknown = try runChapter("Ch11_Exercises", ["check", "gradient-penalties"], outputFlags: false)
        #expect(unknown.status != 0)
        #expect(unknown.errors.hasPrefix("error: no task 'gradient-penalties'"))
        #expect(unknown.errors.split(separator: "\n").count == 1)
    }

    /// `check --json` prints one JSON object and nothing else; its tasks, by name.
    func jsonTasks(_ run: ChapterRun) throws -> (summary: [String: Any], tasks: [String: [String: Any]]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        let tasks = try #require(object["tasks"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: tasks.map { (task: [String: Any]) in (task["task"] as? String ?? "", task) })
        #expect(byName.count == 9)
        return (try #require(object["summary"] as? [String: Any]), byName)
    }

    @Test func jsonOnTheStartersSaysNotStartedAndExits1() throws {
        let run = try runChapter("Ch11_Exercises", ["check", "--json"], outputFlags: false)
        #expect(run.status == 1)
        let (summary, tasks) = try jsonTasks(run)
        #expect(tasks.values.allSatisfy { $0["result"] as? String == "not-started" })
        #expect(summary["not_started"] as? Int == 9 && summary["exit_status"] as? Int == 1)
    }

    @Test(.enabled(if: solutionsIncluded)) func jsonAndJUnitOnTheSolutionsPassAndExit0() throws {
        let folder = try newTemporaryFolder()
        let junit = folder.appendingPathComponent("results.xml")
        let run = try runChapter("Ch11_Exercises", ["check", "--solutions", "--json", "--junit", junit.path], outputFlags: false)
        #expect(run.status == 0, "\(run.errors)")
        let (summary, tasks) = try jsonTasks(run)
        #expect(tasks.values.allSatisfy { $0["result"] as? String == "passed" && $0["checks_passed"] as? Int == $0["checks"] as? Int })
        #expect(summary["passed"] as? Int == 9 && summary["exit_status"] as? Int == 0)
        let xml = try String(contentsOf: junit, encoding: .utf8)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 9)
        #expect(!xml.contains("<failure"))
    }

    @Test(.enabled(if: solutionsIncluded)) func theHiddenOneTaskCommandExitsWithItsResult() throws {
        let starter = try runChapter("Ch11_Exercises", ["check-task", "generator-loss"], outputFlags: false)
        #expect(starter.status == 1)
        #expect(starter.output.contains("result\tgenerator-loss\tnot-started"))
        let solution = try runChapter("Ch11_Exercises", ["check-task", "generator-loss", "--solutions"], outputFlags: false)
        #expect(solution.status == 0)
    }
}
