// Speed against PyTorch, measured in one run on the same machine and thread count.
//
//   swift run Bench [--repetitions 5] [--steps 60] [--threads 2] [minimax wgan wgangp dcgan]
//
// For each case and repetition it runs our recipe and PyTorch's (alternating, so both see
// the same machine load) and prints the median ms/step of each and their ratio. Our
// chapters are timed by their own `summary:` line (training time only, data loading
// excluded); the PyTorch peers in peer/ print the same line. Needs `pip install torch`.
import Foundation
import Tensor

struct BenchCase {
    let name: String
    let ours: [String]    // a chapter command, or ["dcgan-step"] for the in-process case
    let peer: [String]
    let target: Double    // the largest ratio the issue allows
}

let cases = [
    BenchCase(name: "minimax", ours: ["Ch11_2_Minimax"], peer: ["minimax.py"], target: 0.8),
    BenchCase(name: "wgan", ours: ["Ch11_2_WGAN"], peer: ["wasserstein.py", "--constraint", "clipping"], target: 0.8),
    BenchCase(name: "wgangp", ours: ["Ch11_3_WGANGP"], peer: ["wasserstein.py", "--constraint", "penalty"], target: 1.0),
    BenchCase(name: "dcgan", ours: ["dcgan-step"], peer: ["dcgan_step.py"], target: 1.3),
]

func value(of flag: String, default fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: flag), i + 1 < CommandLine.arguments.count,
          let v = Int(CommandLine.arguments[i + 1]) else { return fallback }
    return v
}

let repetitions = value(of: "--repetitions", default: 5)
let steps = value(of: "--steps", default: 60)
let threads = value(of: "--threads", default: 2)
let flagValues = Set(["--repetitions", "--steps", "--threads"].compactMap { flag in
    CommandLine.arguments.firstIndex(of: flag).map { $0 + 1 } })
let requested = CommandLine.arguments.enumerated().dropFirst()
    .filter { !$0.element.hasPrefix("--") && !flagValues.contains($0.offset) }.map(\.element)
let selected = requested.isEmpty ? cases : cases.filter { requested.contains($0.name) }

let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
let peerFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peer").path
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gans-bench-\(getpid())").path

/// Runs a command and returns the ms/step of its `summary:` line.
func msPerStep(_ arguments: [String]) -> Double? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let line = output.split(separator: "\n").last(where: { $0.hasPrefix("summary:") }),
          let field = line.split(separator: " ").first(where: { $0.hasPrefix("ms/step=") }) else { return nil }
    return Double(field.dropFirst("ms/step=".count))
}

func ours(_ c: BenchCase) -> Double? {
    if c.ours == ["dcgan-step"] { return timeInProcess(dcganStep(batchSize: 64, seed: 1)) }
    return msPerStep(["\(binFolder)/\(c.ours[0])", "--steps", String(steps), "--threads", String(threads),
                      "--out", scratch, "--checkpoint-dir", scratch])
}

func peer(_ c: BenchCase) -> Double? {
    msPerStep(["python3", "\(peerFolder)/\(c.peer[0])"] + c.peer.dropFirst()
              + ["--steps", String(steps), "--threads", String(threads)])
}

/// Mean ms of `steps` calls after 5 warm-up calls.
func timeInProcess(_ step: () -> Void) -> Double {
    setComputeThreads(threads)
    for _ in 0..<5 { step() }
    let start = ContinuousClock.now
    for _ in 0..<steps { step() }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15) / Double(steps)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

print("bench: \(repetitions) repetitions × \(steps) steps, \(threads) threads; PyTorch peers from \(peerFolder)")
var allMet = true
for c in selected {
    var oursTimes: [Double] = [], peerTimes: [Double] = []
    for r in 1...repetitions {
        guard let a = ours(c) else { print("\(c.name): our run failed"); exit(1) }
        guard let b = peer(c) else { print("\(c.name): the PyTorch peer failed (is torch installed?)"); exit(1) }
        oursTimes.append(a)
        peerTimes.append(b)
        print("  \(c.name) repetition \(r): ours \(String(format: "%.2f", a)) ms/step, PyTorch \(String(format: "%.2f", b)) ms/step, ratio \(String(format: "%.2f", a / b))")
        fflush(nil)  // show progress live even when piped
    }
    let ratio = median(oursTimes) / median(peerTimes)
    allMet = allMet && ratio <= c.target
    // The median of the back-to-back pairs' ratios, a second view that is less sensitive to
    // load that changes between repetitions.
    let pairedRatio = median(zip(oursTimes, peerTimes).map { $0 / $1 })
    print(String(format: "%@: ours %.2f ms/step, PyTorch %.2f ms/step (medians), ratio %.2f (target ≤ %.1f) %@; median of paired ratios %.2f",
                 c.name, median(oursTimes), median(peerTimes), ratio, c.target, ratio <= c.target ? "met" : "NOT MET", pairedRatio))
}
try? FileManager.default.removeItem(atPath: scratch)
exit(allMet ? 0 : 2)
