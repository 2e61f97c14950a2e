import Foundation
import Testing
@testable import Workbook

/// The per-class match of the conditional GAN section: counts by hand.
@Suite("Class match")
struct ClassMatchTests {
    let names = ["A", "B", "C"]

    @Test func ratesAndMistakesAreCountedPerClass() throws {
        // A: 3 of 4 right, once taken for C; B: 1 of 2, once for A; C: 2 of 2.
        let match = try ClassMatch(meant: [0, 0, 0, 0, 1, 1, 2, 2], named: [0, 0, 2, 0, 1, 0, 2, 2], classNames: names)
        #expect(match.rate(of: 0) == 0.75)
        #expect(match.rate(of: 1) == 0.5)
        #expect(match.rate(of: 2) == 1)
        #expect(match.overall == 6.0 / 8)
        #expect(match.commonestMistake(for: 0)?.named == 2)
        #expect(match.commonestMistake(for: 0)?.fraction == 0.25)
        #expect(match.commonestMistake(for: 1)?.named == 0)
        #expect(match.commonestMistake(for: 2) == nil)
        #expect(match.confusion == [[3, 0, 1], [1, 1, 0], [0, 0, 2]])
    }

    @Test func theTableHasOneRowPerClassAndTheBaseline() throws {
        let generated = try ClassMatch(meant: [0, 1, 2, 2], named: [0, 0, 2, 1], classNames: names)
        let real = try ClassMatch(meant: [0, 1, 2], named: [0, 1, 2], classNames: names)
        let rows = ClassMatch.table(generated: generated, real: real).split(separator: "\n")
        #expect(rows.count == 2 + names.count + 1)
        #expect(rows[3] == "| B | 0% | 100% | A (100%) |")
        #expect(rows[4] == "| C | 50% | 100% | B (50%) |")
        #expect(rows.last == "| **all** | 50% | 100% | |")
    }

    @Test func mismatchedOrOutOfRangeLabelsAreRefused() {
        #expect(throws: EvaluationError.self) { try ClassMatch(meant: [0, 1], named: [0], classNames: names) }
        #expect(throws: EvaluationError.self) { try ClassMatch(meant: [0, 3], named: [0, 1], classNames: names) }
        #expect(throws: EvaluationError.self) { try ClassMatch(meant: [], named: [], classNames: names) }
    }
}
