#!/bin/bash
# CMVM at scale (issue 19): uniform random 8-bit n x n layers, inputs `in 1 7 0`, solved by
# `fixvar cmvm` (default objective, --threads $THREADS); wall time and peak RSS from
# /usr/bin/time, the blocking line when W was split. With BASELINE_BIN set, the same problems
# are also solved by that binary in the same run (ratios against it).
# usage: bench/cmvm_scale/run.sh [N...]      (default: 128 256 512)
# env: FIXVAR_BIN, BASELINE_BIN, THREADS (2), SEED (1), WORK (a temporary directory)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BIN=${FIXVAR_BIN:-$ROOT/build/bin/fixvar}
THREADS=${THREADS:-2}
SEED=${SEED:-1}
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$WORK"
[ $# -gt 0 ] || set -- 128 256 512
gen() {  # N -> $WORK/uniform_NxN_s$SEED.cmvm
  python3 - "$1" "$SEED" "$WORK" <<'PY'
import random, sys
n, seed, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
r = random.Random(seed * 7919 + n)
name = f"uniform_{n}x{n}_s{seed}"
with open(f"{work}/{name}.cmvm", "w") as f:
    f.write(f"cmvm 1\nname {name}\nshape {n} {n}\n" + "in 1 7 0\n" * n)
    for _ in range(n):
        f.write("row " + " ".join(str(r.randint(-128, 127)) for _ in range(n)) + "\n")
PY
}
solve() {  # BIN FILE -> "adders cost seconds peak_mb [blocking]"
  local out
  out=$( { /usr/bin/time -f "TIME %e %M" "$1" cmvm "$2" --threads "$THREADS"; } 2>&1 )
  local line time block
  line=$(grep ' exact=' <<<"$out")
  time=$(grep '^TIME' <<<"$out")
  block=$(grep ': split into' <<<"$out" | sed 's/^[^:]*: //' || true)
  grep -q 'exact=yes' <<<"$line" || { echo "not exact: $line" >&2; exit 1; }
  awk -v l="$line" -v t="$time" -v b="$block" 'BEGIN {
    split(l, f, " "); split(t, g, " "); sub("adders=", "", f[2]); sub("cost=", "", f[3])
    printf "%s\t%s\t%s\t%.0f\t%s", f[2], f[3], g[2], g[3] / 1024, b }'
}
printf "problem\tadders\tcost\tseconds\tpeak_mb\tblocking"
[ -z "${BASELINE_BIN:-}" ] || printf "\tbase_adders\tbase_cost\tbase_seconds\tbase_peak_mb\tbase_blocking"
printf "\n"
for n in "$@"; do
  gen "$n"
  f="$WORK/uniform_${n}x${n}_s$SEED.cmvm"
  printf "%s\t%s" "$(basename "$f" .cmvm)" "$(solve "$BIN" "$f")"
  [ -z "${BASELINE_BIN:-}" ] || printf "\t%s" "$(solve "$BASELINE_BIN" "$f" || echo "failed")"
  printf "\n"
done
