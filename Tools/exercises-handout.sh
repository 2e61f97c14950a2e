#!/usr/bin/env bash
# Writes a copy of the workbook for students: the committed tree (HEAD) with the reference
# solutions of the checkable exercises replaced by a stub. Students write their answers in
# Sources/Exercises and grade them with `swift run Ch11_Exercises check`; `check --solutions`
# says that the copy has none, and the tests that need the solutions are skipped.
#   Tools/exercises-handout.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Tools/exercises-handout.sh DIR (a new or empty folder)}"
if [ -e "$target" ] && [ -n "$(ls -A "$target")" ]; then
    echo "error: $target is not empty; pass a new or empty folder" >&2
    exit 1
fi
mkdir -p "$target"
git archive HEAD | tar -x -C "$target"
cat > "$target/Sources/Solutions/Solutions.swift" <<'STUB'
import ExerciseKit

// The reference solutions are not part of this copy of the workbook.

/// Whether this copy of the workbook has the reference solutions (a hand-out does not).
public let solutionsIncluded = false

public var referenceAnswers: ExerciseAnswers { .unwritten }
STUB
echo "wrote $target (without the reference solutions)"
