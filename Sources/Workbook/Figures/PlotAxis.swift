import Foundation

/// One axis of a plot: its data range, linear or logarithmic mapping, and labelled ticks.
struct PlotAxis: Sendable {
    var title: String
    var lower: Double
    var upper: Double
    var isLogarithmic = false
    var ticks: [Double] = []
    var labels: [String] = []
    var showsGrid = true

    /// Position of `value` along the axis, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        if isLogarithmic {
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }

    /// Chooses about `target` ticks with round values and labels them. A log axis is first
    /// widened to the nearest ticks outside its range, so that a reader can always read off a
    /// value above and below the data (a log axis between two ticks has no scale).
    mutating func placeTicks(target: Int) {
        if isLogarithmic { (lower, upper) = PlotAxis.logRangeEnclosedByTicks(lower: lower, upper: upper) }
        (ticks, labels) = isLogarithmic
            ? PlotAxis.logTicks(lower: lower, upper: upper)
            : PlotAxis.linearTicks(lower: lower, upper: upper, target: target)
    }

    /// Ticks at 1, 2 or 5 times a power of ten, labelled with just enough digits.
    static func linearTicks(lower: Double, upper: Double, target: Int) -> ([Double], [String]) {
        let rawStep = (upper - lower) / Double(max(target, 1))
        guard rawStep > 0, rawStep.isFinite else { return ([lower], [format(lower, stepExponent: 0)]) }
        var exponent = Int(floor(log10(rawStep)))
        let mantissa = rawStep / pow(10, Double(exponent))
        let niceMantissa: Double
        switch mantissa {
        case ..<1.5: niceMantissa = 1
        case ..<3.5: niceMantissa = 2
        case ..<7.5: niceMantissa = 5
        default: niceMantissa = 1; exponent += 1
        }
        let step = niceMantissa * pow(10, Double(exponent))
        let first = Int((lower / step - 1e-9).rounded(.up)), last = Int((upper / step + 1e-9).rounded(.down))
        guard first <= last else { return ([], []) }
        let ticks = (first...last).map { Double($0) * step }
        let useThousands = exponent >= 3 && ticks.allSatisfy { abs($0) < 1e6 }
        let labels = ticks.map { tick in
            useThousands && tick != 0
                ? format(tick / 1000, stepExponent: exponent - 3) + "k" : format(tick, stepExponent: exponent)
        }
        return (ticks, labels)
    }

    /// The smallest range around `lower...upper` whose ends are ticks of `logTicks`.
    static func logRangeEnclosedByTicks(lower: Double, upper: Double) -> (Double, Double) {
        guard lower > 0, upper >= lower, upper.isFinite else { return (lower, upper) }
        var low = lower, high = upper
        // Widening can add a decade and so change which ticks are chosen: repeat until stable.
        for _ in 0..<4 {
            let candidates = logTickCandidates(lower: low, upper: high)
            low = candidates.last { $0 <= lower * (1 + 1e-9) } ?? low
            high = candidates.first { $0 >= upper * (1 - 1e-9) } ?? high
            let ticks = logTicks(lower: low, upper: high).0
            if let first = ticks.first, let last = ticks.last,
               first <= lower * (1 + 1e-9), last >= upper * (1 - 1e-9) { break }
        }
        return (low, high)
    }

    /// Ticks at powers of ten; when the range spans few decades, also at 2 and 5 times them.
    static func logTicks(lower: Double, upper: Double) -> ([Double], [String]) {
        let ticks = logTickCandidates(lower: lower, upper: upper)
            .filter { $0 >= lower * (1 - 1e-9) && $0 <= upper * (1 + 1e-9) }
        let labels = ticks.map { tick in format(tick, stepExponent: Int(floor(log10(tick) + 1e-9))) }
        return (ticks, labels)
    }

    /// The values `logTicks` chooses from for this range, reaching one step beyond each end.
    private static func logTickCandidates(lower: Double, upper: Double) -> [Double] {
        let low = Int(floor(log10(lower))), high = Int(ceil(log10(upper)))
        let decades = high - low
        let multipliers: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        let stride = max(1, decades / 8)    // keep at most about eight labels
        return Swift.stride(from: low - stride, through: high + stride, by: stride).flatMap { power in
            multipliers.map { $0 * pow(10, Double(power)) }
        }
    }

    /// Formats a tick value given the power of ten of the tick step: plain decimals for
    /// everyday magnitudes, "2.5e-5" style for tiny or huge ones.
    static func format(_ value: Double, stepExponent: Int) -> String {
        // Rounding leaves tiny non-zero values where zero was meant.
        let value = abs(value) < pow(10, Double(stepExponent)) * 1e-6 ? 0 : value
        let magnitude = abs(value)
        let scientific = stepExponent < -3 || stepExponent >= 6
        if magnitude == 0 && scientific { return "0" }
        if magnitude != 0 && (magnitude < 1e-3 || magnitude >= 1e6) {
            let exponent = Int(floor(log10(magnitude) + 1e-9))
            let digits = max(0, exponent - stepExponent)
            let mantissa = String(format: "%.\(digits)f", value / pow(10, Double(exponent)))
            return "\(mantissa)e\(exponent)"
        }
        return String(format: "%.\(max(0, -stepExponent))f", value)
    }

    /// The range covered by the finite values (positive ones for a log axis), widened by
    /// `padding` of its length on each side. Falls back to a unit range when nothing is
    /// plottable or to a small band around a constant.
    static func dataRange(_ values: [Double], logarithmic: Bool, padding: Double) -> (Double, Double) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        guard var low = usable.min(), var high = usable.max() else { return logarithmic ? (1, 10) : (0, 1) }
        if logarithmic {
            low = log10(low)
            high = log10(high)
        }
        if low == high {
            let spread = low == 0 || logarithmic ? 1 : abs(low) * 0.1
            low -= spread
            high += spread
        }
        let margin = (high - low) * padding
        low -= margin
        high += margin
        return logarithmic ? (pow(10, low), pow(10, high)) : (low, high)
    }
}
