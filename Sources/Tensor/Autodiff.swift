/// Whether ops record the graph that `gradients(of:wrt:)` walks back through.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording a graph: for sampling, evaluation and optimiser updates.
public func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.$isEnabled.withValue(false, operation: body)
}

/// Reverse-mode differentiation, like `torch.autograd.grad`: the gradients of the scalar
/// `y` with respect to each tensor in `inputs`, as new tensors.
///
/// With `createGraph: true` the backward pass is itself recorded, so the returned gradients
/// can be differentiated again (WGAN-GP's gradient penalty needs this). An input that `y`
/// does not depend on gets a zero gradient. Only the part of the graph that leads to
/// `inputs` is walked, so no work is spent on gradients nobody asked for.
public func gradients(of y: Tensor, wrt inputs: [Tensor], createGraph: Bool = false) -> [Tensor] {
    precondition(y.count == 1, "gradients(of:) needs a scalar, got shape \(y.shape)")
    let order = topologicalOrder(from: y)
    let wanted = Set(inputs.map(ObjectIdentifier.init))

    // A node is on a path to some input when it is one, or one of its parents is.
    var leadsToInput = Set<ObjectIdentifier>()
    for node in order {
        let id = ObjectIdentifier(node)
        if wanted.contains(id) || node.parents.contains(where: { leadsToInput.contains(ObjectIdentifier($0)) }) {
            leadsToInput.insert(id)
        }
    }

    var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(y): Tensor.ones(y.shape)]
    GradMode.$isEnabled.withValue(createGraph) {
        for node in order.reversed() {
            let id = ObjectIdentifier(node)
            guard let rule = node.backward, leadsToInput.contains(id), let g = grads[id] else { continue }
            if !wanted.contains(id) { grads[id] = nil }  // free memory early
            let needs = node.parents.map { leadsToInput.contains(ObjectIdentifier($0)) }
            let parentGrads = rule(g, node, needs)
            for (parent, pg) in zip(node.parents, parentGrads) {
                guard let pg, leadsToInput.contains(ObjectIdentifier(parent)) else { continue }
                precondition(pg.shape == parent.shape, "backward rule gave \(pg.shape) for \(parent.shape)")
                let pid = ObjectIdentifier(parent)
                grads[pid] = grads[pid].map { $0 + pg } ?? pg
            }
        }
    }
    return inputs.map { grads[ObjectIdentifier($0)] ?? Tensor.zeros($0.shape) }
}

/// Nodes that require gradients, each after all of its parents; iterative (no recursion),
/// so deep graphs cannot overflow the stack.
func topologicalOrder(from root: Tensor) -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(node: Tensor, nextParent: Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (node, next) = stack.last {
        if next < node.parents.count {
            stack[stack.count - 1].nextParent += 1
            let parent = node.parents[next]
            if parent.requiresGrad, visited.insert(ObjectIdentifier(parent)).inserted {
                stack.append((parent, 0))
            }
        } else {
            order.append(node)
            stack.removeLast()
        }
    }
    return order
}
