// snippet.auroc
/// The area under the ROC curve of a score that should be higher for `positives` (e.g. the
/// held-out class's images) than for `negatives`: the probability that a random positive
/// outscores a random negative, ties counting one half (the Mann–Whitney U statistic).
/// 0.5 is chance, 1 a perfect separation.
public func areaUnderROC(positives: [Float], negatives: [Float]) -> Double {
    precondition(!positives.isEmpty && !negatives.isEmpty, "AUROC needs both kinds of examples")
    let ranked = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
    // Sum of the positives' ranks (1-based), tied scores sharing their mean rank.
    var rankSum = 0.0, index = 0
    while index < ranked.count {
        var end = index
        while end + 1 < ranked.count && ranked[end + 1].0 == ranked[index].0 { end += 1 }
        let meanRank = Double(index + end + 2) / 2
        rankSum += meanRank * Double(ranked[index...end].filter(\.1).count)
        index = end + 1
    }
    let p = Double(positives.count), q = Double(negatives.count)
    return (rankSum - p * (p + 1) / 2) / (p * q)
}
// snippet.end

/// The ROC curve's points (false-positive rate, true-positive rate), from (0, 0) to (1, 1),
/// as the threshold falls through the scores.
public func rocCurve(positives: [Float], negatives: [Float]) -> (falsePositiveRate: [Double], truePositiveRate: [Double]) {
    let thresholds = Set(positives + negatives).sorted(by: >)
    var fpr = [0.0], tpr = [0.0]
    for threshold in thresholds {
        tpr.append(Double(positives.filter { $0 >= threshold }.count) / Double(positives.count))
        fpr.append(Double(negatives.filter { $0 >= threshold }.count) / Double(negatives.count))
    }
    return (fpr, tpr)
}
