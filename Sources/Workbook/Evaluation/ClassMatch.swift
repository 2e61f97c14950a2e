import Foundation
import Tensor

/// How often a classifier names the class each image was meant to be, class by class, and
/// which class it names instead when it does not. For a conditional generator "meant" is the
/// label G was asked for; for real images it is the true label, which gives the baseline:
/// a class the classifier confuses on real images cannot score higher on generated ones.
public struct ClassMatch: Sendable, Equatable {
    public let classNames: [String]
    /// `confusion[meant][named]`: how many images meant as class `meant` were named `named`.
    public let confusion: [[Int]]

    public init(meant: [Int], named: [Int], classNames: [String]) throws {
        let classes = classNames.count
        guard meant.count == named.count, !meant.isEmpty else {
            throw EvaluationError("class match: \(meant.count) labels for \(named.count) predictions",
                                  fix: "pass one predicted class per labelled image")
        }
        guard (meant + named).allSatisfy({ (0..<classes).contains($0) }) else {
            throw EvaluationError("class match: a class index is outside 0..<\(classes)",
                                  fix: "pass labels of the \(classes) classes named")
        }
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (m, n) in zip(meant, named) { confusion[m][n] += 1 }
        self.classNames = classNames
        self.confusion = confusion
    }

    /// The fraction of class `c`'s images named `c` (nan for a class with no images).
    public func rate(of c: Int) -> Double {
        let total = confusion[c].reduce(0, +)
        return total == 0 ? .nan : Double(confusion[c][c]) / Double(total)
    }

    /// The fraction of all images named as meant.
    public var overall: Double {
        let total = confusion.joined().reduce(0, +)
        return Double(confusion.indices.map { confusion[$0][$0] }.reduce(0, +)) / Double(total)
    }

    /// The class most often named instead of `c`, with the fraction of `c`'s images it took
    /// (nil when every image of `c` was named right).
    public func commonestMistake(for c: Int) -> (named: Int, fraction: Double)? {
        let total = confusion[c].reduce(0, +)
        let others = confusion[c].indices.filter { $0 != c }
        guard let worst = others.max(by: { confusion[c][$0] < confusion[c][$1] }), confusion[c][worst] > 0 else { return nil }
        return (worst, Double(confusion[c][worst]) / Double(total))
    }

    /// A Markdown table, one row per class: `generated`'s match, the real images' match as
    /// the baseline, and what the generated images of the class were most often taken for.
    public static func table(generated: ClassMatch, real: ClassMatch) -> String {
        func percent(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }
        var lines = ["| class asked for | samples classified as asked | real test images classified right | samples most often taken for |",
                     "|---|---:|---:|---|"]
        for c in generated.classNames.indices {
            let mistake = generated.commonestMistake(for: c)
                .map { "\(generated.classNames[$0.named]) (\(percent($0.fraction)))" } ?? "—"
            lines.append("| \(generated.classNames[c]) | \(percent(generated.rate(of: c))) | \(percent(real.rate(of: c))) | \(mistake) |")
        }
        lines.append("| **all** | \(percent(generated.overall)) | \(percent(real.overall)) | |")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension FeatureClassifier {
    /// The classifier's verdict on `images`, each meant as the class in `labels`.
    public func classMatch(_ images: Tensor, labels: [Int], classNames: [String]) throws -> ClassMatch {
        try ClassMatch(meant: labels, named: probabilities(images).mostProbableClasses, classNames: classNames)
    }
}
