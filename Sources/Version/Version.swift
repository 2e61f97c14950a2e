import Foundation

/// What `--version` prints: the package's version and, when the executable was built from a
/// git checkout, that checkout's commit, e.g. `0.2.0 (commit 46d9afb)`.
public let workbookVersion: String = {
    workbookCommit.map { "\(workbookPackageVersion) (commit \($0))" } ?? workbookPackageVersion
}()

/// The package's version alone, e.g. `0.2.0`.
public let workbookPackageVersion = "0.2.0"

/// The short commit of the checkout the executable was built from, if it was built from one.
public let workbookCommit: String? = sourceCommit()

/// The commit of the checkout this file was compiled from, read from `.git` without running
/// git; nil when the sources are not a checkout (a source archive, or moved).
func sourceCommit(repository: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()) -> String? {
    var git = repository.appendingPathComponent(".git")
    // A worktree's .git is a file naming the real folder: "gitdir: /path".
    if let pointer = try? String(contentsOf: git, encoding: .utf8), pointer.hasPrefix("gitdir: ") {
        git = URL(fileURLWithPath: pointer.dropFirst(8).trimmingCharacters(in: .whitespacesAndNewlines))
    }
    guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
        .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
    guard head.hasPrefix("ref: ") else { return String(head.prefix(7)) }
    let reference = String(head.dropFirst(5))
    // Worktrees keep their HEAD apart but share refs with the main folder ("commondir").
    var refsRoot = git
    if let common = try? String(contentsOf: git.appendingPathComponent("commondir"), encoding: .utf8) {
        let path = common.trimmingCharacters(in: .whitespacesAndNewlines)
        // Relative to the worktree's git folder itself (not to its parent, as `relativeTo:` would take it).
        refsRoot = (path.hasPrefix("/") ? URL(fileURLWithPath: path) : git.appendingPathComponent(path)).standardized
    }
    if let commit = try? String(contentsOf: refsRoot.appendingPathComponent(reference), encoding: .utf8) {
        return String(commit.trimmingCharacters(in: .whitespacesAndNewlines).prefix(7))
    }
    // Packed refs: lines "<sha> <ref>".
    let packed = (try? String(contentsOf: refsRoot.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
    return packed.split(separator: "\n").first { $0.hasSuffix(" " + reference) }.map { String($0.prefix(7)) }
}
