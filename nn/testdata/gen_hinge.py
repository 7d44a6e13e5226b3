#!/usr/bin/python3
"""Generate hinge_torch.json: PyTorch reference values for duboko's
multiclass hinge loss (nn.MultiMargin, nn.MultiClassHinge).

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_hinge.py

Scores are float32 values drawn with a fixed seed and written exactly; the
loss F.multi_margin_loss(scores, labels, margin=m) (p=1, mean) and its
gradient are computed by torch autograd in float64 from those values.
Each case is {name, margin, scores: {shape, data}, labels: [...],
loss, grad: {shape, data}}. The Go test never runs this script.
"""

import json

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(1402)


def enc(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []
for name, n, c, scale, margin in [
    ("4x3 margin 1", 4, 3, 1.0, 1.0),
    ("8x10 margin 1", 8, 10, 2.0, 1.0),
    ("5x4 margin 0.5", 5, 4, 1.0, 0.5),
    ("3x5 margin 2", 3, 5, 0.5, 2.0),
    ("6x3 wide scores, few active terms", 6, 3, 6.0, 1.0),
    ("1x2", 1, 2, 1.0, 1.0),
]:
    s = (torch.randn((n, c), generator=gen) * scale).float()
    y = torch.randint(0, c, (n,), generator=gen)
    x = s.double().clone().requires_grad_(True)
    loss = F.multi_margin_loss(x, y, margin=margin)
    loss.backward()
    cases.append({"name": name, "margin": margin, "scores": enc(s), "labels": [int(v) for v in y.tolist()],
                  "loss": float(loss), "grad": enc(x.grad)})

with open("hinge_torch.json", "w") as fh:
    json.dump(cases, fh, indent=1)
    fh.write("\n")
