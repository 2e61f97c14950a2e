#!/usr/bin/env bash
# Kill test: kills a training chapter with SIGKILL at random moments while it checkpoints
# after every iteration, resumes it each time, and checks that what --resume does is one of
#   - continue: the finished run's CSV log equals the uninterrupted run's, byte for byte;
#   - refuse cleanly: exit 1 with a one-line "error: ..." (e.g. killed before any checkpoint);
# and never a crash, and never a mixed checkpoint set (which would show as a different log).
#
#     Tools/kill-test.sh            # 24 kills, about a minute on a 2-core machine
#     KILLS=50 Tools/kill-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

kills_wanted=${KILLS:-24}
steps=${STEPS:-10}
chapter=${CHAPTER:-Ch11_2_Minimax}
run_name=$(echo "$chapter" | tr '[:upper:]' '[:lower:]')
bin=".build/debug/$chapter"
[ -x "$bin" ] || swift build --product "$chapter"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--quick --steps "$steps" --checkpoint-every 1)

echo "== uninterrupted: $chapter ${args[*]}"
"$bin" "${args[@]}" --out "$work/reference" > "$work/reference.log" 2>&1
reference="$work/reference/${run_name}_log.csv"
tail -1 "$reference"

kills=0 during_write=0 continued=0 refused=0 chains=0 lost=0
chain=""
new_chain() {
    chains=$((chains + 1))
    chain="$work/chain$chains"
    mkdir -p "$chain"
}
# Runs the chapter in the current chain, resuming when a checkpoint exists (a run keeps its
# checkpoints in its own folder, <out>/checkpoints/<chapter>/).
start() {
    local resume=()
    if [ -e "$chain/checkpoints/$run_name/checkpoint.safetensors" ]; then resume=(--resume); fi
    "$bin" "${args[@]}" "${resume[@]}" --out "$chain" > "$chain/out.log" 2> "$chain/err.log" &
    pid=$!
}
# Judges a run that ended by itself: 0 must mean the log equals the reference.
judge() {
    local status=$1
    if [ "$status" = 0 ]; then
        if cmp -s "$chain/${run_name}_log.csv" "$reference"; then
            continued=$((continued + 1))
        else
            lost=$((lost + 1))
            echo "LOST: chain $chains finished with a log that differs from the uninterrupted run's"
            diff "$reference" "$chain/${run_name}_log.csv" | head -5 || true
        fi
        new_chain
    elif [ "$status" = 1 ] && [ "$(grep -c '^error: ' "$chain/err.log")" = 1 ] && [ "$(tail -1 "$chain/err.log" | grep -c '^error: ')" = 1 ]; then
        # Progress lines go to standard error too (plain lines when it is a file): the error is its last line.
        refused=$((refused + 1))
        echo "refused: $(tail -1 "$chain/err.log")"
        new_chain
    else
        lost=$((lost + 1))
        echo "CRASH: exit status $status"; tail -5 "$chain/err.log"
        new_chain
    fi
}

new_chain
started=$SECONDS
while [ "$kills" -lt "$kills_wanted" ]; do
    start
    # Start-up (reading the data) takes about a second; checkpoints follow every iteration.
    sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.3f", 0.6 + 2.4 * r / 32767 }')"
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null || true
        kills=$((kills + 1))
        if compgen -G "$chain/checkpoints/$run_name/*.tmp-*" > /dev/null; then during_write=$((during_write + 1)); fi
    else
        set +e; wait "$pid"; status=$?; set -e
        judge "$status"
    fi
done
# Finish the chain in progress without interruption.
start
set +e; wait "$pid"; status=$?; set -e
judge "$status"

echo "kills=$kills during_checkpoint_write=$during_write chains_continued_exactly=$continued refused_cleanly=$refused lost=$lost seconds=$((SECONDS - started))"
[ "$lost" = 0 ]
