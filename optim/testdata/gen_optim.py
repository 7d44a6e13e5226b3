#!/usr/bin/env python3
"""Generate optim_torch.json: PyTorch reference trajectories for package optim.

Run from the repository root with the system Python (torch 1.13):

    /usr/bin/python3 optim/testdata/gen_optim.py

A fixed small problem (three parameter tensors with seeded initial values) is
updated for STEPS steps by each optimizer configuration in CASES, using the
same seeded sequence of gradients for every case. At step 3 the second
parameter has no gradient (grad None), so optimizers must skip it and not
advance its step counter. Cases may change the learning rate per step, as an
lr scheduler would. Both float64 and float32 trajectories are recorded; the
float32 run casts the same float64 initial values and gradients to float32.
Values are written with repr, so Go parses them exactly. clip_norm and
clip_value record torch.nn.utils.clip_grad_norm_ / clip_grad_value_ applied
to the first step's gradients (float64).
"""
import json
import os

import torch

STEPS = 5
SHAPES = [[3, 4], [4], [2, 1, 3]]
NONE_GRAD = (2, 1)  # (step index, param index) with grad None

CASES = [
    ("sgd_plain", "SGD", dict(lr=0.1), None),
    ("sgd_momentum", "SGD", dict(lr=0.1, momentum=0.9), None),
    ("sgd_nesterov", "SGD", dict(lr=0.1, momentum=0.9, nesterov=True), None),
    ("sgd_weight_decay", "SGD", dict(lr=0.1, weight_decay=0.01), None),
    ("sgd_momentum_dampening_wd", "SGD",
     dict(lr=0.05, momentum=0.8, dampening=0.1, weight_decay=1e-3), None),
    ("sgd_nesterov_wd_lr_schedule", "SGD",
     dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4),
     [0.1, 0.1, 0.05, 0.05, 0.01]),
    ("adam", "Adam", dict(lr=0.01), None),
    ("adam_defaults", "Adam", dict(), None),
    ("adam_wd_betas", "Adam",
     dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1), None),
    ("adam_amsgrad", "Adam", dict(lr=0.01, amsgrad=True), None),
    ("adamw", "AdamW", dict(lr=0.01, weight_decay=0.1), None),
    ("adamw_amsgrad_lr_schedule", "AdamW",
     dict(lr=0.01, weight_decay=0.05, amsgrad=True),
     [0.01, 0.02, 0.02, 0.005, 0.005]),
    ("adagrad", "Adagrad", dict(), None),
    ("adagrad_options", "Adagrad",
     dict(lr=0.1, lr_decay=0.01, weight_decay=0.02, initial_accumulator_value=0.1, eps=1e-8),
     None),
    ("rmsprop", "RMSprop", dict(), None),
    ("rmsprop_centered_momentum_wd", "RMSprop",
     dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.5, centered=True),
     None),
    ("rmsprop_momentum", "RMSprop", dict(lr=0.01, momentum=0.9), None),
]


def problem():
    g = torch.Generator().manual_seed(1234)
    init = [torch.randn(s, generator=g, dtype=torch.float64) for s in SHAPES]
    grads = []
    for step in range(STEPS):
        row = []
        for i, s in enumerate(SHAPES):
            gr = torch.randn(s, generator=g, dtype=torch.float64) * (0.5 + step)
            row.append(None if (step, i) == NONE_GRAD else gr)
        grads.append(row)
    return init, grads


def run(opt_name, cfg, lrs, init, grads, dtype):
    params = [x.clone().to(dtype).requires_grad_(True) for x in init]
    opt = getattr(torch.optim, opt_name)(params, **cfg)
    traj = []
    for step in range(STEPS):
        if lrs is not None:
            for group in opt.param_groups:
                group["lr"] = lrs[step]
        for p, gr in zip(params, grads[step]):
            p.grad = None if gr is None else gr.to(dtype).clone()
        opt.step()
        traj.append([p.detach().to(torch.float64).flatten().tolist() for p in params])
    return traj


def main():
    torch.set_num_threads(1)
    init, grads = problem()
    out = {
        "torch_version": torch.__version__,
        "shapes": SHAPES,
        "init": [x.flatten().tolist() for x in init],
        "grads": [[None if gr is None else gr.flatten().tolist() for gr in row] for row in grads],
        "cases": [],
    }
    for name, opt_name, cfg, lrs in CASES:
        full = dict(cfg)
        if "betas" in full:
            full["betas"] = list(full["betas"])
        out["cases"].append({
            "name": name,
            "optimizer": opt_name,
            "config": full,
            "lrs": lrs,
            "float64": run(opt_name, cfg, lrs, init, grads, torch.float64),
            "float32": run(opt_name, cfg, lrs, init, grads, torch.float32),
        })
    out["clip_norm"] = []
    for max_norm in [0.5, 1e3]:
        params = [x.clone().requires_grad_(True) for x in init]
        for p, gr in zip(params, grads[0]):
            p.grad = gr.clone()
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
        out["clip_norm"].append({
            "max_norm": max_norm,
            "norm": norm.item(),
            "grads": [p.grad.flatten().tolist() for p in params],
        })
    params = [x.clone().requires_grad_(True) for x in init]
    for p, gr in zip(params, grads[0]):
        p.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(params, 0.3)
    out["clip_value"] = {"value": 0.3, "grads": [p.grad.flatten().tolist() for p in params]}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_torch.json")
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
