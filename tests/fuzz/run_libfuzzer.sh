#!/usr/bin/env bash
# One bounded libFuzzer run of a target (ASan + UBSan): its seeds and regression inputs start a
# work corpus under WORK (the source tree is never written), then one summary line (executions,
# corpus size, coverage, crashes) goes to stdout and WORK/TARGET.summary. A crash, leak,
# sanitizer report, timeout (10 s per input) or more than 2 GB of memory fails the run, with the
# input saved as WORK/artifacts/TARGET-* and the end of libFuzzer's log printed.
# Usage: run_libfuzzer.sh EXE TARGET SECONDS WORK FUZZ_SOURCE_DIR [extra libFuzzer flags]
set -uo pipefail
exe=$1 target=$2 seconds=$3 work=$4 src=$5
shift 5
mkdir -p "$work/corpus/$target" "$work/artifacts"
log="$work/$target.log"
inputs=("$src/corpus/$target")
[ -d "$src/regressions/$target" ] && inputs+=("$src/regressions/$target")
"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$target-" "$@" "$work/corpus/$target" "${inputs[@]}" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
last=$(grep -E '^#[0-9]+' "$log" | tail -1)  # libFuzzer's last status line
corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
crashes=0
[ $rc -ne 0 ] && crashes=1
summary="libFuzzer $target: ${runs:-?} executions in $seconds s, corpus ${corpus:-?} (inputs/bytes; ${added:-?} new), coverage ${cov:-?} edges, crashes: $crashes"
echo "$summary" | tee "$work/$target.summary"
if [ $rc -ne 0 ]; then
    tail -n 60 "$log"
    echo "crashing input: $(ls -t "$work"/artifacts/"$target"-* 2>/dev/null | head -1)"
    exit 1
fi
