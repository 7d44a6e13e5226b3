"""Writes testdata/torch_small.safetensors and testdata/torch_small.json, the
fixture of interop_test.go: a small PyTorch model (conv, BatchNorm with
trained running statistics, ReLU, flatten, linear) with random weights,
converted by torch_to_safetensors.py, and PyTorch's eval-mode outputs on a
fixed input, so that a Go test checks without Python that duboko loads a
converted PyTorch state dict and computes what PyTorch computes.

  /usr/bin/python3 bench/interop/torch_fixture.py
"""
import json
import os
import sys

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from torch_to_safetensors import write_safetensors  # noqa: E402


def main():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 3))
    m.train()
    with torch.no_grad():
        for _ in range(3):  # running statistics away from 0 and 1, num_batches_tracked = 3
            m(torch.randn(8, 1, 6, 6) * 2 + 1)
    m.eval()
    x = torch.randn(3, 1, 6, 6)
    with torch.no_grad():
        y = m(x)
    out = os.path.join(here, "testdata")
    write_safetensors(os.path.join(out, "torch_small.safetensors"), m.state_dict(), {"source": "pytorch " + torch.__version__})
    with open(os.path.join(out, "torch_small.json"), "w") as f:
        json.dump({"torch": torch.__version__, "input_shape": list(x.shape), "input": x.flatten().tolist(),
                   "output_shape": list(y.shape), "output": y.flatten().tolist()}, f)
    print("wrote testdata/torch_small.safetensors and testdata/torch_small.json")


if __name__ == "__main__":
    main()
