#!/usr/bin/env bash
# Builds the libFuzzer harnesses with AddressSanitizer, compiling the reader's sources
# directly into each (so that they are instrumented), and optionally runs them:
#
#     Tools/Fuzz/build.sh                 # builds .build/fuzz/{safetensors,idx,npz,csv}
#     Tools/Fuzz/build.sh run 1000000     # and runs each for 10^6 inputs
#
# Every run is bounded to 512 MB (-rss_limit_mb, -malloc_limit_mb): a reader that believes
# a size field and allocates more is a failure, like a crash.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.build/fuzz
mkdir -p "$out/src"
formats=(Sources/Formats/FileIO.swift Sources/Formats/Safetensors.swift Sources/Formats/Zip.swift
         Sources/Formats/NPY.swift Sources/Formats/ArchiveError.swift)
# The sources become one module, so the imports of the package's own modules go.
strip() { for file in "$@"; do sed -E '/^import (Formats|NN|Tensor)$/d' "$file" > "$out/src/$(basename "$file")"; done; }
strip "${formats[@]}" Sources/Workbook/Data/IDX.swift Sources/Workbook/Data/ImageDataset.swift Sources/Workbook/Data/CSVLog.swift
local_formats=("${formats[@]/#Sources\/Formats\//$out/src/}")

build() {
    local name=$1; shift
    echo "== building $out/$name"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -I Sources/CZlib -module-name Fuzz"$name" \
        "$@" -o "$out/$name" 2>&1 | grep -v "Cannot export local symbol" || true
    [ -x "$out/$name" ]
}
build safetensors "${local_formats[@]}" Tools/Fuzz/SafetensorsFuzz.swift
build idx "${local_formats[@]}" "$out/src/IDX.swift" "$out/src/ImageDataset.swift" Tools/Fuzz/IDXFuzz.swift
build npz "${local_formats[@]}" Tools/Fuzz/NPZFuzz.swift
build csv "${local_formats[@]}" "$out/src/CSVLog.swift" Tools/Fuzz/CSVFuzz.swift

if [ "${1:-}" = run ]; then
    runs=${2:-1000000}
    for name in safetensors idx npz csv; do
        corpus="$out/corpus-$name"
        mkdir -p "$corpus"
        echo "== fuzzing $name for $runs inputs"
        "$out/$name" -runs="$runs" -rss_limit_mb=512 -malloc_limit_mb=512 -max_len=65536 -timeout=10 \
            -print_final_stats=1 "$corpus" Tools/Fuzz/seeds/"$name" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Done" || true
    done
fi
