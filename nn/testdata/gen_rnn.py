#!/usr/bin/python3
"""Reference values for duboko's recurrent layers from PyTorch.

Run from the repository root:  /usr/bin/python3 nn/testdata/gen_rnn.py
Writes nn/testdata/rnn_torch.json: for each case the layer's parameters
(PyTorch state-dict names), inputs, outputs, final states, and the
gradients of every parameter and input for the loss
sum(out*g_out) + sum(hN*g_hN) [+ sum(cN*g_cN)] with fixed random g_*.
Everything is float64. Variable-length cases run through
pack_padded_sequence / pad_packed_sequence (enforce_sorted=False).

It also writes nn/testdata/rnn_lstm_torch.safetensors, the float32 state
dict of a 2-layer bidirectional LSTM (with the hand encoder of
safetensors/testdata/gen.py), and in the JSON ("safetensors") an input and
that LSTM's output and final states, so that loading PyTorch's file into
duboko is checked.
"""
import json
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(11)
torch.set_default_dtype(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def layer_case(name, kind, I, H, L, bidir, T, N, lengths=None, batch_first=False, init=True, nonlinearity="tanh"):
    if kind == "RNN":
        m = nn.RNN(I, H, num_layers=L, bidirectional=bidir, batch_first=batch_first, nonlinearity=nonlinearity)
    else:
        m = getattr(nn, kind)(I, H, num_layers=L, bidirectional=bidir, batch_first=batch_first)
    D = 2 if bidir else 1
    xs = (N, T, I) if batch_first else (T, N, I)
    x = torch.randn(*xs, requires_grad=True)
    h0 = torch.randn(L * D, N, H, requires_grad=True) if init else None
    c0 = torch.randn(L * D, N, H, requires_grad=True) if init and kind == "LSTM" else None
    state = None
    if init:
        state = (h0, c0) if kind == "LSTM" else h0
    inp = x
    if lengths is not None:
        inp = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
    out, st = m(inp, state)
    if lengths is not None:
        out, _ = pad_packed_sequence(out, batch_first=batch_first, total_length=T)
    hN, cN = (st if kind == "LSTM" else (st, None))
    g_out, g_h = torch.randn(out.shape), torch.randn(hN.shape)
    loss = (out * g_out).sum() + (hN * g_h).sum()
    g_c = None
    if cN is not None:
        g_c = torch.randn(cN.shape)
        loss = loss + (cN * g_c).sum()
    loss.backward()
    c = {"name": name, "kind": kind, "nonlinearity": nonlinearity, "input_size": I, "hidden": H, "layers": L,
         "bidirectional": bidir, "batch_first": batch_first, "T": T, "N": N, "lengths": lengths,
         "x": flat(x), "h0": flat(h0) if init else None, "c0": flat(c0) if c0 is not None else None,
         "params": {k: {"shape": list(v.shape), "data": flat(v)} for k, v in m.state_dict().items()},
         "out": flat(out), "hN": flat(hN), "cN": flat(cN) if cN is not None else None,
         "g_out": flat(g_out), "g_hN": flat(g_h), "g_cN": flat(g_c) if g_c is not None else None,
         "grad_x": flat(x.grad), "grad_h0": flat(h0.grad) if init else None,
         "grad_c0": flat(c0.grad) if c0 is not None else None,
         "grad_params": {k: flat(p.grad) for k, p in m.named_parameters()}}
    return c


def cell_case(name, kind, I, H, N):
    m = getattr(nn, kind + "Cell")(I, H)
    x = torch.randn(N, I, requires_grad=True)
    h = torch.randn(N, H, requires_grad=True)
    c = torch.randn(N, H, requires_grad=True) if kind == "LSTM" else None
    res = m(x, (h, c)) if kind == "LSTM" else m(x, h)
    h1, c1 = res if kind == "LSTM" else (res, None)
    g_h = torch.randn(h1.shape)
    loss = (h1 * g_h).sum()
    g_c = None
    if c1 is not None:
        g_c = torch.randn(c1.shape)
        loss = loss + (c1 * g_c).sum()
    loss.backward()
    return {"name": name, "kind": kind, "cell": True, "input_size": I, "hidden": H, "N": N, "T": 1,
            "x": flat(x), "h0": flat(h), "c0": flat(c) if c is not None else None,
            "params": {k: {"shape": list(v.shape), "data": flat(v)} for k, v in m.state_dict().items()},
            "hN": flat(h1), "cN": flat(c1) if c1 is not None else None,
            "g_hN": flat(g_h), "g_cN": flat(g_c) if g_c is not None else None,
            "grad_x": flat(x.grad), "grad_h0": flat(h.grad), "grad_c0": flat(c.grad) if c is not None else None,
            "grad_params": {k: flat(p.grad) for k, p in m.named_parameters()}}


cases = []
for kind in ["RNN", "LSTM", "GRU"]:
    cases.append(layer_case(kind + " 1 layer", kind, 3, 4, 1, False, 5, 2))
    cases.append(layer_case(kind + " 2 layers bidirectional", kind, 3, 4, 2, True, 4, 3))
    cases.append(layer_case(kind + " 2 layers bidirectional variable length", kind, 3, 4, 2, True, 5, 3, lengths=[5, 2, 3]))
    cases.append(layer_case(kind + " batch first variable length no h0", kind, 2, 3, 1, False, 4, 3, lengths=[1, 4, 3],
                            batch_first=True, init=False))
    cases.append(cell_case(kind + "Cell", kind, 3, 4, 2))
cases.append(layer_case("RNN relu 2 layers", "RNN", 3, 4, 2, False, 4, 2, nonlinearity="relu"))

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "safetensors", "testdata"))
from gen import encode  # noqa: E402

lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True).float()
xs = torch.randn(5, 2, 3, dtype=torch.float32)
with torch.no_grad():
    o, (h, c) = lstm(xs)
with open(os.path.join(HERE, "rnn_lstm_torch.safetensors"), "wb") as f:
    f.write(encode({k: v.detach().clone() for k, v in lstm.state_dict().items()}, {"source": "duboko nn/testdata/gen_rnn.py"}))
st = {"x": flat(xs), "out": flat(o), "hN": flat(h), "cN": flat(c), "keys": list(lstm.state_dict().keys())}

with open(os.path.join(HERE, "rnn_torch.json"), "w") as f:
    json.dump({"generator": "nn/testdata/gen_rnn.py", "torch": torch.__version__, "cases": cases, "safetensors": st}, f)
