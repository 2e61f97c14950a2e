// Writes book.md from Docs/ and the code excerpts marked in the sources.
//   swift run BookTool          rewrite book.md
//   swift run BookTool --check  exit 1 if book.md is stale or links a missing figure
import Book
import Foundation

let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let builder = BookBuilder(root: root)
do {
    let book = try builder.build()
    let bookURL = root.appendingPathComponent(BookBuilder.bookPath)
    let missing = BookBuilder.figureReferences(in: book).filter {
        !FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
    }
    if CommandLine.arguments.contains("--check") {
        let current = try? String(contentsOf: bookURL, encoding: .utf8)
        guard current == book else {
            print("book.md is stale: run `swift run BookTool`")
            exit(1)
        }
    } else {
        try Data(book.utf8).write(to: bookURL, options: .atomic)
        print("wrote \(BookBuilder.bookPath)")
    }
    if !missing.isEmpty {
        print("book.md links figures that do not exist: \(missing.joined(separator: ", "))")
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
