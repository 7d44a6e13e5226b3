#!/usr/bin/env python3
"""Controlled comparison of `duboko train --task sst` with its PyTorch twin (bench/sst/torch_sst.py).

bench/sst/steps (Go) writes the initial weights, each epoch's batch order and duboko's loss and
gradient norm at every step into DIR; this script trains torch_sst.py's model from the same
weights on the same batches, with the same loss, Adam, clipping, and prints, step by step, both
losses and gradient norms, and the largest difference of every parameter after the steps duboko
saved (DIR/duboko-stepK.safetensors). With --save-init FILE it writes its own initialisation
(torch.manual_seed(--seed), as torch_sst.py draws it) for `steps -init FILE`, the reverse check.

With --save-order FILE it writes the batch order torch_sst.py draws for --seed, for `steps -order FILE`.

Usage: python3 bench/sst/torch_steps.py --dir DIR [--model gru] [--steps 100] [--eval] [--threads 1]
       python3 bench/sst/torch_steps.py --save-init FILE --model gru --seed 1
       python3 bench/sst/torch_steps.py --save-order FILE --seed 1 [--epochs 2]
(The safetensors files are read and written here directly: Debian's python3-safetensors lacks
its torch module.)
"""
import argparse
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_sst as ts  # noqa: E402

DT = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        b = f.read()
    n = struct.unpack("<Q", b[:8])[0]
    head = json.loads(b[8:8 + n])
    out = {}
    for name, info in head.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        raw = bytearray(b[8 + n + lo:8 + n + hi])
        out[name] = torch.frombuffer(raw, dtype=DT[info["dtype"]]).reshape(info["shape"]).clone()
    return out


def write_safetensors(path, tensors):
    head, blobs, off = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().to(torch.float32)
        raw = t.numpy().tobytes()
        head[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(head).encode()
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(path + ".tmp", path)


def build(model, vocab):
    return ts.Baseline(vocab) if model == "baseline" else ts.Recurrent(model, vocab)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--dir", default="")
    p.add_argument("--model", default="gru", choices=["baseline", "rnn", "gru", "lstm"])
    p.add_argument("--steps", type=int, default=100, help="steps to train (0: all epochs in order.json)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--eval", action="store_true", help="validation and test accuracy at the end")
    p.add_argument("--save-init", default="", help="write torch_sst.py's initialisation for --seed to this file and stop")
    p.add_argument("--save-order", default="", help="write torch_sst.py's batch order for --seed and --epochs to this file (order.json's format) and stop")
    p.add_argument("--epochs", type=int, default=2, help="with --save-order: the number of epochs")
    p.add_argument("--separate-generator", action="store_true",
                   help="with --save-order: the order of torch_sst.py's first version (a generator of its own seeded with --seed)")
    p.add_argument("--double", action="store_true", help="train in float64 (rounding's share of a divergence)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    tr, va, te = (ts.read_split(os.path.join(ts.DATA, f"sst_{s}_raw.csv")) for s in ("train", "valid", "test"))
    tokens = ts.build_vocab(tr[0])
    if a.save_init:
        torch.manual_seed(a.seed)
        write_safetensors(a.save_init, build(a.model, len(tokens)).state_dict())
        return
    if a.save_order:
        if a.separate_generator:  # torch_sst.py before 2026-11-27 19:00: its own generator seeded with --seed
            gen = torch.Generator().manual_seed(a.seed)
            orders = [torch.randperm(len(tr[0]), generator=gen).tolist() for _ in range(a.epochs)]
        else:  # torch_sst.py's (the lab's DataLoader's) shuffle, drawn after the initialisation
            torch.manual_seed(a.seed)
            build(a.model, len(tokens))
            orders = [ts.epoch_order(len(tr[0])) for _ in range(a.epochs)]
        json.dump({"vocab": ts.fingerprint(tokens), "batch": 10, "epochs": orders}, open(a.save_order, "w"))
        return
    order = json.load(open(os.path.join(a.dir, "order.json")))
    if order["vocab"] != ts.fingerprint(tokens):
        sys.exit("vocabulary differs from duboko's")
    index = {t: i for i, t in enumerate(tokens)}
    enc = lambda sents: [[index.get(t, 1) for t in s] for s in sents]
    tr_ids, va_ids, te_ids = enc(tr[0]), enc(va[0]), enc(te[0])

    model = build(a.model, len(tokens))
    model.load_state_dict(read_safetensors(os.path.join(a.dir, "init.safetensors")))
    if a.double:
        model.double()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.BCEWithLogitsLoss()
    dub = json.load(open(os.path.join(a.dir, "duboko.json")))
    losses, norms = [], []
    step, t0 = 0, time.perf_counter()
    for ep in order["epochs"]:
        for x, lens, y in ts.batches(tr_ids, tr[1], ep, order["batch"]):
            if a.steps and step == a.steps:
                break
            step += 1
            if a.double:
                y = y.double()
            loss = loss_fn(model(x, lens), y)
            opt.zero_grad()
            loss.backward()
            norms.append(float(torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)))
            opt.step()
            losses.append(loss.item())
            k = step
            f = os.path.join(a.dir, f"duboko-step{k}.safetensors")
            if os.path.exists(f):
                d = read_safetensors(f)
                diffs = {n: float((t.detach().float() - d[n]).abs().max()) for n, t in model.state_dict().items()}
                worst = max(diffs, key=diffs.get)
                print(f"after step {k}: largest |torch - duboko| parameter difference {diffs[worst]:.3g} ({worst}); "
                      + ", ".join(f"{n} {v:.2g}" for n, v in diffs.items()), flush=True)
    print(f"{step} steps in {time.perf_counter() - t0:.1f}s")
    n = min(len(losses), len(dub["loss"]))
    print("step   loss torch  loss duboko   |diff|     norm torch  norm duboko")
    for k in sorted(set([1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 1384, n]) & set(range(1, n + 1))):
        i = k - 1
        print(f"{k:5d}  {losses[i]:.6f}    {dub['loss'][i]:.6f}    {abs(losses[i] - dub['loss'][i]):.2e}   "
              f"{norms[i]:.5f}    {dub['grad_norm'][i]:.5f}")
    out = {"loss": losses, "grad_norm": norms}
    if a.eval:
        model.float()
        out["val_accuracy"], out["test_accuracy"] = ts.evaluate(model, va_ids, va[1]), ts.evaluate(model, te_ids, te[1])
        print(f"torch after {step} steps: val acc {100 * out['val_accuracy']:.2f}%, test acc {100 * out['test_accuracy']:.2f}%"
              + (f"  (duboko: val {100 * dub['val_accuracy']:.2f}%, test {100 * dub['test_accuracy']:.2f}%)" if "test_accuracy" in dub else ""))
    json.dump(out, open(os.path.join(a.dir, "torch.json"), "w"))


if __name__ == "__main__":
    main()
