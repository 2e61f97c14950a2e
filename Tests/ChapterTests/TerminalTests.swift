import Foundation
import Testing

/// What a chapter left on a terminal of its own: a detached tmux session on a private server
/// (its own socket, so no one else's sessions are touched), captured once the run has ended.
struct TerminalRun {
    /// The screen with its colours, as escape sequences.
    let screen: String
    /// The screen as text, lines that wrapped joined again. Both include the scrollback:
    /// tmux's "Pane is dead" notice scrolls the screen up by a line.
    let text: String
    let folder: URL
    /// The screen alone as text, without the scrollback.
    var visibleText = ""

    var summary: String? { text.split(separator: "\n").last(where: { $0.hasPrefix("summary:") }).map(String.init) }
}

struct TerminalRunTimedOut: Error, CustomStringConvertible {
    let chapter: String
    var description: String { "\(chapter) did not finish within two minutes in tmux" }
}

let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc module leaves out.
@_silgen_name("posix_spawn_file_actions_addclosefrom_np")
private func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Int32

/// Runs tmux on the server at `socket` and returns what it printed.
///
/// Not with `Process`: the server that `new-session` starts outlives its client and would
/// keep what the client inherited from this test process, the signal mask (Swift Testing's
/// threads block most signals: the server would never hear that its pane ended) and
/// Foundation's descriptors (whose end `waitUntilExit` waits for). So the client starts
/// with default signals, no descriptors beyond the three standard ones, and no `TMUX`.
@discardableResult
private func tmux(_ socket: URL, _ arguments: [String]) throws -> String {
    let output = socket.deletingLastPathComponent().appendingPathComponent("tmux-output-\(UUID().uuidString)").path
    defer { unlink(output) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    _ = closeFrom(&actions, 3)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t(), allSignals = sigset_t()
    sigemptyset(&noSignals)
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = (["/usr/bin/tmux", "-S", socket.path] + arguments).map { strdup($0) } + [nil]
    let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }  // not nested in ours
        .map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + environment).forEach { free($0) } }
    var pid = pid_t()
    let failure = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environment)
    guard failure == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EINVAL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
}

/// Runs `chapter` in a `columns` × 40 terminal, with `environment` (e.g. `NO_COLOR=1`)
/// in place of the test's own NO_COLOR. With `raw`, the bytes the chapter wrote to the
/// terminal are kept in `<folder>/raw.txt` (tmux's pipe-pane; the chapter starts a second
/// later, once the pipe is open). `resize` gives a width to which the window narrows after
/// that many seconds.
func runInTerminal(_ chapter: String, _ arguments: [String], columns: Int,
                   environment: [String] = [], raw: Bool = false,
                   resize: (after: Double, columns: Int)? = nil) throws -> TerminalRun {
    let folder = try newTemporaryFolder()
    let socket = folder.appendingPathComponent("tmux.sock"), configuration = folder.appendingPathComponent("tmux.conf")
    try "set -g remain-on-exit on\n".write(to: configuration, atomically: true, encoding: .utf8)  // keep the screen
    let executable = executablesFolder.appendingPathComponent(chapter).path
    var command = (["env", "-u", "NO_COLOR"] + environment + [executable] + arguments
        + ["--out", folder.path])
        .map { "'\($0)'" }.joined(separator: " ")
    if raw { command = "sleep 1; exec " + command }
    try tmux(socket, ["-f", configuration.path, "new-session", "-d", "-x", String(columns), "-y", "40", command])
    defer { _ = try? tmux(socket, ["kill-server"]) }
    if raw { try tmux(socket, ["pipe-pane", "-o", "cat > '\(folder.appendingPathComponent("raw.txt").path)'"]) }
    let started = Date(), deadline = started.addingTimeInterval(120)
    var resize = resize
    while try tmux(socket, ["list-panes", "-F", "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
        guard Date() < deadline else { throw TerminalRunTimedOut(chapter: chapter) }
        if let narrower = resize, Date().timeIntervalSince(started) > narrower.after {
            try tmux(socket, ["resize-window", "-x", String(narrower.columns)])
            resize = nil
        }
        Thread.sleep(forTimeInterval: 0.2)
    }
    return TerminalRun(screen: try tmux(socket, ["capture-pane", "-p", "-e", "-S", "-"]),
                       text: try tmux(socket, ["capture-pane", "-p", "-J", "-S", "-"]), folder: folder,
                       visibleText: try tmux(socket, ["capture-pane", "-p", "-J"]))
}

/// The live samples and the fitted progress line, seen on a terminal as a reader sees them.
@Suite("Chapters on a terminal", .serialized)
struct TerminalTests {
    static let ready = tmuxAvailable && ChapterTests.fashionMNIST
    static let tile = String(repeating: "▀", count: 14)

    /// Drawing the samples changes nothing that is trained, logged or written: the same
    /// summary (but for the time per step), log and figures as a run whose output is a file.
    @Test(.enabled(if: ready, "needs tmux and Debian's dataset-fashion-mnist"))
    func previewShowsEightSamplesOn120ColumnsAndChangesNothing() throws {
        let terminal = try runInTerminal("Ch11_2_Minimax", ["--quick"], columns: 120)
        #expect(terminal.screen.contains("\u{1B}[38;2;"), "no 24-bit colour on the screen")
        let rows = terminal.text.split(separator: "\n").filter { $0.hasPrefix(Self.tile) }
        #expect(rows.count == 7, "a 28×28 sample is 7 lines of half blocks")
        #expect(rows.allSatisfy { $0 == Array(repeating: Self.tile, count: 8).joined(separator: " ") })

        let file = try runChapter("Ch11_2_Minimax", ["--quick"])
        func withoutTime(_ summary: String?) -> String? {
            summary?.replacingOccurrences(of: " ms/step=[0-9.]+", with: "", options: .regularExpression)
        }
        #expect(withoutTime(terminal.summary) != nil)
        #expect(withoutTime(terminal.summary) == withoutTime(file.summary))
        for name in ["ch11_2_minimax_log.csv", "ch11_2_minimax_samples.png", "ch11_2_minimax_losses.png"] {
            let drawn = try Data(contentsOf: terminal.folder.appendingPathComponent(name))
            #expect(drawn == (try file.bytes(name)), "\(name) differs when the preview is drawn")
        }
    }

    /// In 80 columns: five samples, and the progress line stays on one line.
    @Test(.enabled(if: ready, "needs tmux and Debian's dataset-fashion-mnist"))
    func previewAndProgressFit80Columns() throws {
        let terminal = try runInTerminal("Ch11_2_Minimax", ["--quick"], columns: 80)
        let lines = terminal.text.split(separator: "\n")
        #expect(lines.filter { $0 == Array(repeating: Self.tile, count: 5).joined(separator: " ") }.count == 7)
        let progress = try #require(lines.first { $0.contains("step 3/3") })
        #expect(progress.count < 80, "the progress line wrapped: \(progress)")
        #expect(progress.contains("d_loss") && progress.hasPrefix("█"))
    }

    @Test(.enabled(if: ready, "needs tmux and Debian's dataset-fashion-mnist"),
          arguments: [(["NO_COLOR=1"], [String]()), (["TERM=dumb"], []), ([], ["--no-preview"])])
    func previewIsOff(environment: [String], flags: [String]) throws {
        let terminal = try runInTerminal("Ch11_2_Minimax", ["--quick"] + flags, columns: 120, environment: environment)
        #expect(terminal.summary != nil, "the run did not finish: \(terminal.text)")
        #expect(!terminal.text.contains("▀"))
        #expect(!terminal.screen.contains("\u{1B}[38;2;"))
    }

    /// Under TERM=dumb the chapter writes no escape code at all: plain progress lines.
    @Test(.enabled(if: ready, "needs tmux and Debian's dataset-fashion-mnist"))
    func aDumbTerminalGetsPlainLines() throws {
        let terminal = try runInTerminal("Ch11_2_Minimax", ["--quick"], columns: 120, environment: ["TERM=dumb"], raw: true)
        #expect(terminal.summary != nil, "the run did not finish: \(terminal.text)")
        let raw = try String(contentsOf: terminal.folder.appendingPathComponent("raw.txt"), encoding: .utf8)
        #expect(raw.contains("[100%] step 3/3"))
        #expect(!raw.contains("\u{1B}"), "escape codes under TERM=dumb: \(raw.debugDescription.prefix(300))")
    }

    /// Narrowing the window from 120 to 50 columns while samples are drawn leaves no
    /// fragments of the wide drawing: every row of half blocks on the final screen is a
    /// whole row of the narrow strip (three samples in 50 columns). (tmux keeps the cleared
    /// screen in its scrollback, as `clear` does.)
    @Test(.enabled(if: ready, "needs tmux and Debian's dataset-fashion-mnist"))
    func aNarrowedWindowKeepsNoFragmentsOfTheWiderPreview() throws {
        let terminal = try runInTerminal("Ch11_2_Minimax", ["--quick", "--steps", "200"], columns: 120,
                                         resize: (after: 5, columns: 50))
        #expect(terminal.summary != nil, "the run did not finish: \(terminal.text)")
        let narrow = Array(repeating: Self.tile, count: 3).joined(separator: " ")
        let drawn = terminal.visibleText.split(separator: "\n").filter { $0.contains("▀") }
        // Seven rows, or six: when the pane dies, tmux's remain-on-exit writes its "Pane is dead" line
        // after a line feed on the bottom row, which scrolls the top row into the scrollback.
        #expect((6...7).contains(drawn.count), "\(drawn.count) rows of half blocks: \(terminal.visibleText)")
        #expect(drawn.allSatisfy { $0 == narrow }, "\(terminal.visibleText)")
        #expect(terminal.visibleText.split(separator: "\n").filter { $0.hasPrefix("█") }.allSatisfy { $0.count < 50 })
    }
}
