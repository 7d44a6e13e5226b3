#!/usr/bin/python3
"""Generate layers_torch.json: PyTorch reference values for duboko's
Conv2d, MaxPool2d, AvgPool2d and BatchNorm2d layers.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_layers.py

Inputs, parameters, running statistics and the upstream gradient are
float32 values drawn with a fixed seed and written exactly; the layer is
then run in float64 on those values, so the outputs, the gradients of the
input and of the parameters (for the fixed upstream gradient, i.e. of
L = sum(y * grad_out)) and the running statistics after the step are
float64 references. Dropout is random and has no fixture.

Each case is
  {name, layer, config: {...}, training, x, grad_out, params: {name: t},
   buffers: {name: t}, output, grad_input, grad_params: {name: t},
   buffers_after: {name: t}}
with every tensor as {shape, data} (row-major).
"""

import json

import torch
import torch.nn as nn

gen = torch.Generator().manual_seed(20240)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen).float()


def uniform(lo, hi, *shape):
    return (lo + (hi - lo) * torch.rand(tuple(shape), generator=gen)).float()


def tj(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []


def run(name, kind, config, module, x, params, buffers, training):
    module = module.double()
    with torch.no_grad():
        for k, v in params.items():
            getattr(module, k).copy_(v.double())
        for k, v in buffers.items():
            getattr(module, k).copy_(v.double())
    module.train(training)
    xd = x.double().requires_grad_(True)
    y = module(xd)
    g = randn(*y.shape)
    y.backward(g.double())
    case = {
        "name": name,
        "layer": kind,
        "config": config,
        "training": training,
        "x": tj(x),
        "grad_out": tj(g),
        "params": {k: tj(v) for k, v in params.items()},
        "buffers": {k: tj(v) for k, v in buffers.items()},
        "output": tj(y),
        "grad_input": tj(xd.grad),
        "grad_params": {k: tj(getattr(module, k).grad) for k in params},
        "buffers_after": {k: tj(getattr(module, k)) for k in buffers},
    }
    cases.append(case)


def conv(name, n, cin, cout, h, w, k, stride=1, padding=0, dilation=1, bias=True):
    m = nn.Conv2d(cin, cout, k, stride=stride, padding=padding, dilation=dilation, bias=bias)
    params = {"weight": randn(cout, cin, k, k) * 0.3}
    if bias:
        params["bias"] = randn(cout) * 0.3
    cfg = {"in": cin, "out": cout, "kernel": k, "stride": stride, "padding": padding,
           "dilation": dilation, "bias": bias}
    run(name, "Conv2d", cfg, m, randn(n, cin, h, w), params, {}, True)


conv("conv 3x3", 2, 3, 4, 6, 5, 3)
conv("conv 5x5 pad2 (MNIST conv1)", 2, 1, 4, 8, 8, 5, padding=2)
conv("conv 3x3 stride2 pad1", 2, 2, 3, 7, 8, 3, stride=2, padding=1)
conv("conv 3x3 dilation2 pad2 no bias", 2, 2, 3, 9, 7, 3, padding=2, dilation=2, bias=False)


def pool(name, kind, n, c, h, w, k, stride, padding):
    cls = nn.MaxPool2d if kind == "MaxPool2d" else nn.AvgPool2d
    m = cls(k, stride=stride, padding=padding)
    cfg = {"kernel": k, "stride": stride, "padding": padding}
    run(name, kind, cfg, m, randn(n, c, h, w), {}, {}, True)


pool("maxpool 2x2 s2", "MaxPool2d", 2, 3, 6, 8, 2, 2, 0)
pool("maxpool 3x3 s2 p1", "MaxPool2d", 2, 2, 7, 9, 3, 2, 1)
pool("avgpool 2x2 s2", "AvgPool2d", 2, 3, 6, 8, 2, 2, 0)
pool("avgpool 3x3 s2 p1", "AvgPool2d", 2, 2, 7, 9, 3, 2, 1)


def bn(name, n, c, h, w, training):
    m = nn.BatchNorm2d(c, eps=1e-5, momentum=0.1)
    params = {"weight": uniform(0.5, 1.5, c), "bias": randn(c) * 0.5}
    buffers = {"running_mean": randn(c) * 0.5, "running_var": uniform(0.5, 2.0, c)}
    cfg = {"features": c, "eps": 1e-5, "momentum": 0.1}
    run(name, "BatchNorm2d", cfg, m, randn(n, c, h, w) * 2 + 0.5, params, buffers, training)


bn("batchnorm2d train", 4, 3, 5, 4, True)
bn("batchnorm2d eval", 4, 3, 5, 4, False)

with open("layers_torch.json", "w") as f:
    json.dump({"generator": "gen_layers.py", "torch": torch.__version__, "cases": cases}, f)
    f.write("\n")
