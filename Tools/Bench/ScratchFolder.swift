import Foundation
import Workbook

/// A temporary folder for the chapters' figures and checkpoints, and the child process
/// that is running. Removed on every way out: a normal return or a thrown error (the
/// caller's `defer`), and Ctrl-C or a termination signal, which also kill the child.
///
/// Signals are caught by the library's `SignalWatch` rather than ignored: an ignored signal
/// survives `exec`, so every child would start deaf to Ctrl-C and `kill`, while a caught one
/// is reset to its default there; and a signal is never dropped, as it could be between
/// ignoring it and a dispatch source going live. There is one ScratchFolder per process,
/// made on the main thread.
final class ScratchFolder: @unchecked Sendable {  // `child` and the folder are guarded by `lock`
    let path: String
    private let lock = NSLock()
    private var child: Process?

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gans-bench-\(getpid())").path
        SignalWatch.shared.on([SIGINT, SIGTERM, SIGHUP]) { [self] signal in stop(by: signal) }
        // A blocked signal stays pending forever, and the mask too survives `exec`. Bench
        // inherits a full one when started from a dispatch worker thread (as Swift Testing
        // does), so this thread, which starts the children, clears it.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        pthread_sigmask(SIG_SETMASK, &noSignals, nil)
        // Only now, with every signal sure to reach `stop`, is there a folder to clean up.
        try lock.withLock { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
    }

    func remove() { lock.withLock { try? FileManager.default.removeItem(atPath: path) } }

    /// Kills the child, removes the folder and ends the process with the shell's status for
    /// a signal. The lock is never released, so the main thread cannot start another child,
    /// or finish with a status of its own, while this runs: it blocks in `remove` or
    /// `msPerStep`, which every way out of Bench passes through, until `_exit` ends it.
    private func stop(by signalNumber: Int32) {
        lock.lock()
        if let running = child {
            kill(running.processIdentifier, SIGKILL)
            // Until it has died; WNOWAIT leaves reaping it to Process (ECHILD if it already has).
            var info = siginfo_t()
            while waitid(P_PID, id_t(running.processIdentifier), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        }
        try? FileManager.default.removeItem(atPath: path)
        print("\nbench: stopped by signal \(signalNumber)")
        fflush(nil)
        _exit(128 + signalNumber)  // not `exit`: no atexit handlers racing the other threads
    }

    /// Runs a command and returns the ms/step of its `summary:` line, or nil if it fails.
    func msPerStep(_ arguments: [String]) -> Double? { summary(arguments)?.msPerStep }

    /// The `summary:` line that a run of `arguments` prints last, and its ms/step.
    func summary(_ arguments: [String]) -> (msPerStep: Double, line: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try lock.withLock {
                try process.run()
                child = process
            }
        } catch { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        lock.withLock { child = nil }
        guard process.terminationStatus == 0,
              let line = output.split(separator: "\n").last(where: { $0.hasPrefix("summary:") }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix("ms/step=") }),
              let ms = Double(field.dropFirst("ms/step=".count)) else { return nil }
        return (ms, String(line))
    }
}
