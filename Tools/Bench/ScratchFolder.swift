import Foundation

/// A temporary folder for the chapters' figures and checkpoints, and the child process
/// that is running. Removed on every way out: a normal return or a thrown error (the
/// caller's `defer`), and Ctrl-C or a termination signal, which also stop the child.
final class ScratchFolder: @unchecked Sendable {  // `child` is guarded by `lock`
    let path: String
    private let lock = NSLock()
    private var child: Process?
    private var signalSources: [DispatchSourceSignal] = []

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("gans-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)  // handled below instead of ending the process at once
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                if let running = lock.withLock({ child }) { kill(running.processIdentifier, SIGKILL) }
                remove()
                print("\nbench: stopped by signal \(signalNumber)")
                exit(128 + signalNumber)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Runs a command and returns the ms/step of its `summary:` line, or nil if it fails.
    func msPerStep(_ arguments: [String]) -> Double? {
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
              let field = line.split(separator: " ").first(where: { $0.hasPrefix("ms/step=") }) else { return nil }
        return Double(field.dropFirst("ms/step=".count))
    }
}
