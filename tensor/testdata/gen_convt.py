#!/usr/bin/python3
"""Generate convt_torch.json: PyTorch reference values for ConvTranspose2d.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_convt.py

Inputs (x [N,Cin,H,W], weight [Cin,Cout,kh,kw], bias [Cout]) and the
upstream gradient are drawn as float32 with a fixed seed and written
exactly; the output and the gradients of x, weight and bias are computed
by torch.nn.functional.conv_transpose2d and autograd in float64 from those
float32 values, so the file holds the exact answer for the stored inputs.

Each case is {name, op: "ConvTranspose2d", inputs: [x, w(, b)],
params: {stride, padding, output_padding, dilation}, upstream, output,
grads: [dx, dw(, db)]}. "rejected" lists settings PyTorch refuses (with its
message), which duboko must refuse too.
"""

import json

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(20261127)


def randn(*shape):
    return torch.randn(tuple(shape), generator=gen).float()


def tensor_json(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []


def case(name, x, w, cout_bias, stride, padding, output_padding, dilation):
    ins = [x, w] + ([cout_bias] if cout_bias is not None else [])
    dins = [t.double().requires_grad_(True) for t in ins]
    b = dins[2] if len(dins) > 2 else None
    y = F.conv_transpose2d(dins[0], dins[1], b, stride=stride, padding=padding,
                           output_padding=output_padding, dilation=dilation)
    g = randn(*y.shape)
    y.backward(g.double())
    cases.append({
        "name": name, "op": "ConvTranspose2d",
        "inputs": [tensor_json(t) for t in ins],
        "params": {"stride": list(stride), "padding": list(padding),
                   "output_padding": list(output_padding), "dilation": list(dilation)},
        "upstream": tensor_json(g),
        "output": tensor_json(y),
        "grads": [tensor_json(t.grad) for t in dins],
    })


def conv(name, x, w, bias, s=(1, 1), p=(0, 0), op=(0, 0), d=(1, 1)):
    case(name, randn(*x), randn(*w), randn(w[1]) if bias else None, s, p, op, d)


conv("k3 plain", (2, 3, 4, 5), (3, 2, 3, 3), True)
conv("k3 pad1 no bias", (2, 2, 5, 4), (2, 3, 3, 3), False, p=(1, 1))
conv("dcgan k4 s2 p1", (2, 4, 4, 4), (4, 3, 4, 4), True, s=(2, 2), p=(1, 1))
conv("dcgan first k4 s1 p0 from 1x1", (3, 6, 1, 1), (6, 4, 4, 4), False)
conv("k3 s2 p1 op1", (2, 3, 4, 3), (3, 2, 3, 3), True, s=(2, 2), p=(1, 1), op=(1, 1))
conv("k2 s3 gaps op2/1", (2, 2, 3, 3), (2, 2, 2, 2), True, s=(3, 3), op=(2, 1))
conv("dilation 2", (2, 2, 4, 4), (2, 3, 3, 3), True, p=(2, 1), d=(2, 2))
conv("rect mixed", (2, 3, 5, 4), (3, 4, 2, 3), True, s=(2, 1), p=(1, 0), op=(1, 0), d=(1, 2))
conv("op >= stride by dilation", (2, 2, 4, 3), (2, 3, 2, 3), True, p=(2, 1), op=(1, 0), d=(2, 1))
conv("op 2 >= stride 2, dilation 3", (1, 2, 3, 3), (2, 2, 3, 2), False, s=(2, 1), p=(0, 1), op=(2, 1), d=(3, 2))
conv("padding beyond kernel", (1, 1, 6, 6), (1, 2, 2, 2), True, s=(2, 2), p=(3, 2), op=(0, 1))
# a batch and an input plane (≥ 128 pixels) for duboko's image-at-a-time path on 2 workers
conv("batch 4 12x11 k3 p1", (4, 1, 12, 11), (1, 2, 3, 3), True, p=(1, 1))

rejected = []
for (x, w, s, p, op, d) in [
    ((1, 2, 5, 5), (2, 3, 3, 3), (1, 1), (0, 0), (0, 1), (1, 1)),
    ((1, 2, 5, 5), (2, 3, 3, 3), (2, 2), (0, 0), (2, 0), (1, 1)),
    ((1, 2, 5, 5), (2, 3, 3, 3), (2, 2), (1, 1), (1, 2), (2, 2)),
]:
    try:
        F.conv_transpose2d(torch.zeros(x), torch.zeros(w), None, stride=s, padding=p, output_padding=op, dilation=d)
    except RuntimeError as e:
        rejected.append({"x": list(x), "w": list(w), "stride": list(s), "padding": list(p),
                         "output_padding": list(op), "dilation": list(d), "torch_error": str(e).split("\n")[0]})
    else:
        raise SystemExit(f"torch accepted {x} {w} s={s} p={p} op={op} d={d}")

with open("convt_torch.json", "w") as f:
    json.dump({"generator": "gen_convt.py", "torch": torch.__version__, "cases": cases, "rejected": rejected}, f,
              indent=None)
    f.write("\n")
print(f"wrote {len(cases)} cases and {len(rejected)} rejected settings to convt_torch.json")
