#!/usr/bin/env bash
# Regenerates every figure that book.md shows, by running each chapter with the exact
# command the book prints beside its figures, then rebuilds book.md. Takes a while on a
# 2-core machine (see each chapter's section for its run time).
#   Tools/make-figures.sh            all chapters
#   Tools/make-figures.sh Ch11_2     only commands whose chapter name starts with Ch11_2
set -euo pipefail
cd "$(dirname "$0")/.."
only="${1:-}"

swift build

run() {
    local chapter="$1"; shift
    case "$chapter" in "$only"*) ;; *) return 0 ;; esac
    echo "== swift run $chapter $*"
    ".build/debug/$chapter" "$@"
}

# Keep a chapter's final generator where the metrics chapter's leaderboard finds it.
keep_generator() {
    mkdir -p models
    cp "checkpoints/$1/generator.safetensors" "models/$1_generator.safetensors"
}

run Ch11_1_GenerativeModels
run Ch11_2_Minimax && keep_generator ch11_2_minimax
run Ch11_2_Minimax --loss saturating --out figures/saturating --checkpoint-dir checkpoints/saturating
run Ch11_2_WGAN && keep_generator ch11_2_wgan
run Ch11_3_WGANGP --compare && keep_generator ch11_3_wgangp
run Ch11_3_ModeCollapse

swift run BookTool
