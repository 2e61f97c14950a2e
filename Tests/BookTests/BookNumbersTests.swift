import Foundation
import Testing

/// Every number book.md quotes from a committed run log (figures/*.csv) or table
/// (figures/*.md), checked against that file: the book must contain the claim's text, and the
/// number in it must be what the data gives, rounded as printed. Numbers from papers, option
/// defaults and hyperparameters are not claims about a run and are not listed.
@Suite("book.md's numbers match the committed logs and tables")
struct BookNumbersTests {
    /// A fragment of book.md (whitespace collapsed) and what the data says about it: either a
    /// computed text that must appear inside the fragment, or a fact that must hold.
    struct Claim: CustomStringConvertible, Sendable {
        let fragment: String
        let source: String
        let check: @Sendable () throws -> Check
        var description: String { "\"\(fragment)\" (\(source))" }
    }
    enum Check: Sendable { case text(String), holds(Bool) }

    static func quotes(_ fragment: String, _ source: String, _ value: @escaping @Sendable () throws -> String) -> Claim {
        Claim(fragment: fragment, source: source) { .text(try value()) }
    }
    static func states(_ fragment: String, _ source: String, _ fact: @escaping @Sendable () throws -> Bool) -> Claim {
        Claim(fragment: fragment, source: source) { .holds(try fact()) }
    }

    // MARK: reading the committed files

    static func text(_ path: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }
    /// One column of a CSV log, one value per iteration.
    static func column(_ name: String, of path: String) throws -> [Double] {
        let lines = try text(path).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        guard let index = header.firstIndex(of: name) else { throw LogError("\(path) has no column \(name)") }
        return lines.dropFirst().map { Double($0.split(separator: ",")[index])! }
    }
    static func rows(of path: String) throws -> Int { try text(path).split(separator: "\n").count - 1 }
    static func mean<C: Collection>(_ values: C) -> Double where C.Element == Double {
        values.reduce(0, +) / Double(values.count)
    }
    /// Means over every window of `width` consecutive iterations, by the window's first iteration.
    static func windowMeans(_ values: [Double], width: Int) -> [Double] {
        var sums = [0.0]  // sums[i] = values[0] + … + values[i − 1]
        for value in values { sums.append(sums.last! + value) }
        return (0...(values.count - width)).map { (sums[$0 + width] - sums[$0]) / Double(width) }
    }
    static func sampleStandardDeviation(_ values: [Double]) -> Double {
        let m = mean(values)
        return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
    }
    static func f(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
    static func thousands(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.locale = Locale(identifier: "en_US")
        return formatter.string(from: NSNumber(value: value))!
    }
    /// The cells of a Markdown table row whose first cell is `key`.
    static func tableRow(_ key: String, in path: String) throws -> [String] {
        for line in try text(path).split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.first == key { return cells }
        }
        throw LogError("\(path) has no row \(key)")
    }
    static func cell(_ key: String, _ index: Int, in path: String) throws -> Double {
        let raw = try tableRow(key, in: path)[index]
        let number = raw.prefix { "0123456789.-".contains($0) }
        guard let value = Double(number) else { throw LogError("\(path): \(key) cell \(index) is \(raw)") }
        return value
    }
    /// The rows of the mode-collapse table for one data set and method: its "m ± s" cells.
    static func modeRow(_ dataSet: String, _ method: String) throws -> (modes: (Double, Double), quality: (Double, Double)) {
        for line in try text(modeTable).split(separator: "\n") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[0] == dataSet, cells[1] == method else { continue }
            func pair(_ s: String) -> (Double, Double) {
                let parts = s.split(separator: " ")
                return (Double(parts[0])!, Double(parts[2])!)
            }
            return (pair(cells[3]), pair(cells[4]))
        }
        throw LogError("no mode-collapse row \(dataSet) \(method)")
    }
    struct LogError: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    static let minimax = "figures/ch11_2_minimax_log.csv"
    static let saturating = "figures/saturating/ch11_2_minimax_log.csv"
    static let wgan = "figures/ch11_2_wgan_log.csv"
    static let rgan = "figures/ch11_2_rgan_log.csv"
    static let wgangp = "figures/ch11_3_wgangp_log.csv"
    /// The clipped run that §11.3 compares with: §11.2's WGAN run (`--compare-log`).
    static let clipping = wgan
    static let dcgan = "figures/ch11_4_dcgan_log.csv"
    static let cgan = "figures/ch11_4_cgan_log.csv"
    static let toyTable = "figures/ch11_1_generative_models_table.md"
    static let warmupTable = "figures/ch11_2_warmup_table.md"
    static let modeTable = "figures/ch11_3_mode_collapse_table.md"
    static let leaderboard = "figures/ch11_5_metrics_leaderboard.md"
    static let collapseTable = "figures/ch11_2_wgan_collapse.md"
    static let classMatchTable = "figures/ch11_4_cgan_class_match.md"
    static let techniquesTable = "figures/ch11_3_techniques_table.md"
    static let anomalyTable = "figures/ch11_6_applications_anomaly.md"
    static let augmentationTable = "figures/ch11_6_applications_augmentation.md"
    static let reprintedTables = [toyTable, warmupTable, modeTable, leaderboard, collapseTable, classMatchTable, techniquesTable,
                                  anomalyTable, augmentationTable]
    /// A cell of the techniques table (columns: 1 FD, 2 KID, 3 precision, 4 recall, 5 ring, 6 grid).
    static func technique(_ row: String, _ column: Int) throws -> Double { try cell(row, column, in: techniquesTable) }
    /// The techniques table's row names, in order.
    static func techniqueNames() throws -> [String] {
        try text(techniquesTable).split(separator: "\n").dropFirst(2).map { String($0.split(separator: "|")[0]).trimmingCharacters(in: .whitespaces) }
    }

    static func toy(_ family: String, _ column: Int) throws -> Double { try cell(family, column, in: toyTable) }
    /// A cell of the warm-up's tables (first table's columns: 1 μ₁, 2 μ₂, 3 Σ₁₁, 4 Σ₁₂, 5 Σ₂₂,
    /// 6 ‖μ − b‖, 7 relative Σ error; the matrices': 1–4 row by row; the last fifth's: 1 mean,
    /// 2 smallest, 3 largest). Thousands separators are allowed ("4,192").
    static func warmup(_ key: String, _ column: Int) throws -> Double {
        let raw = try tableRow(key, in: warmupTable)[column].replacingOccurrences(of: ",", with: "")
        guard let value = Double(raw) else { throw LogError("\(warmupTable): \(key) cell \(column) is \(raw)") }
        return value
    }
    static let warmupLearnt = "G after 10,000 iterations: c and W Wᵀ"
    static func board(_ model: String, _ column: Int) throws -> Double { try cell(model, column, in: leaderboard) }

    // MARK: the claims

    static let claims: [Claim] = [
        // 11.1: prose about the comparison table (columns: 1 parameters, 2 training s, 3 sampling s,
        // 4 energy distance, 5 modes, 6 high-quality %, 7 log-likelihood).
        states("between 23,000 and 36,000 weights", toyTable) {
            let counts = try ["VAE", "autoregressive", "flow (RealNVP)", "energy-based", "GAN", "diffusion (DDPM)"].map { try toy($0, 1) }
            return counts.min()! >= 23_000 && counts.max()! <= 36_000
        },
        quotes("mixture reaches 2.36 nats per held-out point", toyTable) { f(try toy("autoregressive", 7), 2) },
        quotes("against the true distribution's 2.89", toyTable) { f(try toy("true distribution", 7), 2) },
        quotes("and the flow only about 0 nats", toyTable) {
            let flow = try toy("flow (RealNVP)", 7)
            return abs(flow) < 0.05 ? "about 0 nats" : f(flow, 2)
        },
        quotes("certify a lower bound, −2.07", toyTable) {
            let raw = try tableRow("VAE", in: toyTable)[7]  // "≥ -2.07 (ELBO)"
            return "−" + raw.split(separator: " ")[1].dropFirst()
        },
        quotes("only 11% of them land on a mode", toyTable) { "\(Int(try toy("flow (RealNVP)", 6)))%" },
        quotes("lowest energy distance (0.0006", toyTable) {
            let own = try toy("autoregressive", 4)
            let others = try ["VAE", "flow (RealNVP)", "energy-based", "GAN", "diffusion (DDPM)"].map { try toy($0, 4) }
            return own < others.min()! ? f(own, 4) : "not the lowest"
        },
        quotes("close to the 0.0001 noise floor", toyTable) { f(abs(try toy("true distribution", 4)), 4) },
        // Times are wall-clock: the prose claims orders of magnitude only.
        states("It is also among the cheapest to train", toyTable) {
            let own = try toy("autoregressive", 2)
            let others = try ["VAE", "flow (RealNVP)", "energy-based", "GAN", "diffusion (DDPM)"].map { try toy($0, 2) }
            return others.filter { $0 < own }.count <= 1
        },
        quotes("its energy distance, 0.034, is two thirds of the flow's", toyTable) {
            let ratio = try toy("VAE", 4) / toy("flow (RealNVP)", 4)
            return (0.6...0.72).contains(ratio) ? f(try toy("VAE", 4), 3) : "ratio \(ratio)"
        },
        quotes("almost none (2%) fall within 0.06", toyTable) { "(\(Int(try toy("VAE", 6)))%)" },
        quotes("90% of its samples sit on a mode", toyTable) { "\(Int(try toy("energy-based", 6)))%" },
        quotes("(energy distance 0.0068)", toyTable) { f(try toy("energy-based", 4), 4) },
        states("seconds per 10,000 samples, hundreds of times the VAE's hundredths of a second", toyTable) {
            let ebm = try toy("energy-based", 3), vae = try toy("VAE", 3)
            return ebm >= 1 && ebm < 60 && vae < 0.1 && ebm / vae >= 100
        },
        quotes("(5% high-quality, no mode covered, the largest energy distance, 0.10, twice the flow's)", toyTable) {
            let gan = try toy("GAN", 4), flow = try toy("flow (RealNVP)", 4)
            let largest = try ["VAE", "autoregressive", "energy-based", "diffusion (DDPM)"].allSatisfy { try toy($0, 4) < gan }
            let covered = try toy("GAN", 5)
            return largest && (1.8...2.2).contains(gan / flow) && covered == 0
                ? "(\(Int(try toy("GAN", 6)))% high-quality, no mode covered, the largest energy distance, \(f(gan, 2))" : "mismatch"
        },
        states("as fast as the VAE's, one pass: hundredths of a second per 10,000", toyTable) {
            try toy("GAN", 3) < 0.1 && toy("VAE", 3) < 0.1
        },
        quotes("Its energy distance, 0.017, is the third best", toyTable) {
            let own = try toy("diffusion (DDPM)", 4)
            let better = try ["VAE", "autoregressive", "flow (RealNVP)", "energy-based", "GAN"].filter { try toy($0, 4) < own }
            return better.sorted() == ["autoregressive", "energy-based"] ? f(own, 3) : "rank differs"
        },
        quotes("(9% high-quality;", toyTable) { "(\(Int(try toy("diffusion (DDPM)", 6)))%" },
        states("so seconds per 10,000 where the GAN needs hundredths", toyTable) {
            let diffusion = try toy("diffusion (DDPM)", 3), gan = try toy("GAN", 3)
            return diffusion >= 1 && diffusion < 60 && gan < 0.1
        },

        // 11.2 warm-up: prose about its tables.
        quotes("have correlation $1.0 / \\sqrt{1.6 \\cdot 0.85} \\approx 0.86$", warmupTable) {
            let (s11, s12, s22) = (try warmup("truth: b and A Aᵀ", 3), try warmup("truth: b and A Aᵀ", 4), try warmup("truth: b and A Aᵀ", 5))
            return "\(f(s12, 1)) / \\sqrt{\(f(s11, 1)) \\cdot \(f(s22, 2))} \\approx \(f(s12 / (s11 * s22).squareRoot(), 2))"
        },
        states("a tilted ellipse about four times longer than it is wide", warmupTable) {
            let (s11, s12, s22) = (try warmup("truth: b and A Aᵀ", 3), try warmup("truth: b and A Aᵀ", 4), try warmup("truth: b and A Aᵀ", 5))
            let root = ((s11 - s22) * (s11 - s22) + 4 * s12 * s12).squareRoot()
            let ratio = ((s11 + s22 + root) / (s11 + s22 - root)).squareRoot()  // of the axes' standard deviations
            return (3.5...4.5).contains(ratio)
        },
        quotes("`GaussianWarmup.train` runs 10,000 such iterations", warmupTable) {
            _ = try tableRow(warmupLearnt, in: warmupTable)
            return "runs 10,000 such"
        },
        quotes("Its mean is 0.006 from $b$ and its covariance is 2.0 % off", warmupTable) {
            "Its mean is \(f(try warmup(warmupLearnt, 6), 3)) from $b$ and its covariance is \(f(100 * (try warmup(warmupLearnt, 7)), 1)) % off"
        },
        quotes("their mean is 0.011 from $b$ and their covariance 1.6 % off", warmupTable) {
            let real = "10,000 real points, measured"
            return "their mean is \(f(try warmup(real, 6), 3)) from $b$ and their covariance \(f(100 * (try warmup(real, 7)), 1)) % off"
        },
        states("The GAN's answer is about as good as what we would estimate from 10,000 samples of the data itself", warmupTable) {
            let real = "10,000 real points, measured"
            return try warmup(warmupLearnt, 6) <= 1.5 * warmup(real, 6) && warmup(warmupLearnt, 7) <= 1.5 * warmup(real, 7)
        },
        states("they agree with $c$ and $W W^\\top$ to sampling noise", warmupTable) {
            let samples = "10,000 points of G after 10,000 iterations, measured"
            return try (1...5).allSatisfy { abs(try warmup(samples, $0) - warmup(warmupLearnt, $0)) < 0.05 }
        },
        states("$W$ looks nothing like $A$: its first column points the other way", warmupTable) {
            let a = "A, the data's", w = "W, G's after 10,000 iterations"
            return try warmup(a, 1) * warmup(w, 1) + warmup(a, 3) * warmup(w, 3) < 0
        },
        quotes("with $Q Q^\\top$ within 0.09 of the identity", warmupTable) {
            let qq = try (1...4).map { try warmup("Q Qᵀ", $0) }
            let largest = [abs(qq[0] - 1), abs(qq[1]), abs(qq[2]), abs(qq[3] - 1)].max()!
            return "within \(f((largest * 100).rounded(.up) / 100, 2)) of"
        },
        quotes("its determinant is −0.94, close to −1", warmupTable) {
            let q = try (1...4).map { try warmup("Q = A⁻¹W", $0) }
            let determinant = q[0] * q[3] - q[1] * q[2]
            return determinant < 0 ? "is −\(f(-determinant, 2))," : "positive"
        },
        quotes("D's loss averages 1.387 against the predicted 2 log 2 = 1.386, G's 0.694 against log 2 = 0.693, and D scores real and generated batches 0.500 on average", warmupTable) {
            let real = try warmup("D(x) on real batches", 1), fake = try warmup("D(G(z)) on generated batches", 1)
            return "D's loss averages \(f(try warmup("D's loss", 1), 3)) against the predicted 2 log 2 = \(f(2 * log(2.0), 3)), "
                + "G's \(f(try warmup("G's loss", 1), 3)) against log 2 = \(f(log(2.0), 3)), and D scores real and generated batches "
                + (real == fake ? f(real, 3) : "differently")
        },
        quotes("up to 0.022 for the mean and 5.6 % for the covariance", warmupTable) {
            "up to \(f(try warmup("‖c − b‖", 3), 3)) for the mean and \(f(100 * (try warmup("‖W Wᵀ − A Aᵀ‖_F / ‖A Aᵀ‖_F", 3)), 1)) %"
        },
        states("After 1,000 iterations it spans the whole range from 0 to 1", warmupTable) {
            let key = "D(x) on the plotted plane, after 1,000 iterations"
            return try warmup(key, 2) < 0.01 && warmup(key, 3) > 0.99
        },
        quotes("it lies between 0.499 and 0.506 inside the data's 2σ contour", warmupTable) {
            let key = "D(x) inside the data's 2σ contour, after 10,000 iterations"
            return "between \(f(try warmup(key, 2), 3)) and \(f(try warmup(key, 3), 3)) inside"
        },
        quotes("(0.299 to 0.575 over the whole plotted square)", warmupTable) {
            let key = "D(x) on the plotted plane, after 10,000 iterations"
            return "(\(f(try warmup(key, 2), 3)) to \(f(try warmup(key, 3), 3))"
        },
        quotes("from −0.116 to 2, needs about (2 + 0.116) / 0.0005 ≈ 4,232 iterations", warmupTable) {
            let start = try warmup("G before training: c and W Wᵀ", 1), target = try warmup("truth: b and A Aᵀ", 1)
            let sign = start < 0 ? "−" : ""
            return "from \(sign)\(f(abs(start), 3)) to \(f(target, 0)), needs about (\(f(target, 0)) + \(f(-start, 3))) / 0.0005 ≈ "
                + thousands(Int(((target - start) / 0.0005).rounded()))
        },
        quotes("| ‖c − b‖ first below 0.05 | 4,192 |", warmupTable) {
            "| " + thousands(Int(try warmup("‖c − b‖ first below 0.05", 1))) + " |"
        },
        quotes("recovered the mean to 0.006 and the covariance to 2.0 %", warmupTable) {
            "the mean to \(f(try warmup(warmupLearnt, 6), 3)) and the covariance to \(f(100 * (try warmup(warmupLearnt, 7)), 1)) %"
        },
        states("with a $W$ that is a reflection away from $A$", warmupTable) {
            let q = try (1...4).map { try warmup("Q = A⁻¹W", $0) }
            return q[0] * q[3] - q[1] * q[2] < -0.9
        },
        states("which predicted when the mean would arrive to within 1 %", warmupTable) {
            let predicted = (try warmup("truth: b and A Aᵀ", 1) - warmup("G before training: c and W Wᵀ", 1)) / 0.0005
            return abs(try warmup("‖c − b‖ first below 0.05", 1) - predicted) < 0.01 * predicted
        },
        states("The mean arrives when the step-size bound says it can", warmupTable) {
            let predicted = (try warmup("truth: b and A Aᵀ", 1) - warmup("G before training: c and W Wᵀ", 1)) / 0.0005
            return abs(try warmup("‖c − b‖ first below 0.05", 1) - predicted) < 0.05 * predicted
        },

        // 11.2 minimax: the default run's log and the saturating run's.
        quotes("5 epochs of Fashion-MNIST, 4,685 iterations of 64 images", minimax) { thousands(try rows(of: minimax)) },
        quotes("D(x) climbs to 0.90", minimax) { f(windowMeans(try column("d_real", of: minimax), width: 100).max()!, 2) },
        quotes("the generator's loss rises to 3.76 in the first 600", minimax) {
            f(windowMeans(try column("g_loss", of: minimax), width: 100).prefix(600).max()!, 2)
        },
        quotes("peaking at 4.92 around iteration 3,200", minimax) {
            let means = windowMeans(try column("g_loss", of: minimax), width: 100)
            let peak = means.indices.max { means[$0] < means[$1] }!
            return (3100...3300).contains(peak) ? f(means[peak], 2) : "peak at \(peak)"
        },
        quotes("its average first drops below 0.2 at iteration 837", minimax) {
            let first = windowMeans(try column("d_fake", of: minimax), width: 100).firstIndex { $0 < 0.2 }!
            return "iteration \(first + 1)"
        },
        quotes("is lowest, 0.11, around iteration 2,600", minimax) {
            let means = windowMeans(try column("d_fake", of: minimax), width: 100)
            let low = means.indices.min { means[$0] < means[$1] }!
            return (2500...2700).contains(low) ? f(means[low], 2) : "lowest at \(low)"
        },
        quotes("over the last 500 iterations D's loss averages 0.86, G's 2.06, D(x) 0.72 and D(G(z)) 0.29", minimax) {
            let last = try ["d_loss", "g_loss", "d_real", "d_fake"].map { f(mean(try column($0, of: minimax).suffix(500)), 2) }
            return "D's loss averages \(last[0]), G's \(last[1]), D(x) \(last[2]) and D(G(z)) \(last[3])"
        },
        quotes("G's gradient norm grows to 10.7 on average over 100 iterations (20.0 at its largest)", minimax) {
            let norms = try column("g_grad_norm", of: minimax)
            return "\(f(windowMeans(norms, width: 100).max()!, 1)) on average over 100 iterations (\(f(norms.max()!, 1))"
        },
        states("about a thirteenth of the non-saturating one's on average", saturating) {
            let ratio = mean(try column("g_grad_norm", of: minimax).prefix(2000)) / mean(try column("g_grad_norm", of: saturating).prefix(2000))
            return (12.5...14.0).contains(ratio)
        },
        quotes("below 0.05 in 87 of those iterations and below 0.01 in 18", saturating) {
            let norms = try column("g_grad_norm", of: saturating).prefix(2000)
            return "below 0.05 in \(norms.filter { $0 < 0.05 }.count) of those iterations and below 0.01 in \(norms.filter { $0 < 0.01 }.count)"
        },
        quotes("the 300-iteration average of D(x) peaks at 0.88 without", minimax) {
            "peaks at " + f(windowMeans(try column("d_real", of: minimax), width: 300).max()!, 2) + " without"
        },

        // 11.2 WGAN.
        quotes("5 epochs: 935 generator iterations, 4,675 critic updates", wgan) {
            let n = try rows(of: wgan)
            return "\(n) generator iterations, \(thousands(5 * n)) critic updates"
        },
        quotes("from 0.03 at the first iteration to 2.74 on average over the last 100, swinging between −3.49 and 8.29", wgan) {
            let w = try column("w_estimate", of: wgan)
            return "from \(f(w[0], 2)) at the first iteration to \(f(mean(w.suffix(100)), 2)) on average over the last 100, swinging between −\(f(-w.min()!, 2)) and \(f(w.max()!, 2))"
        },

        // 11.2 RGAN.
        quotes("one epoch: 1,875 iterations of 32 images", rgan) { thousands(try rows(of: rgan) / 3) },
        quotes("three epochs (5,625 iterations", rgan) { thousands(try rows(of: rgan)) },
        states("In this run the gap stays close to C's target throughout", rgan) {
            let gap = windowMeans(try column("realism_gap", of: rgan), width: 100)
            return gap.allSatisfy { (0.5...1.5).contains($0) }
        },

        // 11.3 WGAN-GP and clipping.
        quotes("samples from a fixed batch of noise after 935 generator iterations", wgangp) { "after \(try rows(of: wgangp)) generator" },
        states("With the same networks, data and number of iterations", clipping) { try rows(of: clipping) == rows(of: wgangp) },
        quotes("a slower one to a peak near iteration 110", wgangp) {
            let w = try column("w_estimate", of: wgangp)
            let peak = w.indices.max { w[$0] < w[$1] }!
            return "near iteration \(Int((Double(peak + 1) / 10).rounded()) * 10)"
        },
        states("settles a little above 1, where the penalty holds it", wgangp) {
            (1.0...1.3).contains(mean(try column("grad_norm", of: wgangp).suffix(100)))
        },
        quotes("The clipped critic's estimate is smaller, peaking at 8.3", clipping) {
            String(format: "%.1f", try column("w_estimate", of: clipping).max()!)
        },
        quotes("where the penalised critic's reaches 18.0", wgangp) {
            String(format: "%.1f", try column("w_estimate", of: wgangp).max()!)
        },
        quotes("it climbs over the run instead of falling (2.74 over the last 100", clipping) {
            String(format: "%.2f", mean(try column("w_estimate", of: clipping).suffix(100)))
        },
        quotes("iterations, against 5.46)", wgangp) {
            String(format: "%.2f", mean(try column("w_estimate", of: wgangp).suffix(100)))
        },
        states("Its gradient norm stays below 1", clipping) { try column("grad_norm", of: clipping).max()! < 1 },
        states("a gradient norm that stays below 1", clipping) { try column("grad_norm", of: clipping).max()! < 1 },

        // 11.3 mode collapse: prose about the table.
        quotes("It trains 24 runs (2 data sets × 4 recipes × 3 seeds", modeTable) {
            let lines = try text(modeTable).split(separator: "\n").filter { $0.hasPrefix("| ring") || $0.hasPrefix("| grid") }
            let seeds = lines.map { Int($0.split(separator: "|")[2].trimmingCharacters(in: .whitespaces))! }
            return "It trains \(seeds.reduce(0, +)) runs"
        },
        // The table gives mean ± standard deviation over three seeds; per-seed counts (which the
        // run prints) are the only integers that give both.
        states("partial collapse, and it changes from seed to seed (2, 5 and 6 modes)", modeTable) {
            let row = try modeRow("ring of 8", "minimax").modes
            return f(mean([2, 5, 6]), 1) == f(row.0, 1) && f(sampleStandardDeviation([2, 5, 6]), 1) == f(row.1, 1)
        },
        states("8 of 8 modes on two seeds and 4 on the third", modeTable) {
            let row = try modeRow("ring of 8", "WGAN-GP λ=0.1").modes
            return f(mean([8, 8, 4]), 1) == f(row.0, 1) && f(sampleStandardDeviation([8, 8, 4]), 1) == f(row.1, 1)
        },
        states("*Ring, WGAN-GP with λ = 10:* second, with 4, 6 and 7 modes", modeTable) {
            let row = try modeRow("ring of 8", "WGAN-GP λ=10").modes
            let others = try ["minimax", "WGAN"].map { try modeRow("ring of 8", $0).modes.0 }
            let best = try modeRow("ring of 8", "WGAN-GP λ=0.1").modes.0
            return f(mean([4, 6, 7]), 1) == f(row.0, 1) && f(sampleStandardDeviation([4, 6, 7]), 1) == f(row.1, 1)
                && others.allSatisfy { $0 < row.0 } && row.0 < best
        },
        states("WGAN-GP with λ = 10 covers none", modeTable) { try modeRow("grid of 25", "WGAN-GP λ=10").modes.0 == 0 },
        states("*Ring, WGAN-GP with λ = 0.1:* the best result", modeTable) {
            let best = try modeRow("ring of 8", "WGAN-GP λ=0.1").modes.0
            return try ["minimax", "WGAN", "WGAN-GP λ=10"].allSatisfy { try modeRow("ring of 8", $0).modes.0 < best }
        },
        states("*WGAN (clipping):* no collapse, but no modes either", modeTable) {
            try modeRow("ring of 8", "WGAN").modes.0 == 0 && modeRow("grid of 25", "WGAN").modes.0 == 0
        },
        quotes("the minimax GAN covers the most modes (4.7 of 25)", modeTable) {
            let own = try modeRow("grid of 25", "minimax").modes.0
            let most = try ["WGAN", "WGAN-GP λ=10", "WGAN-GP λ=0.1"].allSatisfy { try modeRow("grid of 25", $0).modes.0 < own }
            return most ? "(\(f(own, 1)) of 25)" : "not the most"
        },

        // 11.2 WGAN: the collapse table (columns: 1 pixel spread, 2 gradient norm, 3 alignment).
        quotes("(pixel spread 0.065 against 0.541)", collapseTable) {
            "\(f(try cell("64 generated images (fixed noise)", 1, in: collapseTable), 3)) against \(f(try cell("64 real training images", 1, in: collapseTable), 3))"
        },
        states("differ from each other about eight times less than real images do", collapseTable) {
            (try cell("64 real training images", 1, in: collapseTable) / cell("64 generated images (fixed noise)", 1, in: collapseTable)).rounded() == 8
        },
        states("(the clipped WGAN covers no mode of either)", modeTable) {
            try modeRow("ring of 8", "WGAN").modes.0 == 0 && modeRow("grid of 25", "WGAN").modes.0 == 0
        },
        quotes("(alignment 1.000, against 0.773 at real images)", collapseTable) {
            "\(f(try cell("64 generated images (fixed noise)", 3, in: collapseTable), 3)), against \(f(try cell("64 real training images", 3, in: collapseTable), 3))"
        },

        // 11.3 techniques: prose about the table.
        states("every Fashion-MNIST generator but one draws one image for all 36 noise vectors, and the recall of each of those is 0.000", techniquesTable) {
            let rows = try techniqueNames()
            return try rows.filter { $0 != "lr × 20" }.allSatisfy { try technique($0, 4) == 0 } && technique("lr × 20", 4) > 0
        },
        quotes("all six stabilisers came out below the baseline's 716.6, spectral normalisation lowest (578.0, also the lowest KID of the stabilisers, 88.39), TTUR highest (687.7)", techniquesTable) {
            let stabilisers = ["label smoothing", "instance noise", "feature matching", "label flipping", "spectral norm", "TTUR"]
            let fd = try stabilisers.map { try technique($0, 1) }, kid = try stabilisers.map { try technique($0, 2) }
            let baseline = try technique("baseline", 1)
            guard fd.allSatisfy({ $0 < baseline }) else { return "not all below the baseline" }
            guard fd.min() == fd[4], kid.min() == kid[4], fd.max() == fd[5] else { return "ranking differs" }
            return "baseline's \(f(baseline, 1)), spectral normalisation lowest (\(f(fd[4], 1)), also the lowest KID of the stabilisers, \(f(kid[4], 2))), TTUR highest (\(f(fd[5], 1)))"
        },
        quotes("best FD in the table (195.8) with a precision of 0.667", techniquesTable) {
            let rows = try techniqueNames()
            guard try rows.allSatisfy({ try technique($0, 1) >= technique("lr × 20", 1) }) else { return "not the best" }
            return "(\(f(try technique("lr × 20", 1), 1))) with a precision of \(f(try technique("lr × 20", 3), 3))"
        },
        states("the same rate covered almost no mode", techniquesTable) {
            try technique("lr × 20", 5) < 1 && technique("lr × 20", 6) < 1
        },
        quotes("its samples are still noise (FD 811.9)", techniquesTable) { f(try technique("lr ÷ 20", 1), 1) },
        quotes("(6.3 ± 1.2 of 25 against the baseline's 4.7 ± 1.2)", techniquesTable) {
            "(\(try tableRow("batch × 4", in: techniquesTable)[6]) against the baseline's \(try tableRow("baseline", in: techniquesTable)[6].replacingOccurrences(of: " of 25", with: "")))"
        },

        // 11.4 cGAN: the class-match table (columns: 1 samples as asked, 2 real test images).
        quotes("Overall 81% of the samples are classified as the class asked for", classMatchTable) {
            "\(Int(try cell("**all**", 1, in: classMatchTable)))%"
        },
        quotes("and 91% for real test images", classMatchTable) { "\(Int(try cell("**all**", 2, in: classMatchTable)))%" },
        quotes("81% of the samples of the default run match", classMatchTable) { "\(Int(try cell("**all**", 1, in: classMatchTable)))%" },
        quotes("Pullover has the lowest match of the table (40%), and the other three upper-body classes come next: T-shirt/top, Coat and Shirt, at 65%, 66% and 66%", classMatchTable) {
            let upper = try ["Pullover", "T-shirt/top", "Coat", "Shirt"].map { try cell($0, 1, in: classMatchTable) }
            let rest = try ["Trouser", "Dress", "Sandal", "Sneaker", "Bag", "Ankle boot"].map { try cell($0, 1, in: classMatchTable) }
            guard upper[0] == upper.min()!, upper.max()! < rest.min()!, upper[1] <= upper[2], upper[2] <= upper[3] else { return "ranking differs" }
            return "(\(Int(upper[0]))%), and the other three upper-body classes come next: T-shirt/top, Coat and Shirt, at \(Int(upper[1]))%, \(Int(upper[2]))% and \(Int(upper[3]))%"
        },
        quotes("(Shirt for 39% of the pullovers, 27% of the coats and 28% of the T-shirts)", classMatchTable) {
            let taken = try ["Pullover", "Coat", "T-shirt/top"].map { try tableRow($0, in: classMatchTable)[3] }
            guard taken.allSatisfy({ $0.hasPrefix("Shirt (") }) else { return "not all taken for Shirt: \(taken)" }
            let p = taken.map { $0.dropFirst("Shirt (".count).dropLast() }
            return "(Shirt for \(p[0]) of the pullovers, \(p[1]) of the coats and \(p[2]) of the T-shirts)"
        },
        states("Each of the four is most often taken for another upper-body class", classMatchTable) {
            let upper = ["T-shirt/top", "Pullover", "Coat", "Shirt"]
            return try upper.allSatisfy { row in
                let name = try tableRow(row, in: classMatchTable)[3].split(separator: " (")[0]
                return upper.contains(String(name)) && String(name) != row
            }
        },
        quotes("even on real images (73%), so its 66%", classMatchTable) {
            "(\(Int(try cell("Shirt", 2, in: classMatchTable)))%), so its \(Int(try cell("Shirt", 1, in: classMatchTable)))%"
        },
        quotes("their real-image rates (87% and 88%)", classMatchTable) {
            "(\(Int(try cell("Pullover", 2, in: classMatchTable)))% and \(Int(try cell("Coat", 2, in: classMatchTable)))%)"
        },
        states("Trousers, whose shape nothing else shares, are matched every time", classMatchTable) {
            try cell("Trouser", 1, in: classMatchTable) == 100
        },

        // 11.4 DCGAN and cGAN.
        quotes("three epochs of Fashion-MNIST: 2,811 iterations of 64 images", dcgan) { thousands(try rows(of: dcgan)) },
        // GFLOP per step from the README's speed table (Bench counts them; they do not depend on the machine).
        states("the three DCGAN epochs are more than five times the arithmetic of the five MLP epochs", dcgan) {
            let ratio = Double(try rows(of: dcgan)) * 9.44 / (Double(try rows(of: minimax)) * 1.01)
            return ratio > 5 && ratio < 6
        },
        quotes("One epoch of Fashion-MNIST (937 iterations of 64 images)", cgan) { "(\(try rows(of: cgan)) iterations" },

        // 11.6 applications: prose about the anomaly and augmentation tables.
        quotes("image of a seen class (0.673), and every seed agrees (from 0.653 to 0.694)", anomalyTable) {
            let row = try tableRow("AnoGAN residual", in: anomalyTable)
            let seeds = row[2].split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            return seeds.allSatisfy { $0 > 0.5 }
                ? "(\(row[1].split(separator: " ")[0])), and every seed agrees (from \(f(seeds.min()!, 3)) to \(f(seeds.max()!, 3)))" : "a seed below chance"
        },
        quotes("worse than chance on every seed (from 0.299 to 0.358)", anomalyTable) {
            let seeds = try tableRow("discriminator's logit", in: anomalyTable)[2].split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces))! }
            return seeds.allSatisfy { $0 < 0.5 } ? "on every seed (from \(f(seeds.min()!, 3)) to \(f(seeds.max()!, 3)))" : "a seed above chance"
        },
        quotes("the classifier reaches 79.7%; half as many generated images leave it at 79.8% and as many again at 79.6%", augmentationTable) {
            let (none, half, one) = (try cell("0.0", 1, in: augmentationTable), try cell("0.5", 1, in: augmentationTable), try cell("1.0", 1, in: augmentationTable))
            return "\(f(100 * none, 1))%; half as many generated images leave it at \(f(100 * half, 1))% and as many again at \(f(100 * one, 1))%"
        },
        quotes("down to 78.0% at four generated images per real one", augmentationTable) { "\(f(100 * (try cell("4.0", 1, in: augmentationTable)), 1))%" },

        // 11.5 leaderboard: prose about the table (columns: 1 FD, 2 KID, 3 IS, 4 precision, 5 recall).
        states("The DCGAN of §11.4 leads on FD, KID and recall", leaderboard) {
            let others = ["`ch11_4_cgan`", "`ch11_2_rgan`", "`ch11_3_wgangp`", "`ch11_2_minimax`", "`ch11_2_wgan`"]
            return try others.allSatisfy {
                try board($0, 1) > board("`ch11_4_dcgan`", 1) && board($0, 2) > board("`ch11_4_dcgan`", 2)
                    && board($0, 5) < board("`ch11_4_dcgan`", 5)
            }
        },
        states("conditional GAN leads on IS and is second on FD", leaderboard) {
            let others = ["`ch11_4_dcgan`", "`ch11_2_rgan`", "`ch11_3_wgangp`", "`ch11_2_minimax`", "`ch11_2_wgan`"]
            return try others.allSatisfy { try board($0, 3) < board("`ch11_4_cgan`", 3) }
                && others.dropFirst().allSatisfy { try board($0, 1) > board("`ch11_4_cgan`", 1) }
        },
        quotes("is 49.69 against the MLP's 284.17, the lowest of all the workbook's models", leaderboard) {
            "\(f(try board("`ch11_4_dcgan`", 1), 2)) against the MLP's \(f(try board("`ch11_2_minimax`", 1), 2))"
        },
        quotes("the minimax GAN's samples are plausible (precision 0.53) but its k-nearest-neighbour balls cover almost no real image (recall 0)", leaderboard) {
            "(precision \(f(try board("`ch11_2_minimax`", 4), 2))) but its k-nearest-neighbour balls cover almost no real image (recall \(f(try board("`ch11_2_minimax`", 5), 0)))"
        },
        quotes("has a higher precision than the DCGAN (0.513 against 0.474) and the worst of everything else", leaderboard) {
            let others = ["`ch11_4_cgan`", "`ch11_2_rgan`", "`ch11_3_wgangp`", "`ch11_4_dcgan`", "`ch11_2_minimax`"]
            let worst = try others.allSatisfy {
                try board($0, 1) < board("`ch11_2_wgan`", 1) && board($0, 2) < board("`ch11_2_wgan`", 2)
                    && board($0, 3) > board("`ch11_2_wgan`", 3) && board($0, 5) >= board("`ch11_2_wgan`", 5)
            }
            let (wgan, dcgan) = (try board("`ch11_2_wgan`", 4), try board("`ch11_4_dcgan`", 4))
            return worst && wgan > dcgan ? "(\(f(wgan, 3)) against \(f(dcgan, 3)))" : "not so"
        },
        states("beats it on FD, KID and IS", leaderboard) {
            try board("`ch11_3_wgangp`", 1) < board("`ch11_2_minimax`", 1) && board("`ch11_3_wgangp`", 2) < board("`ch11_2_minimax`", 2)
                && board("`ch11_3_wgangp`", 3) > board("`ch11_2_minimax`", 3)
        },
        states("trained five times fewer generator steps than the minimax GAN", wgangp) {
            abs(Double(try rows(of: minimax)) / Double(try rows(of: wgangp)) - 5) < 0.1
        },
    ]

    static func collapsed(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    @Test func everyQuotedNumberMatchesTheData() throws {
        let book = Self.collapsed(try Self.text("book.md"))
        for claim in Self.claims {
            let found = book.contains(claim.fragment)
            #expect(found, "book.md no longer says \(claim)")
            switch try claim.check() {
            case .text(let value):
                #expect(claim.fragment.contains(value), "\(claim): the data gives \(value)")
            case .holds(let fact):
                #expect(fact, "\(claim) is not what the data shows")
            }
        }
    }

    /// The book reprints the committed tables: every row of each must be in book.md as it is.
    @Test(arguments: reprintedTables)
    func tablesAreReprintedAsCommitted(_ path: String) throws {
        let book = try Self.text("book.md")
        let rows = try Self.text(path).split(separator: "\n").filter { $0.hasPrefix("|") && !$0.hasPrefix("|--") && !$0.hasPrefix("| ---") }
        #expect(rows.count >= 3, "a header and at least two rows")
        for row in rows { #expect(book.contains(row), "book.md does not reprint \(path)'s row \(row)") }
    }

    /// How many numbers the tests above check: one per claim, plus every number in the
    /// reprinted tables' cells.
    static func tableNumberCount() throws -> Int {
        let number = try NSRegularExpression(pattern: #"-?\d+(\.\d+)?"#)
        return try reprintedTables.map { path in
            try text(path).split(separator: "\n").filter { $0.hasPrefix("|") && !$0.hasPrefix("|--") && !$0.hasPrefix("| ---") }
                .dropFirst().map { row -> Int in
                    let cells = row.split(separator: "|").dropFirst()  // the first cell names the row
                    return cells.map { cell in number.numberOfMatches(in: String(cell), range: NSRange(cell.startIndex..., in: cell)) }
                        .reduce(0, +)
                }.reduce(0, +)
        }.reduce(0, +)
    }

    @Test func theChecksCoverTheBooksNumbers() throws {
        let count = try Self.tableNumberCount()
        print("book numbers checked: \(Self.claims.count) claims in prose, \(count) numbers in reprinted tables")
        #expect(Self.claims.count >= 50 && count > 100)
    }
}
