#!/bin/bash
# The register/clock trade-off of one generated network with Yosys in the loop (docs/peers.md,
# "At da4ml's clock"): for latency R with registered inputs and outputs, each cut-off given is
# placed, written and synthesized (xc7), and one line says its flip-flops, LUTs and logic levels.
#
#   bench/peer_networks/cutoff_sweep.sh GRAPH.txt R [CUTOFF...]
#
# GRAPH.txt: the traced network `bench_peer_networks --data ... ` wrote (OUT/NET/NET.txt). Without
# cut-offs, the ones `fixvar verilog --latency R` reports (the smallest, 10/25/50% longer) are used.
# FIXVAR_BIN: the fixvar program [build/bin/fixvar]; OUT: where designs go [/tmp/cutoff_sweep].
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${FIXVAR_BIN:=$HERE/../../build/bin/fixvar}"
: "${OUT:=/tmp/cutoff_sweep}"
[ $# -ge 2 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
graph=$1 latency=$2
shift 2
net=$(basename "$graph" .txt)
mkdir -p "$OUT"
io=(--register-inputs --register-outputs)
if [ $# -eq 0 ]; then  # the trade-off points fixvar reports for this latency
  mapfile -t cuts < <("$FIXVAR_BIN" verilog "$graph" --latency "$latency" "${io[@]}" --out "$OUT/$net-L$latency" |
    grep -oE "cut-off (of )?[0-9.]+" | grep -oE "[0-9.]+$")
  set -- "${cuts[@]}"
fi
for c in "$@"; do
  dir=$OUT/$net-L$latency-c$c
  "$FIXVAR_BIN" verilog "$graph" --latency "$latency" --latency-cutoff "$c" "${io[@]}" --out "$dir" \
    --synth xc7 > "$dir.log" 2>&1 || { echo "$net L$latency c$c: failed, see $dir.log" >&2; continue; }
  "${PYTHON:-/usr/bin/python3}" - "$dir/synth.json" "$net" "$latency" "$c" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
inv = s["luts_by_size"].get("INV", 0)
print(f"{sys.argv[2]} latency {sys.argv[3]} cut-off {sys.argv[4]}: FF {s['ff']}, LUT1-6 {s['lut'] - inv}, "
      f"INV {inv}, CARRY4 {s['carry']}, levels {s['logic_levels']}")
PY
done
