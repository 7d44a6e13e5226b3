#!/usr/bin/python3
"""Forward+backward time of torch.nn.LSTM/GRU on the shapes of
duboko's nn benchmarks (BenchmarkLSTM_T50_B32_I300_H150_L2, ...).

Run: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
     /usr/bin/python3 bench/rnn/torch_rnn.py [threads [name-filter [iterations]]]
Prints one line per shape: name, best and median wall ms per iteration,
and best CPU ms per iteration (time.process_time: user + system, all
threads, which a loaded shared machine disturbs far less), float32.
bench/rnn/run.sh interleaves it with the Go benchmarks.
"""
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
only = sys.argv[2] if len(sys.argv) > 2 else ""
iters = int(sys.argv[3]) if len(sys.argv) > 3 else 15
torch.set_num_threads(threads)
torch.manual_seed(1)

SHAPES = [("LSTM", 50, 32, 300, 150, 2), ("GRU", 50, 32, 300, 150, 2),
          ("LSTM", 100, 64, 256, 512, 1), ("GRU", 100, 64, 256, 512, 1)]

for kind, T, N, I, H, L in SHAPES:
    name = f"{kind}_T{T}_B{N}_I{I}_H{H}_L{L}"
    if only not in name:
        continue
    m = getattr(torch.nn, kind)(I, H, num_layers=L)
    x = torch.randn(T, N, I, requires_grad=True)
    g = torch.randn(T, N, H)

    def step():
        m.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = m(x)
        out.backward(g)

    for _ in range(3):
        step()
    times, cpu = [], []
    for _ in range(iters):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"{name} {min(times) * 1e3:.2f} {statistics.median(times) * 1e3:.2f} {min(cpu) * 1e3:.2f}")
