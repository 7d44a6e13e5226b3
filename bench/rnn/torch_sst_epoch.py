#!/usr/bin/python3
"""Time of one SST training epoch in PyTorch with the recipe of
`duboko train --task sst` (cmd/duboko/sstjob.go, models/sst.go): vocabulary
of the training sentences (<PAD>=0, <UNK>=1, then by frequency), embeddings
of 300 learnt from scratch (padding row 0), a 2-layer GRU or LSTM of hidden
150 over the packed sentences, the top layer's last state -> FC 150 -> ReLU
-> FC 1, BCE with logits, Adam 1e-4, batch 10, gradient norm clipped to
0.25; then one pass over the validation and test sets without gradients.

Run: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
     /usr/bin/python3 bench/rnn/torch_sst_epoch.py [threads [model [max-train]]]
Prints the training epoch's wall and CPU seconds (time.process_time: all
threads) and the CPU seconds of training plus evaluation. For speed only:
bench/sst holds the accuracy recipe.
"""
import collections
import random
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
kind = sys.argv[2] if len(sys.argv) > 2 else "gru"
max_train = int(sys.argv[3]) if len(sys.argv) > 3 else 0
torch.set_num_threads(threads)
torch.manual_seed(1)
random.seed(1)


def load(name):
    sents, labels = [], []
    with open(f"data/sst/files/sst_{name}_raw.csv", encoding="utf-8") as f:
        for line in f.read().lstrip("\ufeff").rstrip("\n").split("\n"):
            line = line.rstrip("\r")
            i = line.rfind(",")
            sents.append(line[:i].split())
            labels.append(1.0 if line[i + 1:].strip() == "positive" else 0.0)
    return sents, labels


train, valid, test = load("train"), load("valid"), load("test")
if max_train:
    train = (train[0][:max_train], train[1][:max_train])
count = collections.Counter(t for s in train[0] for t in s)
order = sorted(dict.fromkeys(t for s in train[0] for t in s), key=lambda t: -count[t])
vocab = {t: i + 2 for i, t in enumerate(order)}


def batches(data, shuffle):
    idx = list(range(len(data[0])))
    if shuffle:
        random.shuffle(idx)
    for b in range(0, len(idx), 10):
        part = idx[b:b + 10]
        ids = [[vocab.get(t, 1) for t in data[0][i]] for i in part]
        lens = torch.tensor([len(s) for s in ids])
        x = torch.zeros(len(ids), int(lens.max()), dtype=torch.long)
        for j, s in enumerate(ids):
            x[j, :len(s)] = torch.tensor(s)
        yield x, lens, torch.tensor([data[1][i] for i in part])


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(len(vocab) + 2, 300, padding_idx=0)
        rnn = torch.nn.GRU if kind == "gru" else torch.nn.LSTM
        self.rnn = rnn(300, 150, num_layers=2, batch_first=True)
        self.fc1 = torch.nn.Linear(150, 150)
        self.fc2 = torch.nn.Linear(150, 1)

    def forward(self, x, lens):
        packed = torch.nn.utils.rnn.pack_padded_sequence(self.emb(x), lens, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        if kind == "lstm":
            h = h[0]
        return self.fc2(torch.relu(self.fc1(h[-1]))).squeeze(1)


m = Model()
opt = torch.optim.Adam(m.parameters(), lr=1e-4)
loss_fn = torch.nn.BCEWithLogitsLoss()
t0, c0 = time.perf_counter(), time.process_time()
for x, lens, y in batches(train, True):
    opt.zero_grad()
    loss = loss_fn(m(x, lens), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(m.parameters(), 0.25)
    opt.step()
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
with torch.no_grad():
    for data in (valid, test):
        for x, lens, y in batches(data, False):
            loss_fn(m(x, lens), y)
print(f"torch {kind} train epoch of {len(train[0])} sentences: wall {wall:.2f} s, cpu {cpu:.2f} s; "
      f"cpu with evaluation {time.process_time() - c0:.2f} s")
