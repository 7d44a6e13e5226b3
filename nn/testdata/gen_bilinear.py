#!/usr/bin/python3
"""Generate bilinear_torch.json: PyTorch reference values for duboko's
Bilinear layer (torch.nn.Bilinear).

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_bilinear.py

Inputs, parameters and the upstream gradient are float32 values drawn with
a fixed seed and written exactly; the layer runs in float64 on those
values, so the output and the gradients of both inputs and of the
parameters (of L = sum(y * grad_out)) are float64 references.

Each case is {name, in1, in2, out, bias, x1, x2, grad_out, weight, bias_t,
output, grad_x1, grad_x2, grad_weight, grad_bias}, tensors as {shape, data}.
"""

import json

import torch
import torch.nn as nn

gen = torch.Generator().manual_seed(4242)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen).float()


def tj(t):
    if t is None:
        return None
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []
for name, n, in1, in2, out, bias in [
    ("3x4->5", 6, 3, 4, 5, True),
    ("2x2->1 no bias", 4, 2, 2, 1, False),
    ("7x3->2", 1, 7, 3, 2, True),
]:
    m = nn.Bilinear(in1, in2, out, bias=bias).double()
    w = randn(out, in1, in2)
    b = randn(out) if bias else None
    with torch.no_grad():
        m.weight.copy_(w.double())
        if bias:
            m.bias.copy_(b.double())
    x1 = randn(n, in1).double().requires_grad_(True)
    x2 = randn(n, in2).double().requires_grad_(True)
    y = m(x1, x2)
    g = randn(*y.shape)
    y.backward(g.double())
    cases.append({
        "name": name, "in1": in1, "in2": in2, "out": out, "bias": bias,
        "x1": tj(x1), "x2": tj(x2), "grad_out": tj(g), "weight": tj(w), "bias_t": tj(b),
        "output": tj(y), "grad_x1": tj(x1.grad), "grad_x2": tj(x2.grad),
        "grad_weight": tj(m.weight.grad), "grad_bias": tj(m.bias.grad if bias else None),
    })

with open("bilinear_torch.json", "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
