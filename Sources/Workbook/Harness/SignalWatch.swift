import CKernels
import Foundation

/// The process's signals, turned into calls on a thread of its own (the self-pipe trick: the
/// handler writes the signal's number to a pipe, which a thread reads). A handler may only do
/// async-signal-safe work, while what follows a signal here (save a checkpoint, kill a child,
/// remove a folder, redraw) is anything but; and a caught signal, unlike an ignored one, is
/// reset to its default in a child at `exec`, so children still hear Ctrl-C.
///
/// One watch per process. `on(_:perform:)` sets what a signal does from then on; a signal
/// with no action set ends the process at once with the shell's status for it, 128 + its
/// number (SIGQUIT too: without this, the Swift runtime answers it with a crash report).
public final class SignalWatch: @unchecked Sendable {  // `actions` is guarded by `lock`
    public static let shared = SignalWatch()

    private let lock = NSLock()
    private var actions: [Int32: @Sendable (Int32) -> Void] = [:]
    private var caught: Set<Int32> = []
    private let readEnd: Int32

    private init() {
        readEnd = gans_signal_pipe()
        guard readEnd >= 0 else { return }
        Thread { [self] in
            var number: UInt8 = 0
            while true {
                guard read(readEnd, &number, 1) == 1 else { continue }  // EINTR
                let signal = Int32(number)
                let action = lock.withLock { actions[signal] }
                if let action { action(signal) } else if signal != SIGCONT && signal != SIGWINCH { Self.exitAtOnce(signal) }
            }
        }.start()
    }

    /// Catches `signals` (if not yet caught) and has `action` run on the watch's thread for each.
    /// A nil action restores the default of this watch: exit at once (SIGCONT and SIGWINCH: nothing).
    public func on(_ signals: [Int32], perform action: (@Sendable (Int32) -> Void)?) {
        lock.withLock {
            for signal in signals {
                actions[signal] = action
                if caught.insert(signal).inserted, readEnd >= 0 { _ = gans_signal_catch(signal) }
            }
        }
    }

    /// The signals that end a run: Ctrl-C, `kill`, a closed terminal and Ctrl-\.
    public static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// How many times the process has been continued after a stop (Ctrl-Z, SIGSTOP), counted
    /// in the handler itself; it starts counting once SIGCONT is caught.
    public var continuations: UInt { UInt(gans_signal_continuations()) }

    /// Ends the process with the shell's status for `signal`, ending a live progress line
    /// first. `_exit`, not `exit`: no atexit handlers racing the threads still running.
    public static func exitAtOnce(_ signal: Int32) -> Never {
        if isatty(STDERR_FILENO) != 0 { _ = write(STDERR_FILENO, "\n", 1) }
        _exit(128 + signal)
    }
}
