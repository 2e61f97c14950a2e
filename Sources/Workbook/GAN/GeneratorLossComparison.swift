/// Runs that differ only in the generator's loss, read back from their CSV logs and drawn on
/// shared axes: the gradient that reaches G and D(G(z)), per iteration, one curve per run.
/// Overlaid, the saturating loss's small gradient while D wins is seen at a glance, where two
/// separate figures with their own axes hide it.
public enum GeneratorLossComparison {
    public struct Run: Sendable {
        /// What the legend calls this run, e.g. "non-saturating: −log D(G(z))".
        public var name: String
        /// A log with columns `g_grad_norm` and `d_fake` (the minimax chapter's `<out>/ch11_2_minimax_log.csv`).
        public var logPath: String

        public init(name: String, logPath: String) {
            self.name = name
            self.logPath = logPath
        }
    }

    public static func figure(_ runs: [Run], smoothing: Double = 0.98) throws -> FigureGrid {
        let logs = try runs.map { try CSVLog.read($0.logPath, columns: ["g_grad_norm", "d_fake"]) }
        func series(_ column: String) -> [LinePlot.Series] {
            zip(runs, logs).map { LinePlot.Series(name: $0.name, values: $1[column] ?? [], smoothing: smoothing) }
        }
        let gradient = LinePlot(title: "Gradient reaching the generator", xTitle: "iteration",
                                yTitle: "‖∇θ loss_G‖", series: series("g_grad_norm"), logarithmicY: true,
                                width: 1000, height: 700)
        let fooled = LinePlot(title: "How much D is fooled", xTitle: "iteration", yTitle: "mean D(G(z))",
                              series: series("d_fake"), yRange: 0...1, width: 1000, height: 700)
        return FigureGrid.sideBySide(title: "Saturating vs non-saturating generator loss, same networks, seed and data",
                                     [("", gradient), ("", fooled)])
    }
}
