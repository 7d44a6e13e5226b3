#!/usr/bin/python3
"""Generate amax_torch.json: PyTorch reference values for duboko's Amax,
AmaxKeepDim, Amin and AminKeepDim (values and gradients, with ties).

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_amax.py

Each case is {name, op, keepdim, axes, input: {shape, data}, upstream,
output, grad}: output = torch.amax(x, axes, keepdim) (or amin) in float64,
grad = the gradient of sum(output * upstream) with respect to x, which
PyTorch splits evenly among tied extrema. Inputs are rounded to quarters
so that ties are exact. The Go test never runs this script; it reads its
committed output.
"""

import json

import torch

gen = torch.Generator().manual_seed(11)


def enc(t):
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def quarters(*shape):
    # few distinct values: many ties
    return (torch.randint(-4, 5, shape, generator=gen).double() / 4)


cases = []
for name, op, shape, axes, keepdim in [
    ("amax planes of NCHW", "Amax", (2, 3, 3, 3), [2, 3], False),
    ("amax time axis", "Amax", (2, 5, 3), [1], False),
    ("amax keepdim negative axis", "AmaxKeepDim", (3, 4), [-1], True),
    ("amax all", "Amax", (3, 4), [], False),
    ("amax batch and channel", "Amax", (2, 3, 4), [0, 2], False),
    ("amin planes", "Amin", (2, 2, 3, 3), [2, 3], False),
    ("amin keepdim", "AminKeepDim", (2, 3, 4), [0, 1], True),
]:
    x = quarters(*shape).requires_grad_(True)
    f = torch.amax if op.startswith("Amax") else torch.amin
    dims = axes if axes else list(range(len(shape)))
    y = f(x, dim=dims, keepdim=keepdim)
    up = torch.randn(y.shape, generator=gen, dtype=torch.float64)
    (y * up).sum().backward()
    cases.append({"name": name, "op": op, "axes": axes, "keepdim": keepdim,
                  "input": enc(x.detach()), "upstream": enc(up),
                  "output": enc(y.detach()), "grad": enc(x.grad)})

with open("amax_torch.json", "w") as fh:
    json.dump(cases, fh, indent=1)
    fh.write("\n")
