@testable import ExerciseChecks
import ExerciseKit
import Exercises
import Foundation
import NN
import Solutions
import Tensor
import Testing

// Each check must be able to pass (on the reference solutions) and to fail: on the
// starter code as "not started", and on a planted copy of the original chapter's bug
// with a hint that names it.

@Suite("Exercise checks", .serialized)
struct ExerciseCheckTests {
    @Test("pass on the reference solutions", .enabled(if: solutionsIncluded), arguments: exerciseTasks.map(\.name))
    func passesOnSolutions(_ name: String) throws {
        let report = check(try #require(task(named: name)), on: referenceAnswers)
        #expect(report.outcome == .passed)
        #expect(report.checksPassed == task(named: name)?.checks)
    }

    @Test("report the starter code as not started", arguments: exerciseTasks.map(\.name))
    func starterIsNotStarted(_ name: String) throws {
        let report = check(try #require(task(named: name)), on: yourAnswers)
        #expect(report.outcome == .notStarted)
    }

    @Test("fail on a planted bug, with a hint naming it", .enabled(if: solutionsIncluded), arguments: plantedBugs)
    func catchesPlantedBug(_ bug: PlantedBug) throws {
        var answers = referenceAnswers
        bug.plant(&answers)
        let report = check(try #require(task(named: bug.task)), on: answers)
        guard case .failed(let hint) = report.outcome else {
            Issue.record("\(bug.task) passed with \(bug.description)")
            return
        }
        #expect(hint.contains(bug.hint), "hint: \(hint)")
    }

    @Test("a copy without the solutions checks every task as not started")
    func unwrittenIsNotStarted() {
        for task in exerciseTasks { #expect(check(task, on: .unwritten).outcome == .notStarted) }
    }

    @Test("the book's text gives every task its check command")
    func docsNameEveryCheck() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Chapters/Ch11_Exercises/main.swift")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let commands = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("swift run Ch11_Exercises check ") }
        for task in exerciseTasks {
            #expect(commands.contains { $0.split(separator: " ").contains(Substring(task.name)) }, "no check command for \(task.name)")
        }
    }

    @Test("every task has a planted bug")
    func everyTaskIsChallenged() {
        #expect(Set(plantedBugs.map(\.task)) == Set(exerciseTasks.map(\.name)))
    }

    @Test("a task's result survives the trip from its child process")
    func resultLineRoundTrip() throws {
        let report = TaskReport(task: "gradient-penalty", outcome: .failed(hint: "wrong\tvalue\nhere"), checksPassed: 1, seconds: 0.5)
        let child = try shellScript("printf '%s\\n' 'a student print' '\(resultLine(report))'")
        let back = checkInChildProcess(try #require(task(named: "gradient-penalty")), executable: child.executable, arguments: child.arguments)
        #expect(back.outcome == .failed(hint: "wrong value here"))
        #expect(back.checksPassed == 1)
    }

    @Test("a task that does not finish is stopped and fails")
    func runawayTaskIsStopped() throws {
        let child = try shellScript("exec sleep 20")
        let start = Date()
        let report = checkInChildProcess(try #require(task(named: "inception-score")), executable: child.executable,
                                         arguments: child.arguments, timeLimit: 0.3)
        #expect(report.outcome == .failed(hint: "too slow: still running after 0 s, so it was stopped; is there a loop that never ends?"))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("a crash in a task's code fails that task with the runtime's message")
    func crashBecomesFailure() throws {
        let child = try shellScript("echo 'Shape.swift:12: Fatal error: cannot reshape [2] to [3]' >&2; kill -SEGV $$")
        let report = checkInChildProcess(try #require(task(named: "generator-input")), executable: child.executable, arguments: child.arguments)
        #expect(report.outcome == .failed(hint: "crashed (signal 11): Shape.swift:12: Fatal error: cannot reshape [2] to [3]"))
    }
}

@Suite("Exercise checks: crash reports")
struct CrashReportTests {
    /// What Swift's backtracer writes when a tensor op's precondition fails in a student's
    /// function (an optimised build: no message, so the frames have to say it).
    static let backtrace = """

        *** Signal 4: Backtracing from 0x5643940c6af5... done ***

        *** Swift runtime failure: precondition failure ***

        Thread 0 "Ch11_Exercises" crashed:

          0 [inlined] [system] 0x00005643940c6af5 Swift runtime failure: precondition failure in Ch11_Exercises at //<compiler-generated>
          1 [inlined]          0x00005643940c6af5 specialized Sequence.allSatisfy(_:) in Ch11_Exercises at /w/Sources/Tensor/Shape.swift:75:13
          2                    0x00005643940c6af5 specialized static Tensor.concatenate(_:alongAxis:) + 277 in Ch11_Exercises at /w/Sources/Tensor/Shape.swift:75:13
          3 [ra]               0x000056439409a86d generatorInput(noise:labels:classes:) + 284 in Ch11_Exercises at /w/Sources/Exercises/Ex11_3_Conditioning.swift:14:19
          4 [ra]               0x000056439408ae50 checkGeneratorInput(_:_:) + 255 in Ch11_Exercises at /w/Sources/ExerciseChecks/Check11_3.swift:13:27

        Backtrace took 0.48s
        """

    @Test("a backtrace names the failing op and the student's line")
    func backtraceNamesTheOpAndTheLine() {
        #expect(crashReason(fromStandardError: Self.backtrace)
                == "precondition failure in static Tensor.concatenate(_:alongAxis:), called from Sources/Exercises/Ex11_3_Conditioning.swift:14:19")
    }

    @Test("a runtime message is kept, with the op and the student's line")
    func messageIsKept() {
        #expect(crashReason(fromStandardError: "Tensor/Shape.swift:75: Fatal error: cannot concatenate [4, 3] with [4, 100] along axis 1\n" + Self.backtrace)
                == "Tensor/Shape.swift:75: Fatal error: cannot concatenate [4, 3] with [4, 100] along axis 1 in static Tensor.concatenate(_:alongAxis:), called from Sources/Exercises/Ex11_3_Conditioning.swift:14:19")
        #expect(crashReason(fromStandardError: "x.swift:3: Fatal error: boom") == "x.swift:3: Fatal error: boom")
        #expect(crashReason(fromStandardError: "") == "no message")
    }
}

private func shellScript(_ script: String) throws -> (executable: URL, arguments: [String]) {
    (URL(fileURLWithPath: "/bin/sh"), ["-c", script])
}

/// A reference solution with one task replaced by a wrong version.
struct PlantedBug: Sendable, CustomStringConvertible {
    let task: String
    let description: String
    /// A phrase the failure's hint must contain.
    let hint: String
    let plant: @Sendable (inout ExerciseAnswers) -> Void
}

let plantedBugs: [PlantedBug] = [
    PlantedBug(task: "discriminator-loss", description: "log of sigmoid (the original chapter)", hint: "sigmoid().log()") {
        $0.discriminatorLoss = { real, fake in -real.sigmoid().log().mean() - (1 - fake.sigmoid()).log().mean() }
    },
    PlantedBug(task: "discriminator-loss", description: "a loss computed from the values", hint: "gradient missing") {
        $0.discriminatorLoss = { real, fake in
            let value = try referenceAnswers.discriminatorLoss(real, fake).item
            return Tensor(value)
        }
    },
    PlantedBug(task: "generator-loss", description: "log of sigmoid (the original chapter)", hint: "sigmoid().log()") {
        $0.generatorLoss = { fake in -fake.sigmoid().log().mean() }
    },
    PlantedBug(task: "generator-loss", description: "the saturating loss", hint: "saturating") {
        $0.generatorLoss = { fake in -fake.softplus().mean() }
    },
    PlantedBug(task: "generator-block", description: "the default initialisation (the original chapter)", hint: "default uniform") {
        $0.generatorBlock = { input, output, weights in
            Sequential(ConvTranspose2d(input, output, kernelSize: 4, stride: 2, padding: 1, bias: false, using: &weights),
                       BatchNorm(output), Activation.relu)
        }
    },
    PlantedBug(task: "generator-block", description: "kernel 3", hint: "wrong shape") {
        $0.generatorBlock = { input, output, weights in
            let block = Sequential(ConvTranspose2d(input, output, kernelSize: 3, stride: 2, padding: 1, bias: false, using: &weights),
                                   BatchNorm(output), Activation.relu)
            initializeDCGAN(block, using: &weights)
            return block
        }
    },
    PlantedBug(task: "generator-input", description: "the raw label appended (the original chapter)", hint: "one number") {
        $0.generatorInput = { noise, labels, _ in
            Tensor.concatenate([noise, Tensor(shape: [labels.count, 1], values: labels.map(Float.init))], alongAxis: 1)
        }
    },
    PlantedBug(task: "real-labels", description: "random labels for real images (the original chapter)", hint: "wrong label") {
        $0.realDiscriminatorInput = { images, labels, batch, classes in
            var random = SeededGenerator(seed: 7)
            let randomLabels = labels.map { _ in Int(random.next() % UInt64(classes)) }
            return try referenceAnswers.realDiscriminatorInput(images, randomLabels, batch, classes)
        }
    },
    PlantedBug(task: "weight-clipping", description: "clipping a copy (the original chapter)", hint: "did not change") {
        $0.clipWeights = { critic, limit in
            for var parameter in critic.parameters { parameter = parameter.clamped(to: -limit...limit); _ = parameter }
        }
    },
    PlantedBug(task: "weight-clipping", description: "weights clipped, biases not", hint: "was not clipped") {
        $0.clipWeights = { critic, limit in
            for (name, parameter) in critic.namedParameters where name.hasSuffix("weight") {
                parameter.assign(parameter.clamped(to: -limit...limit))
            }
        }
    },
    PlantedBug(task: "gradient-penalty", description: "no graph for the inner gradient (the original chapter)", hint: "gradient missing") {
        $0.gradientPenalty = { critic, real, fake, epsilon in
            let points = (epsilon * real + (1 - epsilon) * fake).detached().requiringGradient()
            let slopes = gradients(of: critic(points).sum(), wrt: [points], createGraph: false)[0]
            return ((slopes.reshaped([points.shape[0], -1]).squared().sum(alongAxes: 1) + 1e-12).sqrt() - 1).squared().mean()
        }
    },
    PlantedBug(task: "gradient-penalty", description: "the norm along axis 1 only", hint: "axis 1") {
        $0.gradientPenalty = { critic, real, fake, epsilon in
            let points = (epsilon * real + (1 - epsilon) * fake).detached().requiringGradient()
            let slopes = gradients(of: critic(points).sum(), wrt: [points], createGraph: true)[0]
            return ((slopes.squared().sum(alongAxes: 1) + 1e-12).sqrt() - 1).squared().mean()
        }
    },
    PlantedBug(task: "frechet-distance", description: "elementwise square root of Σa Σb (the original chapter)",
               hint: "matrix square root") {
        $0.frechetDistance = { meanA, covarianceA, meanB, covarianceB in
            let d = meanA.count
            var distance = zip(meanA, meanB).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            for i in 0..<d {
                let productEntry = (0..<d).reduce(0) { $0 + covarianceA[i * d + $1] * covarianceB[$1 * d + i] }
                distance += covarianceA[i * d + i] + covarianceB[i * d + i] - 2 * productEntry.squareRoot()
            }
            return distance
        }
    },
    PlantedBug(task: "inception-score", description: "the marginal of each image alone (the original chapter)",
               hint: "not each image's own") {
        $0.inceptionScore = { rows in
            exp(rows.reduce(0) { total, row in
                total + row.reduce(0) { $0 + ($1 > 0 ? $1 * (log($1) - log($1)) : 0) }
            } / Double(rows.count))
        }
    },
]

@Suite("Exercise checks: the training run", .enabled(if: solutionsIncluded))
struct PenaltyTrainingTests {
    @Test("a critic trained without a working penalty fails the training check")
    func untrainedPenaltyFails() {
        var answers = referenceAnswers
        answers.gradientPenalty = { _, _, _, _ in Tensor(0) }
        #expect(throws: (any Error).self) { try expectPenaltyTrainsCritic(answers) }
    }

    @Test("the reference penalty passes it")
    func referencePenaltyPasses() throws {
        try expectPenaltyTrainsCritic(referenceAnswers)
    }
}

@Suite("Exercise checks: machine-readable results", .serialized)
struct MachineReadableResultsTests {
    @Test("a planted bug fails its task alone, in the JSON and in the JUnit XML, and the exit status is 1",
          .enabled(if: solutionsIncluded))
    func plantedBugResults() throws {
        let bug = try #require(plantedBugs.first { $0.task == "generator-input" })
        var answers = referenceAnswers
        bug.plant(&answers)
        let reports = exerciseTasks.map { check($0, on: answers) }
        let results = CheckResults(reports, checked: "your code")
        let decoded = try JSONDecoder().decode(CheckResults.self, from: Data(results.json().utf8))
        #expect(decoded.tasks.map(\.task) == exerciseTasks.map(\.name))
        for task in decoded.tasks {
            #expect(task.result == (task.task == bug.task ? "failed" : "passed"), "\(task.task): \(task.hint ?? "")")
        }
        #expect(decoded.tasks.first { $0.task == bug.task }?.hint?.contains(bug.hint) == true)
        #expect(decoded.summary == CheckResults.Summary(tasks: 9, passed: 8, failed: 1, notStarted: 0,
                                                        seconds: results.summary.seconds, exitStatus: 1))
        #expect(exitStatus(of: reports) == 1)

        let xml = junitXML(results)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == 9)
        #expect(xml.contains("<testsuites name=\"Ch11_Exercises\" tests=\"9\" failures=\"1\""))
        let failing = try #require(xml.components(separatedBy: "<testcase ").first { $0.contains("name=\"\(bug.task)\"") })
        #expect(failing.contains("<failure type=\"failed\" message=\"\(xmlEscaped(try #require(decoded.tasks.first { $0.task == bug.task }?.hint)))\""))
        #expect(xml.components(separatedBy: "<failure").count - 1 == 1)
    }

    @Test("starters: every task not started, a failure in JUnit, exit status 1")
    func starterResults() throws {
        let results = CheckResults(exerciseTasks.map { check($0, on: yourAnswers) }, checked: "your code")
        #expect(results.tasks.allSatisfy { $0.result == "not-started" && $0.hint == nil })
        #expect(results.summary.notStarted == 9 && results.summary.exitStatus == 1)
        #expect(junitXML(results).components(separatedBy: "<failure type=\"not-started\"").count - 1 == 9)
    }

    @Test("XML escaping leaves no markup and no character XML forbids")
    func escaping() {
        #expect(xmlEscaped("a < b && c > \"d\" 'e'") == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;")
        #expect(xmlEscaped("bell\u{07} tab\t line\n") == "bell\u{FFFD} tab&#9; line&#10;")
    }

    @Test("what a task printed is kept beside its result")
    func outputIsKept() throws {
        let report = TaskReport(task: "inception-score", outcome: .passed, checksPassed: 4, seconds: 0.1)
        let child = try shellScript("printf '%s\\n' 'hello <world>' '\(resultLine(report))'")
        let back = checkInChildProcess(try #require(task(named: "inception-score")), executable: child.executable, arguments: child.arguments)
        #expect(back.output == ["hello <world>"])
        #expect(outputLines(back) == ["  [inception-score] hello <world>"])
        #expect(junitXML(CheckResults([back], checked: "x")).contains("<system-out>hello &lt;world&gt;</system-out>"))
    }

    @Test("a shape mismatch in a task's code crashes with the shapes in its message, which the hint keeps")
    func shapeCrashKeepsItsMessage() async throws {
        let result = try #require(await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var answers = yourAnswers
            answers.generatorInput = { noise, _, classes in
                Tensor.concatenate([noise, Tensor.zeros([noise.shape[0] + 1, classes])], alongAxis: 1)
            }
            _ = check(task(named: "generator-input")!, on: answers)
        })
        let hint = crashReason(fromStandardError: String(decoding: result.standardErrorContent, as: UTF8.self))
        #expect(hint.contains("Fatal error: cannot concatenate ["), "hint: \(hint)")
        #expect(hint.contains("along axis 1"), "hint: \(hint)")
    }
}
