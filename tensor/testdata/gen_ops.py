#!/usr/bin/python3
"""Generate ops_torch.json: PyTorch reference values for duboko's tensor ops.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_ops.py

Every input is drawn as float32 with a fixed seed and written exactly.
Outputs and input gradients are computed by torch autograd in float64 from
those float32 inputs, so the file holds the exact answer for the stored
inputs; the Go test compares duboko's Float64 run tightly and its Float32
run to float32 accuracy against it.

Each case is
  {name, op, inputs: [{shape, data}], params: {...},
   upstream: {shape, data}, output: {shape, data}, grads: [{shape, data}],
   indices: [...] (Max/Min only)}
with one gradient per input: the vector-Jacobian product of the upstream
gradient, i.e. x.grad after out.backward(upstream).
"""

import json
import math

import torch

torch.manual_seed(20240611)
gen = torch.Generator().manual_seed(20240611)


def randn(*shape, scale=1.0):
    return (torch.randn(tuple(shape), generator=gen) * scale).float()


def uniform(lo, hi, *shape):
    return (lo + (hi - lo) * torch.rand(tuple(shape), generator=gen)).float()


def away(*shape):
    """Normal samples at least 0.1 away from 0 (kinks of ReLU, Abs, ...)."""
    t = randn(*shape)
    t = torch.where(t.abs() < 0.1, torch.sign(t + 1e-12) * 0.1 + t, t)
    return t.float()


def tensor_json(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


def ints(xs):
    return [int(v) for v in xs]


cases = []


def case(name, op, inputs, fn, params=None, extra=None):
    """Run fn on float64 copies of the float32 inputs and record the case."""
    xs = [x.float().double().clone().requires_grad_(True) for x in inputs]
    out = fn(*xs)
    indices = None
    if isinstance(out, tuple):
        out, indices = out
    up = randn(*out.shape).double()
    out.backward(up)
    c = {
        "name": name,
        "op": op,
        "inputs": [tensor_json(x.float()) for x in inputs],
        "params": params or {},
        "upstream": tensor_json(up),
        "output": tensor_json(out),
        "grads": [tensor_json(x.grad if x.grad is not None else torch.zeros_like(x)) for x in xs],
    }
    if indices is not None:
        c["indices"] = ints(indices.reshape(-1).tolist())
    if extra:
        c.update(extra)
    for t in [c["output"]] + c["grads"]:
        assert all(math.isfinite(v) for v in t["data"]), name
    cases.append(c)


# ---- element-wise binary ops, with NumPy broadcasting ----
binary = {
    "Add": torch.add,
    "Sub": torch.sub,
    "Mul": torch.mul,
    "Div": torch.div,
    "Maximum": torch.maximum,
}
bshapes = [
    ("same", (3, 4), (3, 4)),
    ("row", (4, 3), (3,)),
    ("col", (4, 1), (1, 3)),
    ("rank3", (2, 3, 4), (3, 1)),
    ("scalar", (2, 3), ()),
    ("scalar-left", (), (2, 3)),
    ("both", (2, 1, 4), (3, 1)),
]
for op, f in binary.items():
    for tag, sa, sb in bshapes:
        a = randn(*sa)
        b = uniform(0.5, 2.0, *sb) * torch.where(randn(*sb) < 0, torch.tensor(-1.0), torch.tensor(1.0)) if op == "Div" else randn(*sb)
        case(f"{op}/{tag}", op, [a, b], f)
# ties: torch splits the gradient equally between a and b
a = torch.tensor([1.0, 2.0, -3.0, 0.5, 0.0, 4.0])
b = torch.tensor([1.0, 1.0, -3.0, 0.7, 0.0, 5.0])
case("Maximum/ties", "Maximum", [a, b], torch.maximum)
case("Div/large", "Div", [randn(3, 4, scale=1e3), uniform(1e-3, 1e-2, 4)], torch.div)

# ---- element-wise unary ops ----
case("Neg", "Neg", [randn(3, 4)], torch.neg)
case("Abs", "Abs", [torch.cat([away(7), torch.zeros(1)])], torch.abs)
case("Exp", "Exp", [randn(3, 4)], torch.exp)
case("Exp/wide", "Exp", [torch.tensor([-80.0, -30.0, -1e-3, 0.0, 1e-3, 10.0, 30.0, 80.0])], torch.exp)
case("Log", "Log", [uniform(0.05, 5.0, 3, 4)], torch.log)
case("Log/tiny", "Log", [torch.tensor([1e-30, 1e-10, 1e-3, 1.0, 1e10, 1e30])], torch.log)
case("Sqrt", "Sqrt", [uniform(0.05, 5.0, 2, 5)], torch.sqrt)
for p in [2.0, 3.0, 0.5, -1.0, -2.5, 0.0, 1.0]:
    x = uniform(0.2, 3.0, 2, 3) if p != int(p) or p < 0 else randn(2, 3)
    case(f"Pow/{p:g}", "Pow", [x], lambda t, p=p: torch.pow(t, p), {"p": p})
case("Square", "Square", [randn(3, 4)], torch.square)
x = torch.tensor([-2.0, -1.0, -0.5, -0.2, 0.0, 0.3, 0.5, 0.7, 1.0, 3.0])
case("Clamp/boundaries", "Clamp", [x], lambda t: torch.clamp(t, -0.5, 0.5), {"lo": -0.5, "hi": 0.5})
case("Clamp/random", "Clamp", [randn(3, 5)], lambda t: torch.clamp(t, -0.3, 0.8), {"lo": -0.3, "hi": 0.8})
case("Clamp/min only", "Clamp", [randn(3, 5)], lambda t: torch.clamp(t, min=-0.2), {"lo": -0.2, "hi": "inf"})
case("Clamp/max only", "Clamp", [randn(3, 5)], lambda t: torch.clamp(t, max=0.1), {"lo": "-inf", "hi": 0.1})
case("ReLU", "ReLU", [torch.cat([away(3, 4).reshape(-1), torch.zeros(2)])], torch.relu)
for slope in [0.01, 0.2]:
    xs = torch.cat([away(3, 4).reshape(-1), torch.zeros(2)])
    case(f"LeakyReLU/{slope:g}", "LeakyReLU", [xs],
         lambda t, s=slope: torch.nn.functional.leaky_relu(t, s), {"slope": slope})
extreme = torch.tensor([-100.0, -50.0, -30.0, -20.0, -5.0, -1.0, -1e-4, 0.0, 1e-4, 1.0, 5.0, 20.0, 30.0, 50.0, 100.0])
for op, f in [("Sigmoid", torch.sigmoid), ("Tanh", torch.tanh),
              ("Softplus", torch.nn.functional.softplus), ("LogSigmoid", torch.nn.functional.logsigmoid)]:
    case(op, op, [randn(3, 4)], f)
    case(f"{op}/extreme", op, [extreme], f)
# torch's softplus switches to the identity above x = 20 (threshold), which
# duboko does not; in float64 the difference is log1p(e^-x) < 2.1e-9 and
# below 1e-12 relative at |x| ≥ 30, within the tests' tolerances.

# ---- softmax family ----
case("Softmax/axis1", "Softmax", [randn(4, 5)], lambda t: torch.softmax(t, 1), {"axis": 1})
case("Softmax/axis0", "Softmax", [randn(3, 5, 2)], lambda t: torch.softmax(t, 0), {"axis": 0})
case("Softmax/axis-1 rank3", "Softmax", [randn(2, 3, 4)], lambda t: torch.softmax(t, -1), {"axis": -1})
case("Softmax/large", "Softmax", [torch.tensor([[50.0, -50.0, 0.0, 49.0], [-50.0, -50.0, -49.5, -50.0],
                                                [1000.0, 999.0, -1000.0, 0.0]])],
     lambda t: torch.softmax(t, 1), {"axis": 1})
case("Softmax/scaled", "Softmax", [randn(3, 6, scale=30.0)], lambda t: torch.softmax(t, 1), {"axis": 1})
case("LogSoftmax/axis1", "LogSoftmax", [randn(4, 5)], lambda t: torch.log_softmax(t, 1), {"axis": 1})
case("LogSoftmax/axis0", "LogSoftmax", [randn(3, 2, 4)], lambda t: torch.log_softmax(t, 0), {"axis": 0})
case("LogSoftmax/large", "LogSoftmax", [torch.tensor([[50.0, -50.0, 0.0, 49.0], [-50.0, -50.0, -49.5, -50.0],
                                                      [1000.0, 999.0, -1000.0, 0.0]])],
     lambda t: torch.log_softmax(t, 1), {"axis": 1})
case("LogSoftmax/scaled", "LogSoftmax", [randn(3, 6, scale=30.0)], lambda t: torch.log_softmax(t, -1), {"axis": -1})
for keep in [False, True]:
    case(f"LogSumExp/axis1 keep={keep}", "LogSumExp", [randn(4, 5)],
         lambda t, k=keep: torch.logsumexp(t, 1, keepdim=k), {"axis": 1, "keepdim": keep})
    case(f"LogSumExp/axis0 rank3 keep={keep}", "LogSumExp", [randn(3, 2, 4)],
         lambda t, k=keep: torch.logsumexp(t, 0, keepdim=k), {"axis": 0, "keepdim": keep})
case("LogSumExp/large", "LogSumExp", [torch.tensor([[50.0, -50.0, 0.0, 49.0], [-50.0, -50.0, -49.5, -50.0],
                                                    [1000.0, 999.0, -1000.0, 0.0]])],
     lambda t: torch.logsumexp(t, 1), {"axis": 1, "keepdim": False})

# ---- reductions ----
def red(fn, axes, keep):
    if axes is None:
        return lambda t: fn(t)
    return lambda t: fn(t, dim=tuple(axes), keepdim=keep)


for op, fn in [("Sum", torch.sum), ("Mean", torch.mean)]:
    case(f"{op}/all", op, [randn(3, 4)], red(fn, None, False), {"axes": [], "keepdim": False})
    case(f"{op}/all keep", op, [randn(2, 3, 4)], red(fn, [0, 1, 2], True), {"axes": [], "keepdim": True})
    for axes in [[0], [1], [-1], [0, 2], [2, 0], [1, 2]]:
        for keep in [False, True]:
            case(f"{op}/axes{axes} keep={keep}", op, [randn(3, 4, 2)], red(fn, axes, keep),
                 {"axes": axes, "keepdim": keep})
for op, fn in [("Max", torch.max), ("Min", torch.min)]:
    for axis in [0, 1, -1]:
        for keep in [False, True]:
            case(f"{op}/axis{axis} keep={keep}", op, [randn(3, 4, 2)],
                 lambda t, a=axis, k=keep, f=fn: tuple(f(t, a, keepdim=k)), {"axis": axis, "keepdim": keep})
    case(f"{op}/vector", op, [randn(7)], lambda t, f=fn: tuple(f(t, 0)), {"axis": 0, "keepdim": False})

# ---- shape ops ----
case("Reshape", "Reshape", [randn(2, 6)], lambda t: t.reshape(4, 3), {"shape": [4, 3]})
case("Reshape/infer", "Reshape", [randn(2, 3, 4)], lambda t: t.reshape(-1, 6), {"shape": [-1, 6]})
case("Flatten/1", "Flatten", [randn(2, 3, 2)], lambda t: torch.flatten(t, 1), {"start": 1})
case("Flatten/0", "Flatten", [randn(2, 3, 2)], lambda t: torch.flatten(t, 0), {"start": 0})
case("Permute", "Permute", [randn(2, 3, 4)], lambda t: t.permute(2, 0, 1), {"perm": [2, 0, 1]})
case("Permute/4D", "Permute", [randn(2, 3, 2, 3)], lambda t: t.permute(0, 2, 3, 1), {"perm": [0, 2, 3, 1]})
case("Transpose", "Transpose", [randn(2, 3, 4)], lambda t: t.transpose(0, 2), {"a": 0, "b": 2})
case("Transpose/neg", "Transpose", [randn(2, 3, 4)], lambda t: t.transpose(-1, -2), {"a": -1, "b": -2})
case("T", "T", [randn(3, 5)], lambda t: t.t())
case("Squeeze", "Squeeze", [randn(3, 1, 2, 1)], lambda t: t.squeeze(1), {"axes": [1]})
case("Squeeze/all", "Squeeze", [randn(3, 1, 2, 1)], lambda t: t.squeeze(), {"axes": []})
case("Unsqueeze", "Unsqueeze", [randn(3, 2)], lambda t: t.unsqueeze(1), {"axis": 1})
case("Unsqueeze/end", "Unsqueeze", [randn(3, 2)], lambda t: t.unsqueeze(-1), {"axis": -1})
case("Expand", "Expand", [randn(3, 1)], lambda t: t.expand(2, 3, 4), {"shape": [2, 3, 4]})
case("Concat/axis1", "Concat", [randn(2, 3), randn(2, 2), randn(2, 1)],
     lambda *ts: torch.cat(ts, 1), {"axis": 1})
case("Concat/axis0", "Concat", [randn(1, 3, 2), randn(2, 3, 2)], lambda *ts: torch.cat(ts, 0), {"axis": 0})
case("Concat/axis-1", "Concat", [randn(2, 2, 3), randn(2, 2, 1)], lambda *ts: torch.cat(ts, -1), {"axis": -1})
case("Stack/axis0", "Stack", [randn(2, 3), randn(2, 3), randn(2, 3)], lambda *ts: torch.stack(ts, 0), {"axis": 0})
case("Stack/axis-1", "Stack", [randn(2, 3), randn(2, 3)], lambda *ts: torch.stack(ts, -1), {"axis": -1})
case("Slice", "Slice", [randn(2, 5, 2)], lambda t: t[:, 1:4], {"axis": 1, "start": 1, "end": 4})
case("Slice/axis0", "Slice", [randn(4, 3)], lambda t: t[2:4], {"axis": 0, "start": 2, "end": 4})
case("Slice/empty", "Slice", [randn(4, 3)], lambda t: t[:, 2:2], {"axis": 1, "start": 2, "end": 2})
case("IndexSelect/axis0 repeats", "IndexSelect", [randn(4, 3)],
     lambda t: torch.index_select(t, 0, torch.tensor([2, 0, 2, 3])), {"axis": 0, "index": [2, 0, 2, 3]})
case("IndexSelect/axis1", "IndexSelect", [randn(2, 5, 2)],
     lambda t: torch.index_select(t, 1, torch.tensor([4, 1])), {"axis": 1, "index": [4, 1]})
# duboko's Gather drops the gathered axis: torch.gather(x, axis, idx.unsqueeze(axis)).squeeze(axis)
for shape, axis, idx in [((3, 4), 1, [0, 3, 1]), ((3, 4), 0, [2, 0, 1, 2]), ((2, 3, 4), 1, [0, 2, 1, 1, 2, 0, 0, 1])]:
    rest = [s for i, s in enumerate(shape) if i != axis]
    index = torch.tensor(idx).reshape(rest).unsqueeze(axis)
    case(f"Gather/{list(shape)} axis{axis}", "Gather", [randn(*shape)],
         lambda t, a=axis, ix=index: torch.gather(t, a, ix).squeeze(a), {"axis": axis, "index": idx})

# ---- matrix products ----
mm = [
    ("2D", (3, 4), (4, 5)),
    ("2D tall", (7, 2), (2, 3)),
    ("ND·2D", (2, 3, 4), (4, 5)),
    ("4D·2D", (2, 2, 3, 4), (4, 2)),
    ("batched", (2, 3, 4), (2, 4, 5)),
    ("batched 4D", (2, 3, 2, 4), (2, 3, 4, 3)),
    ("vector·matrix", (4,), (4, 3)),
    ("matrix·vector", (3, 4), (4,)),
    ("vector·vector", (5,), (5,)),
    ("batched·vector", (2, 3, 4), (4,)),
    ("large k", (4, 64), (64, 6)),
]
for tag, sa, sb in mm:
    case(f"MatMul/{tag}", "MatMul", [randn(*sa), randn(*sb)], torch.matmul)
case("Linear", "Linear", [randn(5, 4), randn(3, 4), randn(3)], torch.nn.functional.linear)
case("Linear/no bias", "Linear", [randn(5, 4), randn(3, 4)], torch.nn.functional.linear)
case("Linear/wide", "Linear", [randn(8, 33), randn(17, 33), randn(17)], torch.nn.functional.linear)

# ---- edge cases: ties, scalars, size-1 axes, zeros ----
ties = torch.tensor([[1.0, 3.0, 3.0, -1.0], [2.0, 2.0, 2.0, 2.0], [-5.0, 0.0, -5.0, 0.0]])
for op, fn in [("Max", torch.max), ("Min", torch.min)]:
    case(f"{op}/ties", op, [ties], lambda t, f=fn: tuple(f(t, 1)), {"axis": 1, "keepdim": False})
case("Sum/scalar", "Sum", [torch.tensor(1.5)], lambda t: t.sum(), {"axes": [], "keepdim": False})
case("Sum/size-1 axis", "Sum", [randn(3, 1, 2)], lambda t: t.sum(1), {"axes": [1], "keepdim": False})
case("Mean/size-1 axis keep", "Mean", [randn(3, 1, 2)], lambda t: t.mean(1, keepdim=True),
     {"axes": [1], "keepdim": True})
case("Softmax/size-1 axis", "Softmax", [randn(3, 1)], lambda t: torch.softmax(t, 1), {"axis": 1})
case("LogSoftmax/equal", "LogSoftmax", [torch.full((2, 4), 3.0)], lambda t: torch.log_softmax(t, 1), {"axis": 1})
case("Expand/scalar", "Expand", [torch.tensor(0.7)], lambda t: t.expand(2, 3), {"shape": [2, 3]})
case("Unsqueeze/scalar", "Unsqueeze", [torch.tensor(0.7)], lambda t: t.unsqueeze(0), {"axis": 0})
case("Flatten/scalar", "Flatten", [torch.tensor(0.7)], lambda t: torch.flatten(t), {"start": 0})
case("Stack/scalars", "Stack", [torch.tensor(0.7), torch.tensor(-1.2)], lambda *ts: torch.stack(ts, 0), {"axis": 0})
case("Gather/axis-1", "Gather", [randn(2, 3)], lambda t: torch.gather(t, -1, torch.tensor([[2], [0]])).squeeze(-1),
     {"axis": -1, "index": [2, 0]})
case("MatMul/1 row", "MatMul", [randn(1, 4), randn(4, 3)], torch.matmul)
case("Linear/1 sample", "Linear", [randn(1, 4), randn(3, 4), randn(3)], torch.nn.functional.linear)
zeros = torch.tensor([0.0, -0.0, 1.0, -2.0])
for p in [0.0, 1.0, 2.0, 3.0]:
    case(f"Pow/{p:g} at zero", "Pow", [zeros], lambda t, p=p: torch.pow(t, p), {"p": p})

# ---- a composite: shared input and a chain of ops ----
case("Chain/tanh*exp", "TanhMulExp", [randn(3, 4)], lambda t: torch.tanh(t) * torch.exp(t))
case("Chain/softmax-matmul", "SoftmaxMatMul", [randn(3, 4), randn(4, 2)],
     lambda a, b: torch.matmul(torch.softmax(a, 1), b))

with open("ops_torch.json", "w") as f:
    json.dump({"generator": "gen_ops.py", "torch": torch.__version__, "cases": cases}, f, indent=None)
    f.write("\n")
print(f"wrote {len(cases)} cases to ops_torch.json")
