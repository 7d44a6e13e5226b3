#!/usr/bin/env python3
"""PyTorch oracle for nn.Save/nn.Load with integer buffers.

Generate (writes checkpoint_torch.safetensors and checkpoint_torch.json
beside this script):

    /usr/bin/python3 nn/testdata/gen_checkpoint.py

The model is torch.nn.Sequential(fc=Linear(3, 4), bn=BatchNorm1d(4)) with
torch.manual_seed(0), trained for three forward passes in training mode, so
bn.num_batches_tracked (an int64 scalar) is 3 and the running statistics have
moved. The JSON holds an input and the model's output in evaluation mode.

Check that PyTorch loads a file written by duboko's nn.Save into the same
architecture with strict=True (every key, int64 num_batches_tracked included):

    /usr/bin/python3 nn/testdata/gen_checkpoint.py --check FILE

The safetensors file is written with the hand encoder of
safetensors/testdata/gen.py (the same bytes as the reference writer).
The Go tests never run this script; they read its committed output.
"""
import collections
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "safetensors", "testdata"))
from gen import decode, encode  # noqa: E402


def model():
    return torch.nn.Sequential(collections.OrderedDict(fc=torch.nn.Linear(3, 4), bn=torch.nn.BatchNorm1d(4)))


def generate():
    torch.manual_seed(0)
    m = model()
    m.train()
    with torch.no_grad():
        for _ in range(3):
            m(torch.randn(5, 3) * 2 + 1)
    m.eval()
    x = torch.randn(2, 3)
    with torch.no_grad():
        y = m(x)
    sd = {k: v.detach().clone() for k, v in m.state_dict().items()}
    assert sd["bn.num_batches_tracked"].dtype == torch.int64 and sd["bn.num_batches_tracked"].item() == 3
    with open(os.path.join(HERE, "checkpoint_torch.safetensors"), "wb") as f:
        f.write(encode(sd, {"source": "duboko nn/testdata/gen_checkpoint.py"}))
    out = {
        "torch_version": torch.__version__,
        "keys": list(sd.keys()),
        "x": x.reshape(-1).double().tolist(),
        "y": y.reshape(-1).double().tolist(),
        "num_batches_tracked": sd["bn.num_batches_tracked"].item(),
    }
    with open(os.path.join(HERE, "checkpoint_torch.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote checkpoint_torch.safetensors and checkpoint_torch.json, keys", out["keys"])


def check(path):
    with open(path, "rb") as f:
        tensors, meta = decode(f.read())
    for k, v in tensors.items():
        print("  %-24s %-12s %s" % (k, v.dtype, list(v.shape)))
    m = model()
    m.load_state_dict(tensors, strict=True)
    assert m.bn.num_batches_tracked.dtype == torch.int64
    print("strict load_state_dict ok; num_batches_tracked =", m.bn.num_batches_tracked.item())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        generate()
