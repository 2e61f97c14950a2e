import Foundation
import Testing
@testable import Version

@Suite struct VersionTests {
    /// A fake checkout: `.git/HEAD` and, where given, a loose ref and packed refs.
    func checkout(head: String, loose: (String, String)? = nil, packed: String? = nil) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("version-\(UUID().uuidString)")
        let git = root.appendingPathComponent(".git")
        try FileManager.default.createDirectory(at: git.appendingPathComponent("refs/heads"), withIntermediateDirectories: true)
        try head.write(to: git.appendingPathComponent("HEAD"), atomically: true, encoding: .utf8)
        if let (reference, sha) = loose { try sha.write(to: git.appendingPathComponent(reference), atomically: true, encoding: .utf8) }
        if let packed { try packed.write(to: git.appendingPathComponent("packed-refs"), atomically: true, encoding: .utf8) }
        return root
    }

    @Test func theCommitComesFromHEADsBranchLooseOrPacked() throws {
        let sha = "46d9afb0123456789abcdef0123456789abcdef0"
        #expect(sourceCommit(repository: try checkout(head: "ref: refs/heads/main\n", loose: ("refs/heads/main", sha + "\n"))) == "46d9afb")
        #expect(sourceCommit(repository: try checkout(head: "ref: refs/heads/main\n", packed: "# pack-refs\n\(sha) refs/heads/main\n")) == "46d9afb")
        #expect(sourceCommit(repository: try checkout(head: sha + "\n")) == "46d9afb")  // a detached HEAD
        #expect(sourceCommit(repository: FileManager.default.temporaryDirectory.appendingPathComponent("no-such-checkout")) == nil)
    }

    /// A worktree's `.git` is a file naming its folder inside the main checkout's `.git`, whose
    /// `commondir` ("../..") leads back to the shared refs (seen missing before: the commit was nil).
    @Test func aWorktreeFindsItsBranchInTheSharedRefs() throws {
        let sha = "46d9afb0123456789abcdef0123456789abcdef0"
        let main = try checkout(head: "ref: refs/heads/main\n", loose: ("refs/heads/runs", sha + "\n"))
        let own = main.appendingPathComponent(".git/worktrees/wt")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try "ref: refs/heads/runs\n".write(to: own.appendingPathComponent("HEAD"), atomically: true, encoding: .utf8)
        try "../..\n".write(to: own.appendingPathComponent("commondir"), atomically: true, encoding: .utf8)
        let worktree = main.appendingPathComponent("wt")
        try FileManager.default.createDirectory(at: worktree, withIntermediateDirectories: true)
        try "gitdir: \(own.path)\n".write(to: worktree.appendingPathComponent(".git"), atomically: true, encoding: .utf8)
        #expect(sourceCommit(repository: worktree) == "46d9afb")
    }

    @Test func theVersionNamesThePackageVersion() {
        #expect(workbookVersion.hasPrefix("0.2.0"))
    }
}
