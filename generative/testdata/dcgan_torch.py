#!/usr/bin/env python3
"""Writes dcgan_torch.json: PyTorch 1.13's resizing (F.interpolate bilinear, align_corners=False,
and area) on small images, and the output shapes of bench/dcgan's DCGAN players, for
generative/dcgan_test.go. Run: /usr/bin/python3 dcgan_torch.py"""
import json, os, sys
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "dcgan"))
import torch_dcgan as td

torch.manual_seed(0)
out = {"resize": []}
for (sh, sw, dh, dw, mode) in [(5, 7, 11, 9, "bilinear"), (28, 28, 64, 64, "bilinear"), (9, 8, 4, 5, "area"), (64, 64, 28, 28, "area")]:
    x = torch.rand(1, 1, sh, sw, dtype=torch.float64)
    kw = {"align_corners": False} if mode == "bilinear" else {}
    y = F.interpolate(x, size=(dh, dw), mode=mode, **kw)
    out["resize"].append({"mode": mode, "src": [sh, sw], "dst": [dh, dw], "x": x.flatten().tolist(), "y": y.flatten().tolist()})
out["players"] = []
for size, w, gx, dx in [(28, 32, 0, 0), (28, 64, 0, 0), (64, 64, 0, 0), (28, 32, 1, 2), (32, 32, 0, 0), (32, 64, 0, 0)]:
    G, D = td.generator(size, 100, w, gx), td.discriminator(size, w, dx)
    out["players"].append({"size": size, "width": w, "g_extra": gx, "d_extra": dx,
                           "g_params": sum(p.numel() for p in G.parameters()),
                           "d_params": sum(p.numel() for p in D.parameters()),
                           "g_names": list(G.state_dict().keys()), "d_names": list(D.state_dict().keys())})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "dcgan_torch.json"), "w") as f:
    json.dump(out, f)
