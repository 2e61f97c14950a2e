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
times=()
# Wall time and peak resident memory of each step, from GNU time when it is installed.
measure=()
if [ -x /usr/bin/time ]; then measure=(/usr/bin/time -f '%e %M' -o .make-figures-step.txt); fi

# run [--keep RUN_NAME] CHAPTER ARGS...: runs the chapter; with --keep, copies the run's
# final generator to models/, where the metrics chapter's leaderboard finds it.
run() {
    local keep=""
    if [ "$1" = --keep ]; then keep="$2"; shift 2; fi
    local chapter="$1"; shift
    case "$chapter" in "$only"*) ;; *) return 0 ;; esac
    # The book's figures are written only on request: a chapter's default --out is runs/.
    case " $* " in *" --out "*) ;; *) set -- "$@" --out figures ;; esac
    echo "== swift run $chapter $*"
    local started=$SECONDS memory="  (memory not measured)"
    "${measure[@]}" ".build/debug/$chapter" "$@"
    if [ -s .make-figures-step.txt ]; then
        memory=$(awk '{ printf "%7.0f MiB peak", $2 / 1024 }' .make-figures-step.txt)
        rm -f .make-figures-step.txt
    fi
    times+=("$(printf '%5d s %s  %s %s' $((SECONDS - started)) "$memory" "$chapter" "$*")")
    if [ -n "$keep" ]; then
        mkdir -p models
        cp "checkpoints/$keep/generator.safetensors" "models/${keep}_generator.safetensors"
    fi
}

run Ch11_1_GenerativeModels
run Ch11_2_Warmup
# The saturating run first, so that the default run can draw both on shared axes.
run Ch11_2_Minimax --loss saturating --out figures/saturating --checkpoint-dir checkpoints/saturating
run --keep ch11_2_minimax Ch11_2_Minimax --compare-with figures/saturating/ch11_2_minimax_log.csv
run --keep ch11_2_wgan Ch11_2_WGAN
run --keep ch11_2_rgan Ch11_2_RGAN --epochs 3
# Compares with the clipped run above instead of training it again (--compare would).
run --keep ch11_3_wgangp Ch11_3_WGANGP --compare-log figures/ch11_2_wgan_log.csv --compare-generator models/ch11_2_wgan_generator.safetensors
run Ch11_3_ModeCollapse
run Ch11_3_Techniques       # needs models/classifier.safetensors (shipped)
run --keep ch11_4_dcgan Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors
run --keep ch11_4_cgan Ch11_4_CGAN
run Ch11_5_Metrics sanity
run Ch11_5_Metrics leaderboard   # scores the generators kept in models/ above
run Ch11_6_Applications          # uses the cGAN and WGAN-GP generators kept in models/

echo "== time per step"
printf '%s\n' "${times[@]}"
echo "total: $SECONDS s"

swift run BookTool
