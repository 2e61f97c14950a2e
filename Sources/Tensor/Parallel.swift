import CKernels

// The data-movement and elementwise kernels use the same threads as the matrix products.
// Each splits its output into contiguous blocks of independent values (image planes,
// channels, runs of elements) and computes every value in the same order as one thread
// would, so results are identical bit for bit at any thread count.

/// The process's thread count, set with `setComputeThreads`.
nonisolated(unsafe) private var processThreads = 1

func setKernelThreads(_ count: Int) { processThreads = Swift.max(1, count) }

/// A thread count for one piece of work (a test comparing counts, say), without changing
/// the process's.
enum ThreadOverride {
    @TaskLocal static var count: Int?
}

/// The threads that the kernels and matrix products of this task use.
var kernelThreads: Int { ThreadOverride.count ?? processThreads }

/// Runs `body` with `count` compute threads for this task and what it calls, whatever the
/// process's count; results are the same at any count, so this changes only the speed.
public func withComputeThreads<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
    try ThreadOverride.$count.withValue(Swift.max(1, count), operation: body)
}

/// Calls `body(begin, end)` on contiguous blocks that cover 0..<count, concurrently on up to
/// `kernelThreads` threads (this one and the pool's, `gans_parallel_run`), each block at
/// least `grain` items; one call on this thread when there is too little work to share.
@inline(__always)
func inBlocks(of count: Int, grain: Int, _ body: (Int, Int) -> Void) {
    let blocks = Swift.min(kernelThreads, count / Swift.max(grain, 1))
    guard blocks > 1 else {
        if count > 0 { body(0, count) }
        return
    }
    // The blocks write disjoint parts of buffers that outlive this call, which returns only
    // when every block is done, so the job may live on this stack.
    withoutActuallyEscaping(body) { body in
        var job = BlockJob(body: body, count: count, blocks: blocks)
        withUnsafeMutablePointer(to: &job) { job in
            gans_parallel_run(kernelThreads, blocks, { context, block in
                let job = context!.assumingMemoryBound(to: BlockJob.self)
                let (count, blocks, block) = (job.pointee.count, job.pointee.blocks, Int(block))
                job.pointee.body(count * block / blocks, count * (block + 1) / blocks)
            }, job)
        }
    }
}

private struct BlockJob {
    let body: (Int, Int) -> Void
    let count: Int
    let blocks: Int
}

/// Enough values per block that a thread hand-off is a small part of the block's time.
let valuesPerBlock = 1 << 15

/// The grain, in items, for items of `valuesPerItem` values each.
func grain(valuesPerItem: Int) -> Int { Swift.max(1, valuesPerBlock / Swift.max(valuesPerItem, 1)) }
