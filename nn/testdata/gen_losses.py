#!/usr/bin/python3
"""Generate losses_torch.json: PyTorch reference values for duboko's losses.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_losses.py

Inputs are float32 values drawn with a fixed seed and written exactly; the
loss and the gradients of the inputs are computed by torch autograd in
float64 from those values (see tensor/testdata/gen_ops.py).

Each case is
  {name, loss, inputs: [{shape, data}], target: {shape, data} | null,
   labels: [...] | null, params: {...}, output: {shape: [], data: [v]},
   grads: [{shape, data}]}
where inputs are the tensors differentiated (predictions, logits, or the
weights of L2) and grads their gradients of the scalar loss.
"""

import json
import math

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(7051)


def randn(*shape, scale=1.0):
    return (torch.randn(tuple(shape), generator=gen) * scale).float()


def uniform(lo, hi, *shape):
    return (lo + (hi - lo) * torch.rand(tuple(shape), generator=gen)).float()


def bits(*shape):
    return (torch.rand(tuple(shape), generator=gen) < 0.5).float()


def labels(n, c):
    return torch.randint(0, c, (n,), generator=gen)


def tensor_json(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []


def case(name, loss, inputs, fn, target=None, lab=None, params=None):
    xs = [x.float().double().clone().requires_grad_(True) for x in inputs]
    tgt = None if target is None else target.float().double()
    args = list(xs)
    if tgt is not None:
        args.append(tgt)
    if lab is not None:
        args.append(lab)
    out = fn(*args)
    out.backward()
    c = {
        "name": name,
        "loss": loss,
        "inputs": [tensor_json(x.float()) for x in inputs],
        "target": None if tgt is None else tensor_json(tgt),
        "labels": None if lab is None else [int(v) for v in lab.tolist()],
        "params": params or {},
        "output": tensor_json(out),
        "grads": [tensor_json(x.grad) for x in xs],
    }
    for t in [c["output"]] + c["grads"]:
        assert all(math.isfinite(v) for v in t["data"]), name
    cases.append(c)


# ---- MSE ----
case("MSE/2D", "MSE", [randn(4, 3)], F.mse_loss, target=randn(4, 3))
case("MSE/1D", "MSE", [randn(7)], F.mse_loss, target=randn(7))
case("MSE/large", "MSE", [randn(3, 5, scale=1e3)], F.mse_loss, target=randn(3, 5, scale=1e3))
case("MSE/equal", "MSE", [torch.tensor([1.0, -2.0, 0.5])], F.mse_loss, target=torch.tensor([1.0, -2.0, 0.5]))

# ---- BCE on probabilities ----
case("BCE/hard targets", "BCE", [uniform(0.05, 0.95, 4, 3)], F.binary_cross_entropy, target=bits(4, 3))
case("BCE/soft targets", "BCE", [uniform(0.05, 0.95, 6)], F.binary_cross_entropy, target=uniform(0, 1, 6))
near = torch.tensor([1e-7, 1e-6, 1e-3, 1 - 1e-3, 1 - 1e-6, 1 - 1e-7, 1e-7, 1 - 1e-7])
case("BCE/near 0 and 1", "BCE", [near], F.binary_cross_entropy,
     target=torch.tensor([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0]))
# p exactly 0 or 1 (a saturated float32 sigmoid): each log is clamped at
# −100 and PyTorch's gradient (p − y)/max(p(1−p), 1e-12)/N stays finite.
case("BCE/exact 0 and 1", "BCE", [torch.tensor([0.0, 1.0, 0.0, 1.0, 0.3])], F.binary_cross_entropy,
     target=torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0]))
case("BCE/denormal", "BCE", [torch.tensor([1e-45, 1e-40, 0.5])], F.binary_cross_entropy,
     target=torch.tensor([1.0, 0.0, 1.0]))

# ---- BCE on logits ----
case("BCEWithLogits/hard targets", "BCEWithLogits", [randn(4, 3, scale=2.0)],
     F.binary_cross_entropy_with_logits, target=bits(4, 3))
case("BCEWithLogits/soft targets", "BCEWithLogits", [randn(6, scale=2.0)],
     F.binary_cross_entropy_with_logits, target=uniform(0, 1, 6))
big = torch.tensor([-1000.0, -100.0, -30.0, -17.0, 17.0, 30.0, 100.0, 1000.0])
case("BCEWithLogits/large logits right", "BCEWithLogits", [big], F.binary_cross_entropy_with_logits,
     target=(big > 0).float())
case("BCEWithLogits/large logits wrong", "BCEWithLogits", [big], F.binary_cross_entropy_with_logits,
     target=(big < 0).float())

# ---- cross-entropy with integer labels ----
case("CrossEntropy/5x4", "CrossEntropy", [randn(5, 4)], F.cross_entropy, lab=labels(5, 4))
case("CrossEntropy/1x10", "CrossEntropy", [randn(1, 10)], F.cross_entropy, lab=labels(1, 10))
case("CrossEntropy/scaled", "CrossEntropy", [randn(6, 5, scale=30.0)], F.cross_entropy, lab=labels(6, 5))
largeCE = torch.tensor([[50.0, -50.0, 0.0], [-50.0, 50.0, 49.0], [1000.0, -1000.0, 999.0], [0.0, 0.0, 0.0]])
case("CrossEntropy/large logits", "CrossEntropy", [largeCE], F.cross_entropy, lab=torch.tensor([0, 2, 1, 2]))

# ---- cross-entropy with one-hot and soft targets ----
for name, x, lab in [("5x4", randn(5, 4), labels(5, 4)), ("large logits", largeCE, torch.tensor([0, 2, 1, 2])),
                     ("scaled", randn(6, 5, scale=30.0), labels(6, 5))]:
    onehot = F.one_hot(lab, x.shape[1]).float()
    case(f"CrossEntropyOneHot/{name}", "CrossEntropyOneHot", [x], F.cross_entropy, target=onehot)
    # the course's explicit loss: Forward and BackwardInputs = (softmax − y)/N,
    # compared with torch's autograd gradient of cross_entropy
    case(f"SoftmaxCrossEntropyWithLogits/{name}", "SoftmaxCrossEntropyWithLogits", [x], F.cross_entropy,
         target=onehot)
# Soft targets with dyadic entries, so that each row sums to exactly 1 in
# float32: the explicit gradient (softmax − y)/N assumes Σ_c y_nc = 1, while
# autograd gives (softmax·Σ_c y_nc − y)/N.
soft = torch.tensor([[0.5, 0.25, 0.25], [0.125, 0.375, 0.5], [0.0, 0.0625, 0.9375], [0.75, 0.0, 0.25]])
xs = randn(4, 3)
case("CrossEntropyOneHot/soft targets", "CrossEntropyOneHot", [xs], F.cross_entropy, target=soft)
case("SoftmaxCrossEntropyWithLogits/soft targets", "SoftmaxCrossEntropyWithLogits", [xs], F.cross_entropy,
     target=soft)

# ---- L2 regularisation: λ·Σ‖w‖² (not λ/2) ----
def l2(lam):
    return lambda *ws: lam * sum((w ** 2).sum() for w in ws)


case("L2/two weights", "L2", [randn(3, 4), randn(5)], l2(0.01), params={"lambda": 0.01})
case("L2/one weight", "L2", [randn(2, 3)], l2(0.5), params={"lambda": 0.5})
case("L2Regularizer", "L2Regularizer", [randn(4, 3)], l2(1e-3), params={"lambda": 1e-3})

with open("losses_torch.json", "w") as f:
    json.dump({"generator": "gen_losses.py", "torch": torch.__version__, "cases": cases}, f, indent=None)
    f.write("\n")
print(f"wrote {len(cases)} cases to losses_torch.json")
