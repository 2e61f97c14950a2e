import Foundation
import Testing

/// `--help` and `--version` only print: they never rewrite the book or start work.
@Suite struct ToolCommandLineTests {
    /// Runs `tool` with `arguments` in a fresh folder, as a reader in any folder would.
    func runTool(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String, folder: URL) {
        let folder = try newTemporaryFolder()
        let process = Process()
        process.executableURL = executablesFolder.appendingPathComponent(tool)
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, folder)
    }

    @Test func bookToolHelpDoesNotWriteTheBook() throws {
        let run = try runTool("BookTool", ["--help"])
        #expect(run.status == 0)
        #expect(run.output.contains("--check"))
        #expect(!FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("book.md").path))
    }

    @Test(arguments: ["BookTool", "Ch11_2_Minimax", "Ch11_5_Metrics", "Ch11_6_Applications", "Ch11_Exercises"])
    func versionNamesThePackageVersion(tool: String) throws {
        let run = try runTool(tool, ["--version"])
        #expect(run.status == 0)
        #expect(run.output.hasPrefix("0.2.0"), "\(tool) --version printed \(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: run.folder.path).isEmpty, "--version wrote files")
    }

    @Test func anUnknownBookToolOptionIsRefused() throws {
        let run = try runTool("BookTool", ["--chek"])
        #expect(run.status != 0)
    }
}
