"""Writes the PyTorch → duboko fixture of a recurrent model: the lab's SST
GRU classifier (embedding with padding row 0 → 2-layer GRU, hidden 150,
batch first → the top layer's final state → FC 150 → ReLU → FC 1) built in
PyTorch with PyTorch's initialisation, its state dict saved with torch.save
and converted by torch_to_safetensors.py (the committed converter, run as a
program), and PyTorch's logits for a padded batch of token ids, over whole
rows and with each sentence's length (pack_padded_sequence).

  /usr/bin/python3 bench/interop/torch_sst_fixture.py   # from the repository root

Writes bench/interop/testdata/torch_sst_gru.{safetensors,json}; the Go test
TestLoadPyTorchSSTGRU loads them with nn.Load into models.NewSST("gru", ...).
"""
import json
import os
import subprocess
import sys
import tempfile

import torch

VOCAB, DIM, HIDDEN = 40, 12, 150  # HIDDEN is models.SSTHidden


class SSTGRU(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(VOCAB, DIM, padding_idx=0)
        self.rnn = torch.nn.GRU(DIM, HIDDEN, num_layers=2, batch_first=True)
        self.fc1 = torch.nn.Linear(HIDDEN, HIDDEN)
        self.fc2 = torch.nn.Linear(HIDDEN, 1)

    def forward(self, ids, lengths=None):
        x = self.embedding(ids)
        if lengths is not None:
            x = torch.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(x)
        return self.fc2(torch.relu(self.fc1(h[-1]))).squeeze(1)


def main():
    torch.manual_seed(15)
    here = os.path.dirname(os.path.abspath(__file__))
    m = SSTGRU().eval()
    lengths = torch.tensor([6, 3, 1, 5])
    ids = torch.randint(1, VOCAB, (4, 6))
    for i, n in enumerate(lengths):
        ids[i, n:] = 0  # padding
    with torch.no_grad():
        full = m(ids)
        packed = m(ids, lengths)
    with tempfile.TemporaryDirectory() as d:
        pt = os.path.join(d, "sst_gru.pt")
        torch.save(m.state_dict(), pt)
        subprocess.run([sys.executable, os.path.join(here, "torch_to_safetensors.py"), pt,
                        os.path.join(here, "testdata", "torch_sst_gru.safetensors")], check=True)
    fix = {"vocab": VOCAB, "dim": DIM, "ids_shape": list(ids.shape), "ids": ids.flatten().tolist(),
           "lengths": lengths.tolist(), "logits": full.tolist(), "logits_lengths": packed.tolist(),
           "torch": torch.__version__}
    with open(os.path.join(here, "testdata", "torch_sst_gru.json"), "w") as f:
        json.dump(fix, f, indent=1)
        f.write("\n")
    print("logits", full.tolist(), "with lengths", packed.tolist())


if __name__ == "__main__":
    main()
