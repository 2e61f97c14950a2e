// Speed against PyTorch, measured in one run on the same machine and thread count, and
// against the machine's own GEMM floor.
import ArgumentParser
import Foundation
import Tensor

@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Bench",
        abstract: "Times the workbook's recipes against PyTorch and against the machine's GEMM floor.",
        discussion: """
            For each case and repetition it runs our recipe and PyTorch's (alternating, so both see \
            the same machine load) and prints both ms/step and their ratio; then the median of the \
            paired ratios. Our chapters are timed by their own `summary:` line (training time only, \
            data loading excluded); the PyTorch peers in Tools/Bench/peer print the same line \
            (needs `pip install torch`). The GEMM floor is cblas_sgemm alone (in the library's \
            blocks, on the same threads), timed at the recipe's own matrix shapes: ours as a \
            multiple of it says how much time is spent outside GEMM.
            Exits 0 when every ratio meets its target, 2 when one does not, 1 when a run fails.
            """)

    enum CaseName: String, CaseIterable, ExpressibleByArgument {
        case minimax, wgan, wgangp, dcgan
    }

    @Argument(help: "Cases to run; all when none are named.")
    var cases: [CaseName] = []

    @Option(help: "Alternating repetitions of ours and PyTorch's per case.")
    var repetitions = 5

    @Option(help: "Timed training steps per run.")
    var steps = 60

    @Option(help: "Compute threads, on both sides.")
    var threads = 2

    @Option(help: "Seconds of cblas_sgemm per case for the GEMM floor, spread over the repetitions.")
    var floorSeconds = 2.0

    @Flag(help: "Time our side and the GEMM floor only (no PyTorch needed).")
    var skipPytorch = false

    func validate() throws {
        guard repetitions > 0 else { throw ValidationError("--repetitions must be positive, got \(repetitions)") }
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
        guard floorSeconds > 0 else { throw ValidationError("--floor-seconds must be positive, got \(floorSeconds)") }
    }

    func run() throws {
        let scratch = try ScratchFolder()
        defer { scratch.remove() }
        setComputeThreads(threads)
        let recipes = (cases.isEmpty ? CaseName.allCases : cases).map(Recipe.named)
        print("bench: \(repetitions) repetitions × \(steps) steps, \(threads) threads, OpenBLAS \(blasKernelName) kernels"
              + (skipPytorch ? "" : "; PyTorch peers from \(peerFolder)"))
        var rows: [String] = []
        var allMet = true
        for recipe in recipes {
            let shapes = MatrixProducts.recorded(recipe.makeStep())
            print(String(format: "  %@: %d matrix products, %.2f GFLOP per step", recipe.name.rawValue, shapes.count,
                         shapes.reduce(0) { $0 + $1.flops } / 1e9))
            var oursTimes: [Double] = [], peerTimes: [Double] = [], floorTimes: [Double] = []
            for r in 1...repetitions {
                guard let a = ours(recipe, scratch: scratch) else {
                    print("\(recipe.name.rawValue): our run failed")
                    throw ExitCode.failure
                }
                oursTimes.append(a)
                var line = String(format: "  %@ repetition %d: ours %.2f ms/step", recipe.name.rawValue, r, a)
                if !skipPytorch {
                    guard let (b, summary) = peer(recipe, scratch: scratch) else {
                        print("\(recipe.name.rawValue): the PyTorch peer failed (is torch installed? `pip install torch`)")
                        throw ExitCode.failure
                    }
                    if r == 1 { print("  PyTorch side: " + peerSetup(summary)) }
                    peerTimes.append(b)
                    line += String(format: ", PyTorch %.2f ms/step, ratio %.2f", b, a / b)
                }
                // The floor is measured in every repetition too, so that it sees the same load.
                let floor = GEMMFloor.measure(shapes, budget: floorSeconds / Double(repetitions))
                floorTimes.append(floor.secondsPerStep * 1000)
                line += String(format: ", cblas_sgemm alone %.2f ms/step (%.1f GFLOP/s), ours %.2f× that",
                               floor.secondsPerStep * 1000, floor.rate / 1e9, a / (floor.secondsPerStep * 1000))
                print(line)
                fflush(nil)  // show progress live even when piped
            }
            let floorMultiple = median(zip(oursTimes, floorTimes).map { $0 / $1 })
            var row = String(format: "%@: ours %.2f ms/step", recipe.name.rawValue, median(oursTimes))
            if !skipPytorch {
                // The median of back-to-back pairs' ratios: less sensitive than a ratio of
                // medians to load that changes between repetitions.
                let ratio = median(zip(oursTimes, peerTimes).map { $0 / $1 })
                let met = ratio <= recipe.target
                allMet = allMet && met
                row += String(format: ", PyTorch %.2f ms/step, ratio %.2f (target ≤ %.2f, %@)",
                              median(peerTimes), ratio, recipe.target, met ? "met" : "NOT MET")
            }
            row += String(format: "; ours = %.2f× the GEMM floor (%.1f ms/step)", floorMultiple, median(floorTimes))
            print(row)
            rows.append(row)
        }
        if rows.count > 1 { print("summary:\n" + rows.map { "  " + $0 }.joined(separator: "\n")) }
        if !allMet { throw ExitCode(2) }
    }

    var peerFolder: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("peer").path }

    func ours(_ recipe: Recipe, scratch: ScratchFolder) -> Double? {
        switch recipe.ours {
        case .inProcess(let step):
            return timeInProcess(step)
        case .chapter(let name):
            let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
            return scratch.msPerStep(["\(binFolder)/\(name)", "--steps", String(steps), "--threads", String(threads),
                                      "--out", scratch.path, "--checkpoint-dir", scratch.path])
        }
    }

    func peer(_ recipe: Recipe, scratch: ScratchFolder) -> (msPerStep: Double, line: String)? {
        scratch.summary(["python3", "\(peerFolder)/\(recipe.peer[0])"] + recipe.peer.dropFirst()
                          + ["--steps", String(steps), "--threads", String(threads)])
    }

    /// Which torch, thread count and vector instructions (ATen's dispatch level) the peer
    /// ran, from its summary line: "torch=2.5.1 threads=2 cpu=AVX512".
    func peerSetup(_ summary: String) -> String {
        summary.split(separator: " ").filter { ["torch=", "threads=", "cpu="].contains(where: $0.hasPrefix) }
            .joined(separator: " ")
    }

    /// Mean ms of `steps` calls after 5 warm-up calls (as the peers do).
    func timeInProcess(_ step: () -> Void) -> Double {
        for _ in 0..<5 { step() }
        let start = ContinuousClock.now
        for _ in 0..<steps { step() }
        return (ContinuousClock.now - start).seconds * 1000 / Double(steps)
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
