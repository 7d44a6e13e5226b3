"""Trains the course's MNIST CNN (or MLP) briefly in PyTorch and saves its
state dict with torch.save: the PyTorch side of torch_roundtrip.sh. Prints
PyTorch's own test accuracy of the trained model.

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 \
      bench/interop/torch_train_cnn.py out.pt [cnn|mlp] [train images]
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_eval import cnn, idx, mlp  # noqa: E402  the same architectures, names and data reader


def main():
    out = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else "cnn"
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 12000
    torch.manual_seed(0)
    torch.set_num_threads(2)
    files = "data/mnist/files/"
    x = torch.from_numpy(idx(files + "train-images-idx3-ubyte.gz")[:n].astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(idx(files + "train-labels-idx1-ubyte.gz")[:n].astype(np.int64))
    model = cnn() if name == "cnn" else mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    perm = torch.randperm(n)
    for i in range(0, n, 64):
        b = perm[i:i + 64]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[b]), y[b])
        loss.backward()
        opt.step()
    model.eval()
    tx = torch.from_numpy(idx(files + "t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    ty = torch.from_numpy(idx(files + "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    with torch.no_grad():
        logits = model(tx)
    acc = (logits.argmax(1) == ty).float().mean().item()
    loss = nn.functional.cross_entropy(logits, ty).item()
    torch.save(model.state_dict(), out)
    print(f"torch: trained {name} on {n} images, 1 epoch: test accuracy {100 * acc:.2f}% (loss {loss:.4f}); saved {out}")


if __name__ == "__main__":
    main()
