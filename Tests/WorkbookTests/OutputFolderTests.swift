import Testing
@testable import Workbook

/// An experiment must not replace the book's committed figures.
@Suite struct OutputFolderTests {
    @Test func aDefaultRunWritesBelowRunsNamedAfterTheChapter() {
        #expect(defaultOutputFolder(arguments: ["/x/.build/debug/Ch11_2_Minimax"]) == "runs/ch11_2_minimax")
        // Options that do not change results do not change the folder.
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--threads", "1", "--resume", "--checkpoint-dir", "c"])
            == "runs/ch11_2_minimax")
    }

    @Test func changedSettingsNameTheirOwnFolder() {
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--lr", "1e-3", "--epochs=2"])
            == "runs/ch11_2_minimax-lr-1e-3-epochs-2")
        #expect(defaultOutputFolder(arguments: ["Ch11_3_WGANGP", "--compare", "--lambda", "0.5"])
            == "runs/ch11_3_wgangp-compare-lambda-0.5")
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--data", "/home/me/mnist", "--loss", "saturating"])
            == "runs/ch11_2_minimax-loss-saturating")
        // Nothing of a value can climb out of runs/.
        #expect(defaultOutputFolder(arguments: ["Ch11_2_Minimax", "--loss", "../../etc"]) == "runs/ch11_2_minimax-loss-..-..-etc")
    }
}
