#!/usr/bin/python3
"""The results table of docs/peers.md from a run.sh run: summarize.py ROOT NET...   (ROOT: $PEERS_DIR/run/peer_networks)
One row per design: tool, design, cycles (= register ranks), boundary convention, Yosys cells, bit-exact.
bit-exact, fixvar: Verilator vs interpreter, mismatching samples of x_test and of corners + random vectors;
peers: their interpreter's outputs on x_test identical to fixvar's Verilator vectors (every output) and their
own RTL under Verilator vs their interpreter, mismatching output elements."""
import json
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
BOUNDARY_IO = 'in+out registered'          # no logic before the first or after the last register (da4ml's)
BOUNDARY_LOGIC = 'logic at both ends'     # fixvar's current pipelines: logic before the first/after the last register


def synth(net):
    rows = {}
    for line in (root / net / 'synth.txt').read_text().splitlines():
        m = re.match(r'(\S+)\.log: LUT1-6=(\d+) \(\+INV (\d+) = \d+\) CARRY4=(\d+) FF=(\d+) MUXF7/8=(\d+)/(\d+) yosys_s=([\d.]+)', line)
        if m:
            rows[m[1]] = dict(lut=int(m[2]), inv=int(m[3]), carry=int(m[4]), ff=int(m[5]), muxf=int(m[6]) + int(m[7]),
                              yosys_s=float(m[8]))
    return rows


def exact_trace(net, peer):
    t = (root / net / f'{peer}_compare.txt').read_text()
    return 'bit-identical to fixvar RTL' in t and re.search(r'bit-identical to fixvar RTL on \d+ images: True', t) is not None


out = ['| network | tool | design | cycles (register ranks) | boundary | LUT1–6 | INV | CARRY4 | FF | bit-exact |',
       '|---|---|---|---:|---|---:|---:|---:|---:|---|']
for net in sys.argv[2:]:
    s = synth(net)
    for line in (root / net / 'fixvar.txt').read_text().splitlines():
        if not line.startswith('RESULT '):
            continue
        r = dict(kv.split('=', 1) for kv in line.split()[1:])
        d = r['design']; y = s.get(f'fixvar_{d}')
        lat = int(r['latency'])
        bnd = '—' if lat == 0 else BOUNDARY_IO if r['register_io'] == '1' else BOUNDARY_LOGIC
        ok = r['xtest_mismatches'].startswith('0/') and r['random_mismatches'].startswith('0/')
        desc = (d if d == 'comb' or float(r['cutoff']) <= 0 else f'{d} (cut-off {float(r["cutoff"]):.3g})')
        out.append(f'| {net} | fixvar | {desc} | {lat} | {bnd} | ' +
                   (f'{y["lut"]:,} | {y["inv"]:,} | {y["carry"]:,} | {y["ff"]:,}' if y else '– | – | – | –') +
                   f' | {"yes" if ok else "NO"} ({r["xtest_mismatches"]}, {r["random_mismatches"]}) |')
    for line in (root / net / 'designs.jsonl').read_text().splitlines():
        j = json.loads(line)
        peer = j['peer']; d = j['design']; y = s.get(f'{peer}_{d}')
        ranks = j['register_ranks']
        bnd = '—' if ranks == 0 else BOUNDARY_IO
        ok = exact_trace(net, 'da4ml' if peer == 'da4ml' else 'alkaid') and j['rtl_vs_interpreter_mismatching_elements'] == 0
        if peer == 'da4ml':
            desc = 'comb' if d == 'comb' else f'latency_cutoff {j["cutoff_requested"]:g} ({j["stages"]} stages)'
        else:
            desc = (f'default, ternary {"on" if j["ternary"] else "off"}, ' +
                    ('comb' if j['spec'] == 'comb' else f'n_stages {j["spec"][1:]}'))
        out.append(f'| {net} | {peer} | {desc} | {ranks} | {bnd} | ' +
                   (f'{y["lut"]:,} | {y["inv"]:,} | {y["carry"]:,} | {y["ff"]:,}' if y else '– | – | – | –') +
                   f' | {"yes" if ok else "NO"} (RTL {j["rtl_vs_interpreter_mismatching_elements"]}/{j["elements"]}) |')
print('\n'.join(out))
