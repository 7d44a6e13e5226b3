#!/usr/bin/python3
"""Generate int_torch.json: PyTorch reference values for duboko's integer
tensors, comparisons, Where, Sign, Argmax/Argmin, Gather/OneHot and the
float-to-int64 conversion.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_int.py

Each case is {name, op, dtype, inputs: [{shape, data}], params, output:
{shape, data}, and for Where upstream and grads (of a and b)}. Boolean
results are written as 0/1 (duboko's comparisons return 0/1 masks in the
operands' dtype). NaN is written as the string "nan" (JSON has no NaN).
The Go test never runs this script; it reads its committed output.
"""

import json
import math

import torch

gen = torch.Generator().manual_seed(7)


def enc(t):
    vals = t.reshape(-1).tolist()
    out = []
    for v in vals:
        if isinstance(v, bool):
            v = int(v)
        if isinstance(v, float) and math.isnan(v):
            v = "nan"
        out.append(v)
    return {"shape": list(t.shape), "data": out}


cases = []

nan = float("nan")
fa = torch.tensor([[1.0, 2.0, nan], [4.0, -1.0, 0.5]])
fb = torch.tensor([2.0, 2.0, nan])
ia = torch.tensor([[1], [2]], dtype=torch.int64)
ib = torch.tensor([0, 1, 2], dtype=torch.int64)
for name, f in [("Equal", torch.eq), ("NotEqual", torch.ne), ("Greater", torch.gt),
                ("GreaterEqual", torch.ge), ("Less", torch.lt), ("LessEqual", torch.le)]:
    for dt, a, b in [("float64", fa.double(), fb.double()), ("float32", fa, fb), ("int64", ia, ib)]:
        cases.append({"name": name + "/" + dt, "op": name, "dtype": dt,
                      "inputs": [enc(a), enc(b)], "output": enc(f(a, b))})

for dt, x in [("float64", torch.tensor([-2.0, 0.0, -0.0, 3.5, nan, -1e-30], dtype=torch.float64)),
              ("int64", torch.tensor([-7, 0, 9], dtype=torch.int64))]:
    cases.append({"name": "Sign/" + dt, "op": "Sign", "dtype": dt, "inputs": [enc(x)], "output": enc(torch.sign(x))})

x = torch.tensor([[1.0, 5.0, 5.0, -2.0], [nan, 0.0, 3.0, nan], [-1.0, -1.0, -3.0, -3.0]], dtype=torch.float64)
for op, f in [("Argmax", torch.argmax), ("Argmin", torch.argmin)]:
    for axis in (0, 1, -1):
        cases.append({"name": "%s/axis%d" % (op, axis), "op": op, "dtype": "float64", "inputs": [enc(x)],
                      "params": {"axis": axis}, "output": enc(f(x, dim=axis))})
    xi = torch.tensor([[3, 9, 9], [-4, -4, 0]], dtype=torch.int64)
    cases.append({"name": op + "/int64", "op": op, "dtype": "int64", "inputs": [enc(xi)],
                  "params": {"axis": 1}, "output": enc(f(xi, dim=1))})

# Where with broadcasting of all three, and its gradients.
for cdt, cond in [("int64", torch.tensor([1, 0, 1], dtype=torch.int64)),
                  ("float64", torch.tensor([[0.0], [nan]], dtype=torch.float64))]:
    a = torch.randn(2, 3, generator=gen, dtype=torch.float64).requires_grad_()
    b = torch.randn(2, 1, generator=gen, dtype=torch.float64).requires_grad_()
    out = torch.where(cond.bool(), a, b)
    up = torch.randn(out.shape, generator=gen, dtype=torch.float64)
    out.backward(up)
    cases.append({"name": "Where/cond-" + cdt, "op": "Where", "dtype": "float64",
                  "inputs": [enc(cond), enc(a.detach()), enc(b.detach())], "params": {"cond_dtype": cdt},
                  "output": enc(out.detach()), "upstream": enc(up), "grads": [enc(a.grad), enc(b.grad)]})

v = torch.tensor([2.7, -2.7, 0.5, -0.5, 1e10, -1e10, 3.0, -0.0], dtype=torch.float64)
cases.append({"name": "ToInt64", "op": "ToInt64", "dtype": "float64", "inputs": [enc(v)], "output": enc(v.to(torch.int64))})

g = torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]], dtype=torch.float64)
idx = torch.tensor([2, 0], dtype=torch.int64)
cases.append({"name": "Gather/axis1", "op": "Gather", "dtype": "float64", "inputs": [enc(g), enc(idx)], "params": {"axis": 1},
              "output": enc(torch.gather(g, 1, idx.unsqueeze(1)).squeeze(1))})
idx0 = torch.tensor([1, 0, 1], dtype=torch.int64)
cases.append({"name": "Gather/axis0", "op": "Gather", "dtype": "float64", "inputs": [enc(g), enc(idx0)], "params": {"axis": 0},
              "output": enc(torch.gather(g, 0, idx0.unsqueeze(0)).squeeze(0))})
lab = torch.tensor([[2, 0], [1, 1]], dtype=torch.int64)
cases.append({"name": "OneHot", "op": "OneHot", "dtype": "int64", "inputs": [enc(lab)], "params": {"classes": 3},
              "output": enc(torch.nn.functional.one_hot(lab, 3))})

with open("int_torch.json", "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote int_torch.json with %d cases" % len(cases))
