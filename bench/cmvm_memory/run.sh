#!/bin/bash
# The CMVM memory model against measured peaks: for every public problem (bench/data/cmvm) and
# the generated dense and skewed ones (generate.py), `fixvar cmvm --estimate-memory` against the
# peak RSS of `fixvar cmvm` (/usr/bin/time), both at --threads $THREADS. Prints a TSV and the
# range of measured/estimate (issue 19's target: 0.7-1.3 on every problem).
# usage: bench/cmvm_memory/run.sh [--skip-large]     env: FIXVAR_BIN, THREADS (2), WORK
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${FIXVAR_BIN:-$ROOT/build/bin/fixvar}
THREADS=${THREADS:-2}
WORK=${WORK:-$(mktemp -d)}
python3 "$HERE/generate.py" --out "$WORK" "$@"
printf "problem\testimate_mb\tpeak_mb\tpeak/estimate\tseconds\n"
for f in "$ROOT"/bench/data/cmvm/*.cmvm "$WORK"/*.cmvm; do
  est=$("$BIN" cmvm "$f" --threads "$THREADS" --no-split --estimate-memory | sed -n 's/.* bytes=\([0-9]*\) .*/\1/p')
  peak=$( { /usr/bin/time -f "%M %e" "$BIN" cmvm "$f" --threads "$THREADS" --no-split > /dev/null; } 2>&1 | tail -1)
  awk -v n="$(basename "$f" .cmvm)" -v e="$est" -v p="$peak" 'BEGIN { split(p, a, " ");
    printf "%s\t%.1f\t%.1f\t%.2f\t%s\n", n, e / 1048576, a[1] / 1024, a[1] * 1024 / e, a[2] }'
done | tee "$WORK/memory.tsv"
awk -F'\t' 'NR == 1 || $4 < lo { lo = $4; ln = $1 } NR == 1 || $4 > hi { hi = $4; hn = $1 }
  END { printf "peak/estimate: %.2f (%s) .. %.2f (%s) over %d problems\n", lo, ln, hi, hn, NR }' "$WORK/memory.tsv"
