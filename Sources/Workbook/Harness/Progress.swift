import Foundation

/// Training progress: a live bar with ETA and the current losses on a terminal,
/// plain periodic lines when output goes to a file or a pipe.
struct ProgressReporter {
    let total: Int
    let isTerminal = isatty(STDOUT_FILENO) != 0
    private let start = ContinuousClock.now
    private var lastPrint = ContinuousClock.now
    private var lastPlainDecile = -1

    init(total: Int) { self.total = total }

    mutating func update(step: Int, epoch: Int, msPerStep: Double, metrics: [(String, Float)]) {
        let done = step + 1
        let fraction = Double(done) / Double(max(total, 1))
        let remaining = Double(total - done) * msPerStep / 1000
        let losses = metrics.map { "\($0.0) \(formatted($0.1))" }.joined(separator: "  ")
        let status = "step \(done)/\(total)  epoch \(epoch + 1)  \(String(format: "%.1f", msPerStep)) ms/step  ETA \(clock(remaining))  \(losses)"
        if isTerminal {
            let now = ContinuousClock.now
            guard done == total || now - lastPrint > .milliseconds(100) else { return }
            lastPrint = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            print("\r\u{1B}[2K\(bar) \(Int(fraction * 100))%  \(status)", terminator: done == total ? "\n" : "")
            fflush(nil)
        } else {
            let decile = Int(fraction * 10)
            guard decile != lastPlainDecile || done == total else { return }
            lastPlainDecile = decile
            print("[\(Int(fraction * 100))%] \(status)")
            fflush(nil)
        }
    }

    func message(_ text: String) {
        if isTerminal { print("\r\u{1B}[2K", terminator: "") }
        print(text)
    }

    private func formatted(_ x: Float) -> String { String(format: abs(x) >= 100 ? "%.1f" : "%.4f", x) }

    private func clock(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
