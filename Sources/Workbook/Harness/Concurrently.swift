/// `body` applied to every item, at most `concurrently` at a time, with the results in the
/// order of `items`; `finished` sees each result as it ends (for progress).
public func mapConcurrently<Item: Sendable, Result: Sendable>(
    _ items: [Item], concurrently: Int, isolation: isolated (any Actor)? = #isolation,
    finished: (Result) -> Void = { _ in }, _ body: @escaping @Sendable (Item) throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results = [Result?](repeating: nil, count: items.count)
        for (index, item) in items.enumerated() {
            if index >= concurrently, let (done, result) = try await group.next() {
                results[done] = result
                finished(result)
            }
            group.addTask { (index, try body(item)) }
        }
        while let (done, result) = try await group.next() {
            results[done] = result
            finished(result)
        }
        return results.map { $0! }
    }
}
