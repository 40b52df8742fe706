#!/usr/bin/python3
"""Golden outputs of mulberry32 (src-shared/compute/random.ts), from this independent Python port of
the reference C code (Tommy Ettinger). Usage: /usr/bin/python3 scripts/golden/features_random.py"""
M = 0xFFFFFFFF


def mulberry32(seed):
    a = seed & M
    while True:
        a = (a + 0x6D2B79F5) & M
        t = a
        t = ((t ^ (t >> 15)) * (t | 1)) & M
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & M)) & M
        yield ((t ^ (t >> 14)) & M) / 4294967296


for seed in (0, 42, 0xDEADBEEF):
    g = mulberry32(seed)
    print(seed, [next(g) for _ in range(4)])
