import Foundation

/// Progress of one long stage (a training run, embedding 10,000 images, KID subsets): a
/// live bar with ETA on a terminal, fitted to its width, optionally with a few lines drawn
/// above it (the training samples); a line per tenth otherwise (logs and pipes).
public struct WorkProgress {
    public let label: String
    public let total: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = ContinuousClock.now
    private var lastPrint = ContinuousClock.now
    private var lastTenth = -1
    private var status = ""
    /// Lines of the preview now on the screen above the live line (0 once the line has ended).
    private var previewLines = 0

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
    }

    /// Reports `done` of `total` units, with an optional note (e.g. the current loss). The
    /// note's fields are separated by two spaces and come in order of importance: where the
    /// terminal is too narrow for all of them, the last ones are left out.
    public mutating func update(_ done: Int, note: String = "") {
        let fraction = Double(min(done, total)) / Double(total)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let remaining = fraction > 0 ? seconds * (1 - fraction) / fraction : .infinity
        let fields = ["\(label) \(done)/\(total)", "ETA \(Self.clock(remaining))"]
            + note.components(separatedBy: "  ").filter { !$0.isEmpty }
        if isTerminal {
            let now = ContinuousClock.now
            guard done >= total || now - lastPrint > .milliseconds(100) else { return }
            lastPrint = now
            status = Self.statusLine(fraction: fraction, fields: fields, columns: Terminal.current?.columns ?? 80)
            print("\r\u{1B}[2K\(status)", terminator: done >= total ? "\n" : "")
            if done >= total { previewLines = 0 }
        } else {
            let tenth = Int(fraction * 10)
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            print("[\(Int(fraction * 100))%] \(fields.joined(separator: "  "))")
        }
        fflush(nil)
    }

    /// Draws `lines` above the live line in place of the ones drawn before (on a terminal only).
    public mutating func show(preview lines: [String]) {
        guard isTerminal else { return }
        print(Self.redraw(preview: lines, replacing: previewLines, status: status), terminator: "")
        previewLines = max(lines.count, previewLines)
        fflush(nil)
    }

    /// Ends a live bar's line, so that a message printed next starts on a line of its own.
    public mutating func interrupt() {
        guard isTerminal else { return }
        print("")
        previewLines = 0
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
