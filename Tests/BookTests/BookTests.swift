import Foundation
import Testing
@testable import Book

/// The repository's root folder (this file is Tests/BookTests/BookTests.swift).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite("book.md is generated from Docs/ and the sources")
struct BookTests {
    @Test func bookIsUpToDate() throws {
        let expected = try BookBuilder(root: repositoryRoot).build()
        let current = try String(contentsOf: repositoryRoot.appendingPathComponent("book.md"), encoding: .utf8)
        #expect(current == expected, "book.md is stale: run `swift run BookTool`")
    }

    @Test func everyLinkedFigureExists() throws {
        let book = try String(contentsOf: repositoryRoot.appendingPathComponent("book.md"), encoding: .utf8)
        let figures = BookBuilder.figureReferences(in: book)
        #expect(!figures.isEmpty)
        for figure in figures {
            #expect(FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent(figure).path),
                    "book.md links \(figure), which does not exist")
        }
    }

    /// A committed picture is one the book shows. (A run also writes per-epoch grids,
    /// animations and extra plots into figures/; those stay out of git, see .gitignore.)
    @Test func everyCommittedFigureIsLinkedFromTheBook() throws {
        let book = try String(contentsOf: repositoryRoot.appendingPathComponent("book.md"), encoding: .utf8)
        let linked = Set(BookBuilder.figureReferences(in: book))
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", repositoryRoot.path, "ls-files", "figures"]
        let pipe = Pipe()
        git.standardOutput = pipe
        try git.run()
        let listing = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        git.waitUntilExit()
        try #require(git.terminationStatus == 0, "git ls-files failed: the test needs a git checkout")
        let pictures = listing.split(separator: "\n").map(String.init).filter { $0.hasSuffix(".png") || $0.hasSuffix(".gif") }
        #expect(!pictures.isEmpty)
        let unlinked = pictures.filter { !linked.contains($0) }.sorted()
        #expect(unlinked.isEmpty, """
            \(unlinked.count) committed figures that book.md does not link (link them or do not commit them):
            \(unlinked.joined(separator: "\n"))
            """)
    }

    @Test func excerptsDropHiddenLinesAndIndentation() throws {
        let source = """
            func f() {
                // snippet.demo
                let a = 1
                // snippet.hide
                let secret = 2
                // snippet.show
                let b = a + 1
                // snippet.end
            }
            """
        #expect(try BookBuilder.excerpt(named: "demo", in: source, path: "x.swift") == ["let a = 1", "// …", "let b = a + 1"])
        #expect(throws: BookError.self) { try BookBuilder.excerpt(named: "missing", in: source, path: "x.swift") }
    }

    @Test func chapterSourcesRenderAsProseAndListings() throws {
        let source = """
            /*:
             ## A section

             Prose, with an include:
             <!-- snippet: lib.swift#step -->
             */
            import Workbook
            // snippet.hide
            let plumbing = 1
            // snippet.show
            // snippet.shown-elsewhere
            let taught = 2
            // snippet.end
            //: A line of prose
            //: and its second line.
            // snippet.hide
            let onlyHidden = 3
            // snippet.show

            /*: Closing words. */
            """
        let rendered = try BookBuilder.renderPlayground(source, path: "main.swift")
        #expect(rendered == """
            ## A section

            Prose, with an include:
            <!-- snippet: lib.swift#step -->

            ```swift
            import Workbook
            // …
            let taught = 2
            ```

            A line of prose
            and its second line.

            Closing words.

            """)
    }

    /// A hidden region shows as `// …` at the depth of the code around it, so that a block
    /// whose body is hidden does not read as empty; a listing that is all hidden is dropped.
    @Test func hiddenRegionsShowAsAnElision() throws {
        let source = """
            /*: Prose. */
            if let run {
                // snippet.hide
                run.finish()
                // snippet.show
            }
            let value = compute(1,
                                2)
            // snippet.hide
            use(value)
            // snippet.show
            /*: More prose. */
            // snippet.hide
            let onlyHidden = 3
            // snippet.show
            """
        let rendered = try BookBuilder.renderPlayground(source, path: "main.swift")
        #expect(rendered.contains("if let run {\n    // …\n}\n"))
        #expect(rendered.contains("2)\n") && rendered.contains("// …\n```"))
        #expect(!rendered.contains("onlyHidden") && rendered.components(separatedBy: "```swift").count == 2)
        #expect(BookBuilder.emptyListings(in: rendered).isEmpty)
    }

    @Test func emptyListingsAreFound() {
        let book = "Text\n\n```swift\n\n```\n\n```swift\nif let x {\n}\n```\n\n```swift\nlet a = 1\n```\n"
        #expect(BookBuilder.emptyListings(in: book) == ["", "if let x {\n}"])
    }

    /// No listing in the book is empty or shows a block with nothing in it.
    @Test func noRenderedListingIsEmpty() throws {
        let book = try BookBuilder(root: repositoryRoot).build()
        let empty = BookBuilder.emptyListings(in: book)
        #expect(empty.isEmpty, "book.md has empty listings or empty blocks:\n\(empty.joined(separator: "\n---\n"))")
    }

    @Test func proseThatWouldNestACommentIsRefused() {
        // `figures/*.png` inside a Swift block comment opens a nested comment.
        let source = "/*:\n See figures/*.png.\n */\nlet x = 1\n"
        #expect(throws: BookError.self) { try BookBuilder.renderPlayground(source, path: "main.swift") }
        #expect(throws: BookError.self) { try BookBuilder.renderPlayground("/*:\n never closed\n", path: "main.swift") }
    }

    /// Each chapter folder is a section of the book, and its main.swift reads as one: title
    /// and prose first, no command-line plumbing, short enough to read top to bottom.
    @Test func everyChapterIsANotebookSectionOfTheBook() throws {
        let contents = try String(contentsOf: repositoryRoot.appendingPathComponent(BookBuilder.contentsPath), encoding: .utf8)
            .split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let chapters = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Chapters").path)
            .filter { $0.hasPrefix("Ch") }
        #expect(!chapters.isEmpty)
        let manifest = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        for chapter in chapters {
            #expect(manifest.contains("\"\(chapter)\","), "Package.swift's chapters list lacks \(chapter)")
            #expect(contents.contains("Chapters/\(chapter)"), "Docs/contents.txt does not list Chapters/\(chapter)")
            let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Chapters/\(chapter)/main.swift"), encoding: .utf8)
            #expect(source.hasPrefix("/*:"), "\(chapter)/main.swift must start with its title and prose")
            for plumbing in ["ParsableCommand", "@MainActor", "parseCommandLine", "import ArgumentParser", "@Option", "@Flag"] {
                #expect(!source.contains(plumbing), "\(chapter)/main.swift contains \(plumbing): options belong in Options.swift")
            }
            #expect(BookBuilder.codeLineCount(source) <= 120, "\(chapter)/main.swift has more than 120 lines of code")
        }
    }

    @Test func codeLinesLeaveOutProseAndBlankLines() {
        #expect(BookBuilder.codeLineCount("/*:\n # Title\n prose\n */\nlet a = 1\n\n//: more prose\nlet b = 2\n") == 2)
    }

    @Test func figureLinksAreFound() {
        let text = "See ![grid](figures/a.png) and [plot](figures/b_c.png), not (figures/x.png)."
        #expect(BookBuilder.figureReferences(in: text) == ["figures/a.png", "figures/b_c.png"])
    }
}
