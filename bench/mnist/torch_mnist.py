"""PyTorch side of the MNIST throughput comparison (see run.sh).

Same architectures, batch sizes and plain SGD step as main.go, data already
in memory (random pixels: throughput does not depend on the values).
Run with Debian's python3-torch and the OpenMP OpenBLAS:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_mnist.py
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 16, 5, padding=2), nn.MaxPool2d(2), nn.ReLU(),
        nn.Conv2d(16, 32, 5, padding=2), nn.MaxPool2d(2), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 512), nn.ReLU(), nn.Linear(512, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="cnn")
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--batch", type=int, default=50)
    ap.add_argument("--eval-batch", type=int, default=1000)
    ap.add_argument("--eval-steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    m = cnn() if a.model == "cnn" else mlp()
    opt = torch.optim.SGD(m.parameters(), lr=0.01)
    nb = 20
    xs = [torch.rand(a.batch, 1, 28, 28) for _ in range(nb)]
    ys = [torch.randint(0, 10, (a.batch,)) for _ in range(nb)]

    def step(i):
        loss = F.cross_entropy(m(xs[i % nb]), ys[i % nb])
        opt.zero_grad()
        loss.backward()
        opt.step()

    for i in range(10):
        step(i)
    t0 = time.perf_counter()
    for i in range(a.steps):
        step(i)
    train = a.steps * a.batch / (time.perf_counter() - t0)
    m.eval()
    xe = torch.rand(a.eval_batch, 1, 28, 28)
    with torch.no_grad():
        m(xe)
        t0 = time.perf_counter()
        for _ in range(a.eval_steps):
            m(xe)
        infer = a.eval_steps * a.eval_batch / (time.perf_counter() - t0)
    print(f"torch {a.model} train_img_per_s {train:.0f} infer_img_per_s {infer:.0f} (batch {a.batch} / {a.eval_batch}, {torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
