#!/usr/bin/env bash
# Regenerates every figure that book.md shows, by running each chapter with the exact
# command the book prints beside its figures, then rebuilds book.md. Takes a while on a
# 2-core machine (see each chapter's section for its run time).
#   Tools/make-figures.sh                 all chapters
#   Tools/make-figures.sh Ch11_2          only commands whose chapter name starts with Ch11_2
#   Tools/make-figures.sh --one-lane ...  one chapter at a time, on every core
#
# By default the steps run in two lanes side by side, each step on one thread (a step's
# output then goes to .make-figures/<step>.log). A run's results do not depend on its
# thread count (the library cuts every product by shape alone, and its tests compare runs
# at --threads 1 and 2 byte for byte), so the lanes make the same files as the printed
# commands, only sooner: no step waits for another's threads, and one lane's data loading,
# drawing and scoring overlap the other's training.
set -euo pipefail
cd "$(dirname "$0")/.."
lanes=2
if [ "${1:-}" = --one-lane ]; then lanes=1; shift; fi
only="${1:-}"

swift build
mkdir -p .make-figures
rm -f .make-figures/*.log .make-figures/times.txt
# Wall time and peak resident memory of each step, from GNU time when it is installed.
have_time=0
if [ -x /usr/bin/time ]; then have_time=1; fi

# run [--keep RUN_NAME] CHAPTER ARGS...: runs the chapter; with --keep, copies the run's
# final generator to models/, where the metrics chapter's leaderboard finds it. A run with
# --out figures keeps its checkpoints in figures/checkpoints/RUN_NAME/ and its settings and
# summary records beside its figures (all ignored by git); running a step again with the same
# settings starts it afresh over the last one.
run() {
    local keep=""
    if [ "$1" = --keep ]; then keep="$2"; shift 2; fi
    local chapter="$1"; shift
    case "$chapter" in "$only"*) ;; *) return 0 ;; esac
    # The book's figures are written only on request: a chapter's default --out is runs/.
    case " $* " in *" --out "*) ;; *) set -- "$@" --out figures ;; esac
    local step="$chapter $*" name log started=$SECONDS
    name=$(printf '%s' "$chapter $1" | tr -c 'A-Za-z0-9_' '_')
    log=.make-figures/$name.log
    local measure=()
    if [ $have_time = 1 ]; then measure=(/usr/bin/time -f '%e %M' -o ".make-figures/$name.time"); fi
    if [ $lanes = 1 ]; then
        echo "== swift run $step"
        "${measure[@]}" ".build/debug/$chapter" "$@"
    else
        echo "== started: swift run $step (output: $log)"
        if ! "${measure[@]}" ".build/debug/$chapter" "$@" --threads 1 > "$log" 2>&1; then
            echo "FAILED: swift run $step; the end of $log:"; tail -20 "$log"; touch .make-figures/failed; return 1
        fi
        echo "== done in $((SECONDS - started)) s: $chapter $1"
    fi
    local memory="  (memory not measured)"
    if [ -s ".make-figures/$name.time" ]; then
        memory=$(awk '{ printf "%7.0f MiB peak", $2 / 1024 }' ".make-figures/$name.time")
    fi
    printf '%5d s %s  %s\n' $((SECONDS - started)) "$memory" "$step" >> .make-figures/times.txt
    if [ -n "$keep" ]; then
        mkdir -p models
        cp "figures/checkpoints/$keep/generator.safetensors" "models/${keep}_generator.safetensors"
        touch ".make-figures/$keep.kept"
    fi
}

# needs RUN_NAME: waits until the other lane has kept that run's generator (with one lane
# it already has), and gives up when a step has failed.
needs() {
    case "$only" in "") ;; *) return 0 ;; esac
    until [ -e ".make-figures/$1.kept" ]; do
        if [ -e .make-figures/failed ]; then echo "not started: a step it needs failed"; return 1; fi
        sleep 2
    done
}

# Each lane's steps in the order their inputs need; the two lanes take about as long. With
# one lane, the first lane runs before the second, whose Applications need its WGAN-GP.
first_lane() {
    run --keep ch11_2_wgan Ch11_2_WGAN
    # Compares with the clipped run above instead of training it again (--compare would).
    run --keep ch11_3_wgangp Ch11_3_WGANGP --compare-log figures/ch11_2_wgan_log.csv --compare-generator models/ch11_2_wgan_generator.safetensors
    run --keep ch11_2_rgan Ch11_2_RGAN --epochs 3
    run Ch11_3_Techniques       # needs models/classifier.safetensors (shipped)
    run Ch11_1_GenerativeModels
    run Ch11_5_Metrics sanity
}
second_lane() {
    # The saturating run first, so that the default run can draw both on shared axes.
    run Ch11_2_Minimax --loss saturating --out figures/saturating --checkpoint-dir checkpoints/saturating
    run --keep ch11_2_minimax Ch11_2_Minimax --compare-with figures/saturating/ch11_2_minimax_log.csv
    run --keep ch11_4_dcgan Ch11_4_DCGAN --compare-with models/ch11_2_minimax_generator.safetensors
    run --keep ch11_4_cgan Ch11_4_CGAN
    run Ch11_3_ModeCollapse
    run Ch11_2_Warmup
    needs ch11_3_wgangp
    run Ch11_6_Applications          # uses the cGAN and WGAN-GP generators kept in models/
}
# Runs two step lists side by side, or one after the other with one lane; fails if either fails.
side_by_side() {
    if [ $lanes = 1 ]; then "$1"; "$2"; return; fi
    "$1" & local a=$!
    "$2" & local b=$!
    local failed=0
    wait $a || failed=1
    wait $b || failed=1
    return $failed
}

side_by_side first_lane second_lane
# Needs every generator that the lanes keep in models/.
run Ch11_5_Metrics leaderboard

echo "== time per step ($lanes lane(s); each step's own wall time and peak memory)"
cat .make-figures/times.txt
echo "total: $SECONDS s"

swift run BookTool
