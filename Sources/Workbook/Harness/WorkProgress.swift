import Foundation

/// Progress of one long stage (a training run, embedding 10,000 images, KID subsets): a
/// live bar with ETA on a terminal, fitted to its width, optionally with a few lines drawn
/// above it (the training samples); a line per tenth otherwise (logs, pipes, `TERM=dumb`).
/// It goes to standard error, as tqdm's does, so that standard output keeps only what a
/// script reads (the `summary:` line, where files went).
public struct WorkProgress {
    public let label: String
    public let total: Int
    /// Units already done when this stage began (the step a resumed run starts from): the
    /// count shows the absolute number, the ETA is taken from the rate since the start.
    public let first: Int
    private let live = Terminal.current != nil && Terminal.allowsEscapes
    private let start = ContinuousClock.now
    private var lastPrint = ContinuousClock.now
    private var lastTenth = -1
    private var status = ""
    /// Lines of the preview now on the screen above the live line (0 once the line has ended).
    private var previewWidths: [Int] = []
    /// The terminal's width when the screen was last drawn.
    private var drawnColumns = 0
    /// The window resizes seen (SIGWINCH) when the screen was last drawn.
    private var drawnResizes = 0
    /// Whether the screen was cleared for this line (after a narrowing): the preview is then
    /// redrawn from the top left, not by moving up over it.
    private var ownsScreen = false

    public init(_ label: String, total: Int, from first: Int = 0) {
        self.label = label
        self.total = max(total, 1)
        self.first = min(max(first, 0), self.total)
        if live { Terminal.watchResizes() }
    }

    /// Reports `done` of `total` units, with an optional note (e.g. the current loss). The
    /// note's fields are separated by two spaces and come in order of importance: where the
    /// terminal is too narrow for all of them, the last ones are left out.
    public mutating func update(_ done: Int, note: String = "") {
        let fraction = Double(min(done, total)) / Double(total)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let doneHere = Double(min(done, total) - first), remainingUnits = Double(total - min(done, total))
        let remaining = doneHere > 0 ? seconds * remainingUnits / doneHere : .infinity
        let fields = ["\(label) \(done)/\(total)", "ETA \(Self.clock(remaining))"]
            + note.components(separatedBy: "  ").filter { !$0.isEmpty }
        if live {
            let now = ContinuousClock.now
            let resized = Terminal.resizes != drawnResizes
            guard done >= total || resized || now - lastPrint > .milliseconds(100) else { return }
            lastPrint = now
            let columns = Terminal.current?.columns ?? 80
            var text = clearAfterNarrowing(to: columns)
            status = Self.statusLine(fraction: fraction, fields: fields, columns: columns)
            text += "\r\u{1B}[2K\(status)" + (done >= total ? "\n" : "")
            Self.write(text)
            if done >= total { previewWidths = []; ownsScreen = false }
        } else {
            let tenth = Int(fraction * 10)
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            Self.write("[\(Int(fraction * 100))%] \(fields.joined(separator: "  "))\n")
        }
    }

    /// Draws `lines` above the live line in place of the ones drawn before (on a terminal only).
    /// `width` is how many columns each line shows (its text without the colour codes).
    /// Lines fitted to a window that has narrowed since (the resize came between fitting and
    /// drawing) are not drawn: wrapped, they would leave rows that no redraw removes.
    public mutating func show(preview fitted: [String], width: Int) {
        guard live else { return }
        let columns = Terminal.current?.columns ?? 80
        let lines = width < columns ? fitted : []
        let cleared = clearAfterNarrowing(to: columns)
        // tmux rewraps its scrollback after the program has seen the new size, and may then shift
        // the screen's rows under a relative redraw; from the top left nothing can be left over.
        let start = ownsScreen ? Self.clearScreen : ""
        Self.write(cleared + start + Self.redraw(preview: lines, replacing: ownsScreen ? 0 : previewWidths.count,
                                                 status: status))
        previewWidths = Array(repeating: width, count: lines.count)
            + previewWidths.dropFirst(lines.count).map { _ in 0 }
    }

    /// Ends a live bar's line, so that a message printed next starts on a line of its own.
    public mutating func interrupt() {
        guard live else { return }
        Self.write("\n")
        previewWidths = []
        ownsScreen = false
    }

    /// After the window narrowed, the terminal has rewrapped (or cut) every drawn line wider
    /// than it, each terminal in its own way (tmux even moves the cursor), so no count of rows
    /// to move up over is right everywhere and a partial clear leaves fragments. So the screen
    /// is cleared from the top and the live line drawn afresh; the preview comes back at its
    /// next refresh, fitted to the new width. (What was printed before the run stays in the
    /// scrollback, not on the screen.)
    private mutating func clearAfterNarrowing(to columns: Int) -> String {
        defer { drawnColumns = columns; drawnResizes = Terminal.resizes }
        guard drawnColumns > 0, columns < drawnColumns, !(previewWidths.isEmpty && status.isEmpty) else { return "" }
        previewWidths = []
        ownsScreen = true
        return Self.clearScreen
    }

    /// Cursor to the top left, then clear the whole screen.
    static let clearScreen = "\u{1B}[H\u{1B}[2J"

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The live line for a terminal `columns` wide, kept out of its last column (writing
    /// there makes some terminals wrap): the bar, the percentage, then as many of `fields`
    /// as fit, in order. The bar takes what is left, up to 24 cells; it shrinks to 10 before
    /// a field is dropped and goes only when the first three do not fit beside it.
    static func statusLine(fraction: Double, fields: [String], columns: Int) -> String {
        let width = columns - 1, smallestBar = 10, widestBar = 24
        func length(_ kept: [String]) -> Int { kept.reduce(0) { $0 + $1.count } + 2 * (kept.count - 1) }
        var kept = ["\(Int(fraction * 100))%"]
        for field in fields {
            guard length(kept + [field]) + 1 + smallestBar <= width || kept.count < 3 else { break }
            kept.append(field)
        }
        let text = kept.joined(separator: "  ")
        let barWidth = min(widestBar, width - text.count - 1)
        guard barWidth >= smallestBar else { return String(text.prefix(max(width, 1))) }
        let filled = Int(fraction * Double(barWidth))
        return String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + " " + text
    }

    /// Moves up over the `replacing` lines drawn before, draws `preview` (blank lines where it
    /// is now shorter) and the live line again below it, leaving the cursor at its end.
    static func redraw(preview: [String], replacing: Int, status: String) -> String {
        var text = replacing > 0 ? "\r\u{1B}[\(replacing)A" : "\r"
        for line in preview + Array(repeating: "", count: max(0, replacing - preview.count)) {
            text += "\u{1B}[2K" + line + "\n"
        }
        return text + "\u{1B}[2K" + status
    }

    private static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
