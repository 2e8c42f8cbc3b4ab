#!/usr/bin/env python3
"""Problems for the CMVM memory model's check (bench/cmvm_memory/run.sh): dense and skewed
shapes the public set lacks (tall, wide, one long row, large squares). Deterministic per seed."""
import argparse
import os
import random

SHAPES = [  # (name, n, m, bits, zero fraction)
    ("dense_96x96_b8", 96, 96, 8, 0.0),
    ("dense_128x128_b8", 128, 128, 8, 0.0),
    ("dense_128x64_b4", 128, 64, 4, 0.0),
    ("sparse_192x128_b8", 192, 128, 8, 0.5),
    ("tall_512x16_b8", 512, 16, 8, 0.0),
    ("tall_1024x8_b6", 1024, 8, 6, 0.0),
    ("wide_8x2000_b8", 8, 2000, 8, 0.0),
    ("wide_16x512_b8", 16, 512, 8, 0.0),
    ("row_1x20000_b8", 1, 20000, 8, 0.0),
    ("dense_256x256_b8", 256, 256, 8, 0.0),
    # few inputs, many outputs: extraction leaves few adders per signed digit
    ("wide_4x4000_b8", 4, 4000, 8, 0.0),
    ("wide_3x5000_b6", 3, 5000, 6, 0.0),
    ("wide_12x1000_b8", 12, 1000, 8, 0.0),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=2027)
    ap.add_argument("--out", required=True)
    ap.add_argument("--skip-large", action="store_true", help="leave out 256x256 (minutes)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for k, (name, n, m, bits, zeros) in enumerate(SHAPES):
        if a.skip_large and n * m >= 65536:
            continue
        rng = random.Random(a.seed * 1000 + k)
        lim = 2 ** (bits - 1)
        stem = f"{name}_s{a.seed}"
        with open(os.path.join(a.out, stem + ".cmvm"), "w") as f:
            f.write(f"cmvm 1\nname {stem}\nshape {n} {m}\n")
            f.write("in 1 7 0\n" * n)
            for _ in range(n):
                row = [0 if rng.random() < zeros else rng.randint(-lim, lim - 1) for _ in range(m)]
                f.write("row " + " ".join(map(str, row)) + "\n")


if __name__ == "__main__":
    main()
