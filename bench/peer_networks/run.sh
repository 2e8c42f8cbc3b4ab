#!/bin/bash
# Issue 18: fixvar, da4ml and alkaid on the generated networks (generate.py), same Yosys command for all.
#
#   PEERS_DIR=/work/peers bench/peer_networks/run.sh [NET...]      (default: mlp_a mlp_b mlp_c)
#
# Needs (see docs/peers.md, "Rerunning"):
#   PEERS_DIR      the peers exported and built as ../shared/peers/README.md says ($PEERS_DIR/pkg/{da4ml,alkaid})
#   PEERS_SCRIPTS  a copy of ../shared/peers with the network-generic drivers added ($PEERS_DIR/scripts):
#                  da4ml/net_gen.py, da4ml/pipe_gen.py, alkaid/net_gen.py, alkaid/pipe_gen.py (not in this repository)
#   FIXVAR_BENCH   bench_peer_networks of the fixvar to measure   [$FIXVAR_SRC/build-peers/bench/bench_peer_networks]
#   RANKS          register ranks (= cycles) to compare at        ["4 8"]
#   FIXVAR_IO      1: also fixvar --latency R --register-io (backend with VerilogOptions::register_inputs)
#                  [auto: 1 if $FIXVAR_SRC/include/fixvar/backend/verilog_module.hpp declares register_inputs]
#   FIXVAR_CYCLES  1: fixvar --cycles R too (largest cut-off giving R cycles, logic at both ends) [1 if FIXVAR_IO=0, else 0]
#   PEERS          peers to run ["da4ml alkaid"; "" measures fixvar only]
#   ALKAID_TERNARY ternary fusion settings of alkaid's RTL ["1 0": its default (on) and off]
#   RUN_TAG        results go to $PEERS_DIR/run/peer_networks-$RUN_TAG (e.g. the fixvar commit) [none]
# Results: $PEERS_DIR/run/peer_networks/NET/{designs.jsonl, synth.txt, syn/*.log}; fixvar's designs in
# $PEERS_DIR/run/peer_networks/fixvar/NET/<design>/ (results.tsv there); the peers' in $PEERS_DIR/run/<peer>/NET/.
# summarize.py prints the markdown table of docs/peers.md from them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
: "${PEERS_DIR:?set PEERS_DIR to the folder of the exported and built peers}"
: "${PEERS_SCRIPTS:=$PEERS_DIR/scripts}"
export FIXVAR_SRC=${FIXVAR_SRC:-$(cd "$HERE/../.." && pwd)}
: "${FIXVAR_BENCH:=$FIXVAR_SRC/build-peers/bench/bench_peer_networks}"
: "${RANKS:=4 8}"
: "${ALKAID_TERNARY:=1 0}"
if [ -z "${FIXVAR_IO:-}" ]; then
  grep -q register_inputs "$FIXVAR_SRC/include/fixvar/backend/verilog_module.hpp" && FIXVAR_IO=1 || FIXVAR_IO=0
fi
: "${FIXVAR_CYCLES:=$((1 - FIXVAR_IO))}"
: "${PEERS=da4ml alkaid}"
[ -x "$FIXVAR_BENCH" ] || { echo "missing $FIXVAR_BENCH: cmake --build <build> --target bench_peer_networks" >&2; exit 1; }
for f in da4ml/net_gen.py da4ml/pipe_gen.py alkaid/net_gen.py alkaid/pipe_gen.py common/synth.sh common/env.sh; do
  [ -e "$PEERS_SCRIPTS/$f" ] || { echo "missing $PEERS_SCRIPTS/$f (docs/peers.md)" >&2; exit 1; }
done
[ $# -gt 0 ] || set -- mlp_a mlp_b mlp_c
SYNTH=$PEERS_SCRIPTS/common/synth.sh
ROOT=$PEERS_DIR/run/peer_networks${RUN_TAG:+-$RUN_TAG}

for NET in "$@"; do
  export PEERS_DATA=$HERE/data/$NET PEERS_MODEL=$NET
  export FIXVAR_RTL=$ROOT/fixvar/$NET/comb/$NET.v FIXVAR_TOP=$NET
  . "$PEERS_SCRIPTS/common/env.sh"
  R=$ROOT/$NET; mkdir -p "$R/syn"; : > "$R/designs.jsonl"; : > "$R/synth.txt"
  syn() { local log=$1; shift; "$SYNTH" "$R/syn/$log.log" "$@" | tee -a "$R/synth.txt"; }
  echo "== $NET: fixvar ($FIXVAR_BENCH, register-io designs: $FIXVAR_IO)"
  rm -rf "$ROOT/fixvar/$NET"
  args=(--comb); [ "$FIXVAR_CYCLES" = 1 ] && for r in $RANKS; do args+=(--cycles "$r"); done
  "$FIXVAR_BENCH" --data "$PEERS_DATA" --out "$ROOT/fixvar" "${args[@]}" | grep -v "^\[" | tee "$R/fixvar.txt"
  if [ "$FIXVAR_IO" = 1 ]; then  # the register-io designs need --register-io: a second run
    args=(); for r in $RANKS; do args+=(--latency "$r"); done
    "$FIXVAR_BENCH" --data "$PEERS_DATA" --out "$ROOT/fixvar" "${args[@]}" --register-io | grep RESULT | tee -a "$R/fixvar.txt"
  fi
  D=$PEERS_DIR/run/da4ml/$NET; A=$PEERS_DIR/run/alkaid/$NET
  if [[ " $PEERS " == *" da4ml "* ]]; then
  echo "== $NET: da4ml trace, bit-exact check against fixvar's vectors"
  mkdir -p "$D"
  "$PYTHON" "$PEERS_SCRIPTS/da4ml/net_gen.py" -1 > "$D/net_dc-1.txt"
  "$PYTHON" "$PEERS_SCRIPTS/common/compare_fixvar.py" "$D/pred_dc-1.npy" | tee "$R/da4ml_compare.txt"
  cut=$("$PYTHON" "$PEERS_SCRIPTS/da4ml/pipe_gen.py" - --pick $RANKS 2>>"$R/da4ml_pick.txt")
  echo "da4ml cut-offs for register ranks $RANKS: $cut"
  rm -rf "$D/rtl"
  "$PYTHON" "$PEERS_SCRIPTS/da4ml/pipe_gen.py" "$D/rtl" -1 $cut | tee -a "$R/designs.jsonl"
  fi
  if [[ " $PEERS " == *" alkaid "* ]]; then
  echo "== $NET: alkaid trace (default settings), bit-exact check"
  mkdir -p "$A"
  "$PYTHON" "$PEERS_SCRIPTS/alkaid/net_gen.py" default > "$A/net_default.txt"
  "$PYTHON" "$PEERS_SCRIPTS/common/compare_fixvar.py" "$A/pred_default.npy" | tee "$R/alkaid_compare.txt"
  rm -rf "$A/rtl"; specs=(comb); for r in $RANKS; do specs+=(s$((r - 1))); done
  for t in $ALKAID_TERNARY; do
    "$PYTHON" "$PEERS_SCRIPTS/alkaid/pipe_gen.py" "$A/rtl" default "$t" "${specs[@]}" | tee -a "$R/designs.jsonl"
  done
  fi
  echo "== $NET: Yosys (one at a time)"
  for d in "$ROOT/fixvar/$NET"/*/; do syn "fixvar_$(basename "$d")" "$NET" "$d$NET.v"; done
  [[ " $PEERS " == *" da4ml "* ]] && for d in "$D/rtl"/*/; do
    syn "da4ml_$(basename "$d")" da4ml_mlp $(ls "$d"src/da4ml_mlp*.v "$d"src/static/*.v | grep -v "_wrapper.v\|lookup_table.v")
  done
  [[ " $PEERS " == *" alkaid "* ]] && for d in "$A/rtl"/*/; do
    syn "alkaid_$(basename "$d")" alkaid_mlp $(ls "$d"src/alkaid_mlp.v "$d"src/logic*.v "$d"src/static/*.v 2>/dev/null)
  done
done
"$PYTHON" "$HERE/summarize.py" "$ROOT" "$@"
