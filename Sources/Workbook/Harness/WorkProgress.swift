import Foundation

/// Progress of one long stage (a training run, embedding 10,000 images, KID subsets): a
/// live bar with ETA on a terminal, a line per tenth otherwise (logs and pipes).
public struct WorkProgress {
    public let label: String
    public let total: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = ContinuousClock.now
    private var lastPrint = ContinuousClock.now
    private var lastTenth = -1

    public init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
    }

    /// Reports `done` of `total` units, with an optional note (e.g. the current loss).
    public mutating func update(_ done: Int, note: String = "") {
        let fraction = Double(min(done, total)) / Double(total)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let remaining = fraction > 0 ? seconds * (1 - fraction) / fraction : .infinity
        let status = "\(label) \(done)/\(total)  ETA \(Self.clock(remaining))\(note.isEmpty ? "" : "  " + note)"
        if isTerminal {
            let now = ContinuousClock.now
            guard done >= total || now - lastPrint > .milliseconds(100) else { return }
            lastPrint = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            print("\r\u{1B}[2K\(bar) \(Int(fraction * 100))%  \(status)", terminator: done >= total ? "\n" : "")
        } else {
            let tenth = Int(fraction * 10)
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            print("[\(Int(fraction * 100))%] \(status)")
        }
        fflush(nil)
    }

    /// Ends a live bar's line, so that a message printed next starts on a line of its own.
    public func interrupt() {
        if isTerminal { print("") }
    }

    private static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
