"""Loads a duboko checkpoint into the same architecture in PyTorch and
evaluates it on the MNIST test set shipped with duboko: the end-to-end check
that `duboko train` checkpoints are PyTorch state dicts.

  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 \
      bench/interop/torch_eval.py out/checkpoint.safetensors [cnn|mlp]

The safetensors file is parsed by hand (8-byte header length, JSON header,
raw little-endian data) so that the Python `safetensors` package, which
Debian does not ship, is not needed; with it installed,
safetensors.torch.load_file gives the same dictionary.
"""
import gzip
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def load_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    state = {}
    for name, info in header.items():
        lo, hi = info["data_offsets"]
        t = torch.frombuffer(bytearray(raw[base + lo:base + hi]), dtype=DTYPES[info["dtype"]])
        state[name] = t.reshape(info["shape"]).clone()
    return state, meta


def cnn():
    m = nn.Sequential()
    m.add_module("conv1", nn.Conv2d(1, 16, 5, padding=2))
    m.add_module("pool1", nn.MaxPool2d(2))
    m.add_module("relu1", nn.ReLU())
    m.add_module("conv2", nn.Conv2d(16, 32, 5, padding=2))
    m.add_module("pool2", nn.MaxPool2d(2))
    m.add_module("relu2", nn.ReLU())
    m.add_module("flatten", nn.Flatten())
    m.add_module("fc3", nn.Linear(32 * 7 * 7, 512))
    m.add_module("relu3", nn.ReLU())
    m.add_module("logits", nn.Linear(512, 10))
    return m


def mlp():
    m = nn.Sequential()
    m.add_module("flatten", nn.Flatten())
    m.add_module("fc1", nn.Linear(784, 512))
    m.add_module("relu1", nn.ReLU())
    m.add_module("fc2", nn.Linear(512, 10))
    return m


def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw[4 + 4 * ndim:], dtype=np.uint8).reshape(dims)


def main():
    path = sys.argv[1]
    state, meta = load_safetensors(path)
    name = sys.argv[2] if len(sys.argv) > 2 else meta.get("model", "cnn")
    model = cnn() if name == "cnn" else mlp()
    model.load_state_dict(state, strict=True)
    model.eval()
    files = "data/mnist/files/"
    x = torch.from_numpy(idx(files + "t10k-images-idx3-ubyte.gz").astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(idx(files + "t10k-labels-idx1-ubyte.gz").astype(np.int64))
    with torch.no_grad():
        logits = model(x)
        acc = (logits.argmax(1) == y).float().mean().item()
        loss = nn.functional.cross_entropy(logits, y).item()
    print(f"torch: {name} from {path} (epoch {meta.get('epoch', '?')}): test accuracy {100 * acc:.2f}% (loss {loss:.4f})")


if __name__ == "__main__":
    main()
