// Tensor's own `precondition` and `preconditionFailure`, which every check in this module
// calls (a module's declarations shadow the standard library's). The standard library's drop
// their message in an optimised build, and every build of the workbook is optimised (see
// Package.swift); these keep it, so a shape mismatch says which shapes ("cannot concatenate
// [4, 100] and [3, 10] along axis 1"), in a reader's crash and in an exercise's hint.

@inline(__always)
func precondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = String(),
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { preconditionFailure(message(), file: file, line: line) }
}

@inline(never)
func preconditionFailure(_ message: @autoclosure () -> String = String(), file: StaticString = #fileID,
                         line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
