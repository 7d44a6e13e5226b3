"""Time torch.nn.ConvTranspose2d (float32) on the DCGAN shapes of main.go.

For each shape: the forward pass, and a training step's work (forward,
then backward for the input, weight and bias gradients). Prints
"name forward_ms step_ms", each the best of --reps repetitions of --iters
calls. Run through run.sh, which sets the BLAS threading.
"""

import argparse
import sys
import time

import torch

# name, (N, Cin, H, W), Cout, kernel, stride, padding
SHAPES = [
    ("g1_64x128x7x7_to_64x14x14", (64, 128, 7, 7), 64, 4, 2, 1),
    ("g2_64x64x14x14_to_1x28x28", (64, 64, 14, 14), 1, 4, 2, 1),
    ("g0_64x100x1x1_to_128x7x7", (64, 100, 1, 1), 128, 7, 1, 0),
]


def best_ms(fn, iters, reps):
    fn()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        best = min(best, (time.perf_counter() - t0) / iters)
    return best * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--iters", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}", file=sys.stderr)
    for name, xs, cout, k, s, p in SHAPES:
        layer = torch.nn.ConvTranspose2d(xs[1], cout, k, stride=s, padding=p)
        x = torch.randn(*xs, requires_grad=True)
        with torch.no_grad():
            g = torch.randn_like(layer(x))

        def forward():
            with torch.no_grad():
                layer(x)

        def step():
            x.grad = None
            layer.zero_grad(set_to_none=True)
            layer(x).backward(g)

        print(f"{name} {best_ms(forward, args.iters, args.reps):.3f} {best_ms(step, args.iters, args.reps):.3f}", flush=True)


if __name__ == "__main__":
    main()
