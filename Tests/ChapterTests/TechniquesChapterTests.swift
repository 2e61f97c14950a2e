import Foundation
import Testing

@Suite("Ch11_3_Techniques end to end", .serialized)
struct TechniquesChapterTests {
    @Test(.enabled(if: ChapterTests.fashionMNIST, "needs Debian's dataset-fashion-mnist"))
    func quickRunOfASubsetWritesTableAndFigures() throws {
        // A study without checkpoints: only --out.
        let folder = try newTemporaryFolder()
        let run = try runChapter("Ch11_3_Techniques", ["--quick", "--techniques", "baseline,spectral-norm,feature-matching",
                                                       "--out", folder.path], in: folder, outputFlags: false)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.exists("ch11_3_techniques_samples.png"))
        #expect(run.exists("ch11_3_techniques_scores.png"))
        let table = try String(decoding: run.bytes("ch11_3_techniques_table.md"), as: UTF8.self)
        #expect(table.contains("| spectral norm |") && table.contains("| feature matching |"))
        #expect(!table.contains("| label smoothing |"))
        #expect(run.output.contains("summary: chapter=ch11_3_techniques techniques=3 steps=4"))
    }

    @Test func unknownTechniqueIsOneLineError() throws {
        let run = try runChapter("Ch11_3_Techniques", ["--quick", "--techniques", "baseline,dropout"], outputFlags: false)
        #expect(run.status != 0)
        #expect(run.errors.hasPrefix("error: unknown technique 'dropout'"))
        #expect(run.errors.split(separator: "\n").count == 1)
    }
}
