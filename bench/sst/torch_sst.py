#!/usr/bin/env python3
"""PyTorch twin of `duboko train --task sst` (the course's lab 3), for accuracy parity.

Reads the same files duboko embeds (data/sst/files/sst_{train,valid,test}_raw.csv), parses them
as duboko's data/sst does (label after the last comma, tokens split on white space), and builds
the vocabulary as duboko's text.NewVocab does (<PAD>=0, <UNK>=1, then training tokens by
descending frequency, ties in order of first occurrence: Counter.most_common's order). It
prints the vocabulary's fingerprint, computed as text.Vocab.Fingerprint does (SHA-256 over each
token's length as a little-endian uint64 followed by its bytes), and with --vocab-fingerprint
it refuses to train unless that matches duboko's, so both frameworks see identical token ids.

The recipe is duboko's (models/sst.go, cmd/duboko/sstjob.go):
  embeddings 300 from N(0, 1), padding row 0 zero and without gradient, learnt from scratch;
  baseline: mean of the embeddings over each sentence's length -> FC 150 -> ReLU -> FC 150 -> ReLU -> FC 1;
  rnn/gru/lstm: 2-layer cell of hidden 150 (batch first), the top layer's state at each
  sentence's last word (pack_padded_sequence's h_n[-1]) -> FC 150 -> ReLU -> FC 1;
  BCE with logits (mean over the batch), Adam (default betas), gradient norm clipped to 0.25
  over all parameters, batch 10, training set shuffled each epoch (last smaller batch kept) as
  the lab's DataLoader(shuffle=True) does (from the global generator, after the initialisation;
  until 2026-11-27 19:00 a generator of its own seeded with --seed, whose draws were those of the
  initialisation), test accuracy of the model after the last epoch.

Prints one line per epoch and, last, one JSON line:
  {"framework": "torch", "model": ..., "seed": ..., "lr": ..., "epochs": ...,
   "test_accuracy": ..., "val_accuracy": [...], "epoch_seconds": [...]}

Usage: python3 bench/sst/torch_sst.py --model gru --epochs 3 --lr 1e-3 --seed 1 [--threads 1]
"""
import argparse
import collections
import hashlib
import json
import os
import struct
import sys
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data", "sst", "files")
PAD, UNK = "<PAD>", "<UNK>"
EMBED, HIDDEN, LAYERS = 300, 150, 2


def read_split(path):
    """Returns (sentences, labels) as duboko's sst.Parse reads them."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = text.removeprefix("\ufeff").removesuffix("\n")
    sents, labels = [], []
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        i = line.rfind(",")
        lab = line[i + 1:].strip(" \t") if i >= 0 else None
        if lab not in ("positive", "negative"):
            sys.exit(f"{path}:{n}: no label")
        toks = line[:i].split()
        if not toks:
            sys.exit(f"{path}:{n}: empty sentence")
        sents.append(toks)
        labels.append(1 if lab == "positive" else 0)
    return sents, labels


def build_vocab(sentences):
    """<PAD>, <UNK>, then tokens by descending frequency, ties by first occurrence."""
    count = collections.Counter(t for s in sentences for t in s if t not in (PAD, UNK))
    return [PAD, UNK] + [t for t, _ in count.most_common()]


def fingerprint(tokens):
    h = hashlib.sha256()
    for t in tokens:
        b = t.encode("utf-8")
        h.update(struct.pack("<Q", len(b)))
        h.update(b)
    return "sha256:" + h.hexdigest()


class Baseline(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, EMBED, padding_idx=0)
        self.fc1 = nn.Linear(EMBED, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, HIDDEN)
        self.fc3 = nn.Linear(HIDDEN, 1)

    def forward(self, ids, lengths):
        e = self.embedding(ids)  # [N, T, E], padding rows zero
        h = e.sum(1) / lengths.to(e.dtype).unsqueeze(1)
        h = torch.relu(self.fc1(h))
        h = torch.relu(self.fc2(h))
        return self.fc3(h).squeeze(1)


class Recurrent(nn.Module):
    def __init__(self, kind, vocab):
        super().__init__()
        self.kind = kind
        self.embedding = nn.Embedding(vocab, EMBED, padding_idx=0)
        cell = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind]
        self.rnn = cell(EMBED, HIDDEN, num_layers=LAYERS, batch_first=True)
        self.fc1 = nn.Linear(HIDDEN, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, 1)

    def forward(self, ids, lengths):
        # The top layer's output at each sentence's last word: for a one-way
        # cell it is exactly pack_padded_sequence's h_n[-1], with the same
        # gradients (the steps past a sentence's end come later and reach
        # neither it nor the loss; checked to 2e-7), and it costs the same
        # here (about 40 ms of CPU per GRU batch either way, one thread).
        out, _ = self.rnn(self.embedding(ids))  # [N, T, H]
        h = out[torch.arange(len(lengths)), lengths - 1]
        h = torch.relu(self.fc1(h))
        return self.fc2(h).squeeze(1)


def batches(ids, labels, order, size):
    for k in range(0, len(order), size):
        idx = order[k:k + size]
        lens = [len(ids[i]) for i in idx]
        x = torch.zeros(len(idx), max(lens), dtype=torch.long)
        for r, i in enumerate(idx):
            x[r, :lens[r]] = torch.tensor(ids[i])
        yield x, torch.tensor(lens), torch.tensor([float(labels[i]) for i in idx])


def epoch_order(n):
    """One epoch's sample order as the lab's DataLoader(shuffle=True) draws it (RandomSampler
    without a generator): a seed from the global generator, then randperm with a generator seeded
    by it. The global generator has drawn the initial weights first, as in the lab."""
    seed = int(torch.empty((), dtype=torch.int64).random_().item())
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()


def evaluate(model, ids, labels):
    model.eval()
    correct = n = 0
    with torch.no_grad():
        for x, lens, y in batches(ids, labels, list(range(len(ids))), 100):
            correct += ((model(x, lens) > 0).float() == y).sum().item()
            n += len(y)
    model.train()
    return correct / n


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="gru", choices=["baseline", "rnn", "gru", "lstm"])
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--clip", type=float, default=0.25)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--test-each-epoch", action="store_true",
                   help="also measure test accuracy after every epoch (for choosing the recipe from validation only)")
    p.add_argument("--max-train", type=int, default=0, help="train on only the first N training sentences (0: all), as duboko's flag")
    p.add_argument("--data", default=DATA, help="folder of sst_{train,valid,test}_raw.csv")
    p.add_argument("--vocab-fingerprint", default="", help="duboko's vocabulary fingerprint: refuse to train on another")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    tr, va, te = (read_split(os.path.join(a.data, f"sst_{s}_raw.csv")) for s in ("train", "valid", "test"))
    if a.max_train > 0:
        tr = (tr[0][:a.max_train], tr[1][:a.max_train])
    tokens = build_vocab(tr[0])
    fp = fingerprint(tokens)
    print(f"vocabulary of {len(tokens)} tokens, {fp}", flush=True)
    if a.vocab_fingerprint and a.vocab_fingerprint != fp:
        sys.exit(f"vocabulary differs from duboko's ({a.vocab_fingerprint})")
    index = {t: i for i, t in enumerate(tokens)}
    enc = lambda sents: [[index.get(t, 1) for t in s] for s in sents]
    tr_ids, va_ids, te_ids = enc(tr[0]), enc(va[0]), enc(te[0])

    model = Baseline(len(tokens)) if a.model == "baseline" else Recurrent(a.model, len(tokens))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.BCEWithLogitsLoss()
    val_acc, test_acc, secs = [], [], []
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        order = epoch_order(len(tr_ids))
        total = correct = 0.0
        for x, lens, y in batches(tr_ids, tr[1], order, a.batch):
            logits = model(x, lens)
            loss = loss_fn(logits, y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            total += loss.item() * len(y)
            correct += ((logits > 0).float() == y).sum().item()
        secs.append(time.perf_counter() - t0)
        val_acc.append(evaluate(model, va_ids, va[1]))
        if a.test_each_epoch:
            test_acc.append(evaluate(model, te_ids, te[1]))
        print(f"epoch {epoch}/{a.epochs}  loss {total / len(tr_ids):.4f}  acc {100 * correct / len(tr_ids):.2f}%  "
              f"val acc {100 * val_acc[-1]:.2f}%" + (f"  test acc {100 * test_acc[-1]:.2f}%" if test_acc else "") +
              f"  {secs[-1]:.1f}s", flush=True)
    test = test_acc[-1] if a.test_each_epoch else evaluate(model, te_ids, te[1])
    print(json.dumps({"framework": "torch", "model": a.model, "seed": a.seed, "lr": a.lr, "epochs": a.epochs,
                      "test_accuracy": test, "val_accuracy": val_acc, "test_accuracy_by_epoch": test_acc, "epoch_seconds": secs,
                      "vocab": fp, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
