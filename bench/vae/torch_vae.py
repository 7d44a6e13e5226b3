"""PyTorch twin of 'duboko train --task vae' for the quality comparison of issue 12.

The same recipe: the lab's MLP VAE 784-200-200-20 with softplus, a Bernoulli
decoder on logits with the grey levels in [0, 1] as targets, the
reparameterisation trick, the closed-form KL, Adam 3.24e-4, batch 100, the
first 55,000 training images (the last 5,000 are duboko's validation set),
shuffled every epoch; the test ELBO with one sample of z per image, in nats.
It reads the MNIST files embedded in duboko (data/mnist/files). Run:
  OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/vae/torch_vae.py --epochs 5 --seed 1
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

FILES = os.path.join(os.path.dirname(__file__), "..", "..", "data", "mnist", "files")


def idx_images(name):
    with gzip.open(os.path.join(FILES, name)) as f:
        _, n, h, w = struct.unpack(">IIII", f.read(16))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, h * w).astype(np.float32) / 255.0


class VAE(nn.Module):
    def __init__(self, latent=20, hidden=200):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(784, hidden), nn.Softplus(), nn.Linear(hidden, hidden), nn.Softplus())
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.dec = nn.Sequential(nn.Linear(latent, hidden), nn.Softplus(), nn.Linear(hidden, hidden), nn.Softplus(),
                                 nn.Linear(hidden, 784))

    def loss(self, x):
        h = self.enc(x)
        mu, lv = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        s = self.dec(z)
        n = x.shape[0]
        recon = F.binary_cross_entropy_with_logits(s, x, reduction="sum") / n
        kl = -0.5 * torch.sum(1 + lv - mu * mu - torch.exp(lv)) / n
        return recon + kl, recon, kl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    train = torch.from_numpy(idx_images("train-images-idx3-ubyte.gz")[:55000])
    test = torch.from_numpy(idx_images("t10k-images-idx3-ubyte.gz"))
    m = VAE()
    opt = torch.optim.Adam(m.parameters(), lr=3.24e-4)
    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(train.shape[0])
        tot = 0.0
        for i in range(0, train.shape[0], 100):
            x = train[perm[i:i + 100]]
            loss, _, _ = m.loss(x)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * x.shape[0]
        secs = time.perf_counter() - t0
        print(f"epoch {epoch}  train -elbo {tot / train.shape[0]:.4f}  ({secs:.1f}s)", flush=True)
    with torch.no_grad():
        sums = np.zeros(3)
        for i in range(0, test.shape[0], 100):
            x = test[i:i + 100]
            sums += np.array([v.item() for v in m.loss(x)]) * x.shape[0]
        l, r, k = sums / test.shape[0]
    print(f"test ELBO: {-l:.2f} nats per image (reconstruction {r:.2f}, KL {k:.2f})")


if __name__ == "__main__":
    main()
