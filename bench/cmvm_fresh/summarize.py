#!/usr/bin/env python3
"""Summarize bench/cmvm_fresh/run.sh results: fixvar vs alkaid ratios per family and overall.

usage: summarize.py RESULTS.tsv [--calibrate ALKAID_PUBLIC.tsv CMVM_PEER.tsv] [--rescored ALKAID_RESCORED.tsv]

Ratios (fixvar / alkaid, lower is better for fixvar):
  cost    fixvar default objective cost      / alkaid total_cost (alkaid's own bit-cost)
  adders  fixvar --objective adders adders   / alkaid n_adders
  time    fixvar default objective seconds   / alkaid seconds (both: solve time the tool prints)
Targets (issue 19): cost <= 0.90, adders <= 0.95, time <= 0.5.
With --rescored (rescore_alkaid.py's output) also the cost ratio against alkaid's solutions scored in
fixvar's metric, which is what the cost ratio means to compare.
Writes RESULTS_ratios.tsv next to RESULTS.tsv (the rows plus the three ratios).
"""
import argparse
import math
import os
import sys

TARGET = {"cost": 0.90, "adders": 0.95, "time": 0.50}


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def gmean(v):
    v = [x for x in v if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in v) / len(v)) if v else float("nan")


def read_tsv(path):
    with open(path) as fh:
        lines = [l.rstrip("\n").split("\t") for l in fh if l.strip()]
    head = lines[0]
    return [dict(zip(head, l)) for l in lines[1:]]


def size_class(r):
    nm = int(r["n"]) * int(r["m"])
    if nm <= 256:
        return "small (<=256 weights, 8x8..16x16)"
    if nm <= 2048:
        return "medium (<=2048, e.g. 32x32, 16x64, 48x24)"
    return "large (>2048, 48x48..128x128)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--calibrate", nargs=2, metavar=("ALKAID_PUBLIC", "PEER_TSV"))
    ap.add_argument("--rescored", metavar="ALKAID_RESCORED")
    a = ap.parse_args()
    rows = read_tsv(a.results)
    out = []
    for r in rows:
        fc, fa, ft = num(r["fx_cost"]), num(r["fxa_adders"]), num(r["fx_seconds"])
        if fa is None:
            fa = num(r["fx_adders"])
        ac, aa, at = num(r["al_cost"]), num(r["al_adders"]), num(r["al_seconds"])
        r["cost_ratio"] = fc / ac if fc and ac else None
        r["adders_ratio"] = fa / aa if fa and aa else None
        r["adders_ratio_costobj"] = num(r["fx_adders"]) / aa if num(r["fx_adders"]) and aa else None
        # clamp to the printed resolution so a 0.000 never divides
        r["time_ratio"] = max(ft, 1e-4) / max(at, 1e-4) if ft is not None and at is not None else None
        out.append(r)

    cols = list(rows[0].keys()) if rows else []
    base, _ = os.path.splitext(a.results)
    with open(base + "_ratios.tsv", "w") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in out:
            fh.write("\t".join("NA" if r[c] is None else (f"{r[c]:.4f}" if isinstance(r[c], float) else str(r[c])) for c in cols) + "\n")

    f3 = lambda x: "  NA " if x is None or x != x else f"{x:5.3f}"
    print(f"{'problem':44s} {'cost':>6s} {'adders':>6s} {'time':>7s}  {'fx_s':>7s} {'al_s':>7s} exact")
    for r in out:
        ex = r["fx_exact"] + ("" if r["fxa_exact"] in ("NA", "yes") else "/adders:" + r["fxa_exact"])
        print(f"{r['name']:44s} {f3(r['cost_ratio']):>6s} {f3(r['adders_ratio']):>6s} {f3(r['time_ratio']):>7s}"
              f"  {r['fx_seconds']:>7s} {r['al_seconds']:>7s} {ex}")

    def group(title, sel):
        sel = [r for r in sel if r["cost_ratio"] is not None]
        if not sel:
            return
        def tot(k_fx, k_al):
            fx = sum(num(r[k_fx]) or 0 for r in sel)
            al = sum(num(r[k_al]) or 0 for r in sel)
            return fx / al if al else float("nan")
        fa_key = "fxa_adders" if all(num(r["fxa_adders"]) for r in sel) else "fx_adders"
        meet = {k: sum(1 for r in sel if r[k + "_ratio"] is not None and r[k + "_ratio"] <= t) for k, t in TARGET.items()}
        allm = sum(1 for r in sel if all(r[k + "_ratio"] is not None and r[k + "_ratio"] <= t for k, t in TARGET.items()))
        print(f"{title:44s} {len(sel):3d} | cost g {gmean([r['cost_ratio'] for r in sel]):.3f} t {tot('fx_cost','al_cost'):.3f}"
              f" | adders g {gmean([r['adders_ratio'] for r in sel]):.3f} t {tot(fa_key,'al_adders'):.3f}"
              f" | time g {gmean([r['time_ratio'] for r in sel]):.3f} t {tot('fx_seconds','al_seconds'):.3f}"
              f" | met {meet['cost']}/{meet['adders']}/{meet['time']} all {allm}")

    print()
    print("ratios fixvar/alkaid: g = geometric mean over problems, t = ratio of totals;"
          " met = problems meeting cost<=0.90 / adders<=0.95 / time<=0.5; all = all three")
    fams = []
    for r in out:
        if r["family"] not in fams:
            fams.append(r["family"])
    for fam in fams:
        group(f"family {fam}", [r for r in out if r["family"] == fam])
    for sc in sorted({size_class(r) for r in out}, key=lambda s: ["small", "medium", "large"].index(s.split()[0])):
        group(sc, [r for r in out if size_class(r) == sc])
    group("OVERALL", out)
    bad = [r["name"] for r in out if r["fx_exact"] != "yes" or r["fxa_exact"] not in ("yes", "NA")]
    print(f"fixvar exact=yes on {len(out) - len(bad)} of {len(out)} problems (both passes)" + (f"; NOT: {' '.join(bad)}" if bad else ""))
    ac = [r for r in out if r["adders_ratio_costobj"] is not None]
    print(f"(default objective's adders / alkaid n_adders: g {gmean([r['adders_ratio_costobj'] for r in ac]):.3f};"
          f" adders objective's cost / alkaid total_cost: g {gmean([num(r['fxa_cost']) / num(r['al_cost']) for r in out if num(r['fxa_cost']) and num(r['al_cost'])]):.3f})")
    fx_tot = sum(num(r["fx_seconds"]) or 0 for r in out)
    fxa_tot = sum(num(r["fxa_seconds"]) or 0 for r in out)
    al_tot = sum(num(r["al_seconds"]) or 0 for r in out)
    print(f"total seconds: fixvar cost {fx_tot:.1f}, fixvar adders {fxa_tot:.1f}, alkaid {al_tot:.1f}")

    if a.calibrate:
        al = {r["name"]: r for r in read_tsv(a.calibrate[0]) if r["name"] != "TOTAL"}
        peer = {r["name"]: r for r in read_tsv(a.calibrate[1]) if r["name"] != "TOTAL"}
        common = [n for n in al if n in peer]
        if common:
            rs = [(n, num(al[n]["total_cost"]) / num(peer[n]["alkaid_cost"])) for n in common]
            own = sum(num(al[n]["total_cost"]) for n in common)
            res = sum(num(peer[n]["alkaid_cost"]) for n in common)
            ad = sum(1 for n in common if al[n]["n_adders"] == peer[n]["alkaid_adders"])
            lo = min(rs, key=lambda x: x[1])
            hi = max(rs, key=lambda x: x[1])
            print(f"calibration on the public set ({len(common)} problems): alkaid total_cost / its solution rescored in"
                  f" fixvar's metric (cmvm-peer.tsv): total {own / res:.3f}, g {gmean([x for _, x in rs]):.3f},"
                  f" range {lo[1]:.3f} ({lo[0]}) .. {hi[1]:.3f} ({hi[0]}); n_adders equal on {ad}/{len(common)}")

    if a.rescored:
        rescored_summary(out, {r["name"]: r for r in read_tsv(a.rescored)})


def rescored_summary(out, rs):
    """fixvar's cost against alkaid's solutions scored in fixvar's metric (one scale for both)."""
    sel = [r for r in out if r["name"] in rs and num(r["fx_cost"])]
    if not sel:
        return
    bad = [r["name"] for r in sel if rs[r["name"]]["exact"] != "yes" or rs[r["name"]]["n_adders"] != r["al_adders"]]
    ratio = {r["name"]: num(r["fx_cost"]) / num(rs[r["name"]]["fixvar_metric_cost"]) for r in sel}
    own = {r["name"]: num(rs[r["name"]]["alkaid_total_cost"]) / num(rs[r["name"]]["fixvar_metric_cost"]) for r in sel}
    print()
    print("alkaid's solutions rescored in fixvar's metric (rescore_alkaid.py; same core and arguments as the driver):")
    # Older rescored files have no depth column.
    depths = all("depth" in rs[r["name"]] for r in sel)
    print(f"{'problem':44s} {'cost vs rescored':>16s} {'alkaid own/rescored':>20s}"
          + (f" {'depth fixvar/alkaid':>20s}" if depths else ""))
    for r in sel:
        print(f"{r['name']:44s} {ratio[r['name']]:16.3f} {own[r['name']]:20.3f}"
              + (f" {r['fx_depth'] + ' / ' + rs[r['name']]['depth']:>20s}" if depths else ""))
    fx = sum(num(r["fx_cost"]) for r in sel)
    al = sum(num(rs[r["name"]]["fixvar_metric_cost"]) for r in sel)
    al_own = sum(num(rs[r["name"]]["alkaid_total_cost"]) for r in sel)
    met = sum(1 for v in ratio.values() if v <= TARGET["cost"])
    print(f"OVERALL rescored ({len(sel)} problems): cost g {gmean(list(ratio.values())):.3f} t {fx / al:.3f} | met {met};"
          f" alkaid own / rescored: g {gmean(list(own.values())):.3f} t {al_own / al:.3f}"
          f" range {min(own.values()):.3f} .. {max(own.values()):.3f}"
          + (f"; NOT exact or other adders: {' '.join(bad)}" if bad else "; every solution exact, same adders as the driver"))
    if depths:
        fd = [int(r["fx_depth"]) for r in sel]
        ad = [int(rs[r["name"]]["depth"]) for r in sel]
        print(f"depth (adders on the longest path): fixvar shallower on {sum(f < d for f, d in zip(fd, ad))},"
              f" equal on {sum(f == d for f, d in zip(fd, ad))}, deeper on {sum(f > d for f, d in zip(fd, ad))};"
              f" mean {sum(fd) / len(fd):.2f} against alkaid's {sum(ad) / len(ad):.2f}"
              " (alkaid runs unbounded; fixvar's default bound is the provable minimum + 1)")


if __name__ == "__main__":
    main()
