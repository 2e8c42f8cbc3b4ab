#!/usr/bin/env bash
# fixvar vs alkaid's C++ CMVM core on freshly generated problems, in one run.
#
# usage: bench/cmvm_fresh/run.sh            (from anywhere)
# environment:
#   FIXVAR_BIN   fixvar binary           (default: <repo>/build/bin/fixvar)
#   ALKAID_BIN   alkaid driver binary    (default: $PEERS/build/alkaid_driver, PEERS=/work/peers)
#   SEED         generator seed          (default: the one in generate.py, 7919)
#   WORK         work dir for problems and results (default: /tmp/cmvm_fresh.$SEED)
#   ONLY         run only problems whose name contains this
#   THREADS      threads for both tools (default 2)
#   SKIP_ADDERS=1   skip the second fixvar pass (--objective adders)
#   CALIBRATE=0     skip the public-set check of alkaid's total_cost against the rescored peer TSV
#   RESCORE=0       skip rescoring alkaid's solutions in fixvar's metric (rescore_alkaid.py, which
#                   needs alkaid's Python package: $PEERS/pkg and $PEERS/quantizers/src)
#   PYTHON       python3 with numpy      (default: the first of python3, /usr/bin/python3 that has it)
# Output: $WORK/results.tsv (one row per problem), $WORK/summary.txt, $WORK/log/.
# Tools run one after the other (never at the same time); each problem's three runs are
# back to back, so the time ratio compares the two tools under the same machine load.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PEERS=${PEERS:-/work/peers}
FIXVAR_BIN=${FIXVAR_BIN:-$REPO/build/bin/fixvar}
ALKAID_BIN=${ALKAID_BIN:-$PEERS/build/alkaid_driver}
THREADS=${THREADS:-2}
ONLY=${ONLY:-}
SKIP_ADDERS=${SKIP_ADDERS:-0}
CALIBRATE=${CALIBRATE:-1}
RESCORE=${RESCORE:-1}

if [ -z "${PYTHON:-}" ]; then
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then PYTHON=$p; break; fi
  done
fi
[ -n "${PYTHON:-}" ] || { echo "no python3 with numpy (set PYTHON)" >&2; exit 1; }
SEED=${SEED:-$("$PYTHON" -c "import sys; sys.path.insert(0, '$HERE'); import generate; print(generate.DEFAULT_SEED)")}
WORK=${WORK:-/tmp/cmvm_fresh.$SEED}
[ -x "$FIXVAR_BIN" ] || { echo "fixvar not found: $FIXVAR_BIN" >&2; exit 1; }
[ -x "$ALKAID_BIN" ] || { echo "alkaid driver not found: $ALKAID_BIN (build it: PEERS=$PEERS bash ../shared/peers/alkaid/cmvm_driver/build_alkaid.sh)" >&2; exit 1; }

mkdir -p "$WORK/problems" "$WORK/log"
"$PYTHON" "$HERE/generate.py" --seed "$SEED" --out "$WORK/problems" --only "$ONLY" || exit 1
"$PYTHON" "$HERE/generate.py" --seed "$SEED" --only "$ONLY" --list >"$WORK/families.tsv" 2>/dev/null

RES=$WORK/results.tsv
printf 'name\tfamily\tn\tm\tfx_cost\tfx_adders\tfx_depth\tfx_seconds\tfx_exact\tfx_wall\tfx_rss_kb\tfxa_adders\tfxa_cost\tfxa_seconds\tfxa_exact\tal_adders\tal_cost\tal_seconds\tal_wall\tal_rss_kb\n' >"$RES"

# field VALUE of "key=value" tokens in a fixvar result line
kv() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1; }

echo "fixvar: $FIXVAR_BIN ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null) tree; binary md5 $(md5sum "$FIXVAR_BIN" | cut -c1-12))"
echo "alkaid: $ALKAID_BIN   threads: $THREADS   seed: $SEED   work: $WORK"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"

while IFS=$'\t' read -r name fam n m; do
  f=$WORK/problems/$name.cmvm
  log=$WORK/log/$name
  # 1. fixvar, default objective (cost)
  /usr/bin/time -f '%e %M' -o "$log.fx.time" \
    "$FIXVAR_BIN" cmvm --threads "$THREADS" "$f" >"$log.fx.out" 2>"$log.fx.err"
  fx=$(grep -m1 "^$name " "$log.fx.out")
  read -r fx_wall fx_rss <"$log.fx.time" 2>/dev/null || { fx_wall=NA; fx_rss=NA; }
  # 2. fixvar --objective adders
  if [ "$SKIP_ADDERS" = 1 ]; then fxa=""; else
    "$FIXVAR_BIN" cmvm --threads "$THREADS" --objective adders "$f" >"$log.fxa.out" 2>"$log.fxa.err"
    fxa=$(grep -m1 "^$name " "$log.fxa.out")
  fi
  # 3. alkaid
  OMP_NUM_THREADS=$THREADS /usr/bin/time -f '%e %M' -o "$log.al.time" \
    "$ALKAID_BIN" "$f" >"$log.al.out" 2>"$log.al.err"
  al=$(awk -F'\t' -v n="$name" '$1==n' "$log.al.out")
  read -r al_wall al_rss <"$log.al.time" 2>/dev/null || { al_wall=NA; al_rss=NA; }
  g() { local v; v=$(kv "$1" "$2"); echo "${v:-NA}"; }
  IFS=$'\t' read -r _ _ _ al_add _ al_cost al_sec <<<"${al:-x	x	x	NA	x	NA	NA}"
  row="$name\t$fam\t$n\t$m\t$(g cost "$fx")\t$(g adders "$fx")\t$(g depth "$fx")\t$(g seconds "$fx")\t$(g exact "$fx")\t$fx_wall\t$fx_rss"
  row="$row\t$(g adders "$fxa")\t$(g cost "$fxa")\t$(g seconds "$fxa")\t$(g exact "$fxa")\t$al_add\t$al_cost\t$al_sec\t$al_wall\t$al_rss"
  printf '%b\n' "$row" >>"$RES"
  printf '%-44s fixvar cost=%s adders=%s %ss | adders-obj %s %ss | alkaid cost=%s adders=%s %ss\n' \
    "$name" "$(g cost "$fx")" "$(g adders "$fx")" "$(g seconds "$fx")" "$(g adders "$fxa")" "$(g seconds "$fxa")" \
    "$al_cost" "$al_add" "$al_sec"
done <"$WORK/families.tsv"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"

CAL=()
if [ "$CALIBRATE" = 1 ] && [ -f "$REPO/bench/data/cmvm-peer.tsv" ]; then
  # alkaid's own total_cost against the same tool's solutions rescored in fixvar's metric
  OMP_NUM_THREADS=$THREADS "$ALKAID_BIN" "$REPO/bench/data/cmvm" >"$WORK/alkaid_public.tsv" 2>"$WORK/log/alkaid_public.err"
  CAL=(--calibrate "$WORK/alkaid_public.tsv" "$REPO/bench/data/cmvm-peer.tsv")
fi
RS=()
if [ "$RESCORE" = 1 ]; then
  # alkaid's solutions scored in fixvar's metric (its total_cost is its own, coarser estimate)
  if OMP_NUM_THREADS=$THREADS PYTHONPATH="$PEERS/pkg:$PEERS/quantizers/src${PYTHONPATH:+:$PYTHONPATH}" \
      "$PYTHON" "$HERE/rescore_alkaid.py" $(cut -f1 "$WORK/families.tsv" | sed "s|.*|$WORK/problems/&.cmvm|") \
      >"$WORK/alkaid_rescored.tsv" 2>"$WORK/log/alkaid_rescored.err"; then
    RS=(--rescored "$WORK/alkaid_rescored.tsv")
  else
    echo "rescoring failed (see $WORK/log/alkaid_rescored.err); cost ratios against alkaid's own metric only" >&2
  fi
fi
"$PYTHON" "$HERE/summarize.py" "$RES" "${CAL[@]}" "${RS[@]}" | tee "$WORK/summary.txt"
