"""Time torch.mm (float32) on the GEMM shapes read from stdin.

Each input line is "name transA transB m n k" (transposes as 0/1); each
output line is "name gflops", the best of --reps timed repetitions, each
repetition running the product enough times to last about --min-time
seconds. Run through bench/gemm/run.sh, which sets the BLAS threading.
"""

import argparse
import sys
import time

import torch


def operand(rows, cols, trans):
    """A rows×cols operand, stored transposed (a strided view) if trans."""
    if trans:
        return torch.rand(cols, rows).t()
    return torch.rand(rows, cols)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--min-time", type=float, default=0.2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    blas = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l})
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, blas {blas}",
          file=sys.stderr)
    for line in sys.stdin:
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        name, ta, tb, m, n, k = f[0], f[1] == "1", f[2] == "1", int(f[3]), int(f[4]), int(f[5])
        a, b = operand(m, k, ta), operand(k, n, tb)
        c = torch.empty(m, n)
        torch.mm(a, b, out=c)
        iters, t = 1, 0.0
        while True:
            t0 = time.perf_counter()
            for _ in range(iters):
                torch.mm(a, b, out=c)
            t = time.perf_counter() - t0
            if t >= args.min_time / 4:
                break
            iters *= 2
        iters = max(1, int(iters * args.min_time / t))
        best = float("inf")
        for _ in range(args.reps):
            t0 = time.perf_counter()
            for _ in range(iters):
                torch.mm(a, b, out=c)
            best = min(best, (time.perf_counter() - t0) / iters)
        print(f"{name} {2 * m * n * k / best / 1e9:.2f}", flush=True)


if __name__ == "__main__":
    main()
