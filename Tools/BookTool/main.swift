// Writes book.md from the chapters' literate sources, Docs/ and the library excerpts.
//   swift run BookTool          rewrite book.md
//   swift run BookTool --check  exit 1 if book.md is stale or links a missing figure
import ArgumentParser
import Book
import Foundation
import Version

struct BookTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "BookTool",
        abstract: "Renders book.md from Chapters/*/main.swift, Docs/ and the library excerpts they include.",
        version: workbookVersion)

    @Flag(help: "Only check: exit 1 if book.md differs from what would be written, or links a missing figure.")
    var check = false

    func run() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let builder = BookBuilder(root: root)
        let book = try builder.build()
        let bookURL = root.appendingPathComponent(BookBuilder.bookPath)
        if check {
            guard (try? String(contentsOf: bookURL, encoding: .utf8)) == book else {
                throw failure("book.md is stale: run `swift run BookTool`")
            }
        } else {
            try Data(book.utf8).write(to: bookURL, options: .atomic)
            print("wrote \(BookBuilder.bookPath)")
        }
        let missing = BookBuilder.figureReferences(in: book).filter {
            !FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
        }
        guard missing.isEmpty else {
            throw failure("book.md links figures that do not exist: \(missing.joined(separator: ", "))")
        }
    }
}

/// Prints one line on standard error; the caller throws the result to exit with status 1.
func failure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return .failure
}

BookTool.main()
