#!/usr/bin/env python3
"""PyTorch twin of duboko's DCGAN (generative/dcgan.go, `duboko train --task dcgan`).

Same layouts, initialisation (N(0, 0.02) convolutions, BatchNorm γ N(1, 0.02), β 0), data scaling
([0,1] → [−1,1]; 32×32: MNIST padded by 2; 64×64: bilinear, align_corners=False), Adam(2e-4, β=(0.5, 0.999)), batch 64, and
the same step as generative.GANStep: D on real x and a detached G(z) (BCE on sigmoid outputs),
then G on D(G(z)) with the non-saturating loss (a second forward of G with the same z).
The recipe's options match duboko's flags: --ema (an average of G's weights and BatchNorm buffers,
shadow.lerp_(G, 1 - decay) after every G step, which draws the samples), --real-label (D's target
on real images), --lr-decay (the last N epochs' rate falls linearly step by step), --g-width and
--g-extra (the generator's own width and extra ConvT(2w, 2w, 3, 1, 1) blocks at 7x7).

  --time            time training steps at batch 64 (no data), print ms/step
  --train           train on MNIST (IDX files from --data, default duboko's embedded copy) for --epochs;
                    after each epoch write 10,000 images of G in eval mode to --samples-epochN.safetensors
                    (one float32 tensor "samples" [N, 784] in [0, 1], as `duboko score` reads it)

Speed comparisons: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp, --threads 2.
"""
import argparse, copy, gzip, os, struct, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def generator(size, nz, w, extra=0):
    def block(i, o, k, s, p):
        return [nn.ConvTranspose2d(i, o, k, s, p, bias=False), nn.BatchNorm2d(o), nn.ReLU(True)]
    if size == 28:
        layers = block(nz, 2 * w, 7, 1, 0)
        for _ in range(extra):
            layers += block(2 * w, 2 * w, 3, 1, 1)
        layers += block(2 * w, w, 4, 2, 1)
    else:  # 32: 4w 4x4 -> 2w -> w -> 1; 64: 8w 4x4 -> 4w -> 2w -> w -> 1
        top = size // 8
        layers = block(nz, top * w, 4, 1, 0)
        m = top
        while m > 1:
            layers += block(m * w, m // 2 * w, 4, 2, 1)
            m //= 2
    layers += [nn.ConvTranspose2d(w, 1, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(nn.Unflatten(1, (nz, 1, 1)), *layers)


def discriminator(size, w, extra=0):
    def conv(i, o, bn):
        return [nn.Conv2d(i, o, 4, 2, 1, bias=False)] + ([nn.BatchNorm2d(o)] if bn else []) + [nn.LeakyReLU(0.2, True)]
    if size == 28:
        layers = conv(1, w, False) + conv(w, 2 * w, True)
        for _ in range(extra):
            layers += [nn.Conv2d(2 * w, 2 * w, 3, 1, 1, bias=False), nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True)]
        layers += [nn.Conv2d(2 * w, 1, 7, 1, 0, bias=False)]
    else:
        top = size // 8
        layers = conv(1, w, False)
        m = 1
        while m < top:
            layers += conv(m * w, 2 * m * w, True)
            m *= 2
        layers += [nn.Conv2d(top * w, 1, 4, 1, 0, bias=False)]
    return nn.Sequential(*layers, nn.Flatten(), nn.Sigmoid())


def init(m):
    for l in m.modules():
        if isinstance(l, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(l.weight, 0.0, 0.02)
        elif isinstance(l, nn.BatchNorm2d):
            nn.init.normal_(l.weight, 1.0, 0.02)
            nn.init.zeros_(l.bias)


class DCGAN:
    def __init__(self, size, nz, w, lr, gw=0, extra=0, ema=0.0, real_label=1.0, d_extra=0):
        self.nz = nz
        self.G, self.D = generator(size, nz, gw or w, extra), discriminator(size, w, d_extra)
        init(self.G)
        init(self.D)
        self.optG = torch.optim.Adam(self.G.parameters(), lr=lr, betas=(0.5, 0.999))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=lr, betas=(0.5, 0.999))
        self.bce = nn.BCELoss()
        self.real_label = real_label
        self.ema_decay = ema
        self.ema = None
        if ema > 0:
            self.ema = copy.deepcopy(self.G)
            self.ema.requires_grad_(False)

    def set_lr(self, lr):
        for o in (self.optG, self.optD):
            for g in o.param_groups:
                g["lr"] = lr

    def update_ema(self):
        """shadow <- shadow + (1 - decay) (G - shadow) for every float parameter and buffer; ints copied."""
        with torch.no_grad():
            for s, p in zip(self.ema.state_dict().values(), self.G.state_dict().values()):
                if s.dtype.is_floating_point:
                    s.lerp_(p, 1 - self.ema_decay)
                else:
                    s.copy_(p)

    def sampler(self):
        """G, or with --ema a copy of the average with standing BatchNorm statistics (duboko's
        generative.StandingStats: the mean of 10 batches' statistics of 500 z each, G in training mode)."""
        if self.ema is None:
            return self.G
        g = copy.deepcopy(self.ema)
        bns = [l for l in g.modules() if isinstance(l, nn.BatchNorm2d)]
        for b in bns:
            b.reset_running_stats()
            b.momentum = None  # cumulative average of the batches' statistics
        g.train()
        zg = torch.Generator().manual_seed(12345)
        with torch.no_grad():
            for _ in range(10):
                g(torch.randn(500, self.nz, generator=zg))
        for b in bns:
            b.momentum = 0.1
        return g

    def step(self, x, z):
        fake = self.G(z).detach()
        pr, pf = self.D(x), self.D(fake)
        lossD = self.bce(pr, torch.full_like(pr, self.real_label)) + self.bce(pf, torch.zeros_like(pf))
        self.optD.zero_grad()
        lossD.backward()
        self.optD.step()
        pg = self.D(self.G(z))
        lossG = self.bce(pg, torch.ones_like(pg))
        self.optG.zero_grad()
        lossG.backward()
        self.optG.step()
        if self.ema is not None:
            self.update_ema()
        return lossD.item(), lossG.item(), pr.mean().item(), pf.mean().item()


def read_idx(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        b = f.read()
    ndim = b[3]
    shape = struct.unpack(">" + "I" * ndim, b[4:4 + 4 * ndim])
    return np.frombuffer(b, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def find(dirname, stem):
    for n in (stem, stem + ".gz"):
        p = os.path.join(dirname, n)
        if os.path.exists(p):
            return p
    sys.exit(f"no {stem}[.gz] in {dirname}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--time", action="store_true")
    ap.add_argument("--train", action="store_true")
    ap.add_argument("--size", type=int, default=32, help="image side: 28, 32 (duboko's default: MNIST padded by 2) or 64")
    ap.add_argument("--width", type=int, default=32)
    ap.add_argument("--g-width", type=int, default=0)
    ap.add_argument("--g-extra", type=int, default=None, help="extra 7x7 generator blocks (default: 1 at --size 28, as duboko's; 0 at 32 and 64)")
    ap.add_argument("--d-extra", type=int, default=0, help="extra 7x7 discriminator blocks Conv(2w, 2w, 3, 1, 1), BatchNorm, LeakyReLU (size 28 only)")
    ap.add_argument("--ema", type=float, default=0.0)
    ap.add_argument("--real-label", type=float, default=1.0)
    ap.add_argument("--lr-decay", type=int, default=0)
    ap.add_argument("--nz", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "mnist", "files"))
    ap.add_argument("--max-train", type=int, default=0, help="train on the first N training images (0: all 60,000)")
    ap.add_argument("--samples", default="torch_samples", help="prefix of the per-epoch samples files, PREFIX-epochN.safetensors")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    if a.g_extra is None:
        a.g_extra = 1 if a.size == 28 else 0
    m = DCGAN(a.size, a.nz, a.width, a.lr, a.g_width, a.g_extra, a.ema, a.real_label, a.d_extra)
    if a.time:
        x = torch.rand(a.batch, 1, a.size, a.size) * 2 - 1
        z = torch.randn(a.batch, a.nz)
        for _ in range(3):
            m.step(x, z)
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(a.steps):
            m.step(x, z)
        dt, dc = (time.perf_counter() - t0) / a.steps, (time.process_time() - c0) / a.steps
        print(f"torch {torch.__version__} threads {torch.get_num_threads()} size {a.size} width {a.width} batch {a.batch}: "
              f"{1000 * dt:.1f} ms/step, {1000 * dc:.1f} cpu-ms/step")
        return
    if not a.train:
        ap.error("give --time or --train")
    imgs = read_idx(find(a.data, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    if a.max_train:
        imgs = imgs[:a.max_train]
    x_all = torch.from_numpy(imgs).unsqueeze(1)
    if a.size == 32:
        x_all = F.pad(x_all, (2, 2, 2, 2))  # MNIST centred on a 32x32 background
    elif a.size != 28:
        x_all = F.interpolate(x_all, size=(a.size, a.size), mode="bilinear", align_corners=False)
    x_all = x_all * 2 - 1
    n = x_all.shape[0]
    g = torch.Generator().manual_seed(a.seed)
    steps_per_epoch = (n + a.batch - 1) // a.batch

    def lr_at(epoch, done):
        """duboko's lrTail: the rate of the step after `done` steps of epoch."""
        first = a.epochs - a.lr_decay + 1
        if a.lr_decay <= 0 or epoch < first:
            return a.lr
        tot = a.lr_decay * steps_per_epoch
        i = (epoch - first) * steps_per_epoch + min(done, steps_per_epoch)
        return a.lr * max(tot - i, 1) / tot

    for epoch in range(1, a.epochs + 1):
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=g)
        sums = np.zeros(4)
        steps = 0
        for i in range(0, n, a.batch):
            m.set_lr(lr_at(epoch, steps))
            x = x_all[perm[i:i + a.batch]]
            z = torch.randn(x.shape[0], a.nz, generator=g)
            sums += m.step(x, z)
            steps += 1
        s = sums / steps
        print(f"epoch {epoch}/{a.epochs}  loss_d {s[0]:.4f}  loss_g {s[1]:.4f}  D(x) {s[2]:.4f}  D(G(z)) {s[3]:.4f}  ({time.perf_counter() - t0:.1f}s)", flush=True)
        write_samples(m, a, f"{a.samples}-epoch{epoch}.safetensors")


def save_safetensors(path, name, x):
    """Writes the float32 array x as the one tensor of a safetensors file (atomically)."""
    import json
    x = np.ascontiguousarray(x, dtype="<f4")
    header = json.dumps({name: {"dtype": "F32", "shape": list(x.shape), "data_offsets": [0, x.nbytes]}}).encode()
    header += b" " * (-len(header) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(header)))
        f.write(header)
        f.write(x.tobytes())
    os.replace(tmp, path)


def write_samples(m, a, path):
    """Writes 10,000 samples of G (its weight average with --ema) in eval mode (z from seed+1000) to path as duboko score reads them:
    safetensors, one float32 tensor "samples" [N, 784] in [0, 1]."""
    G = m.sampler()
    G.eval()
    out = []
    with torch.no_grad():
        zg = torch.Generator().manual_seed(a.seed + 1000)
        for i in range(0, 10000, 500):
            y = G(torch.randn(500, a.nz, generator=zg))
            if a.size == 32:
                y = y[:, :, 2:30, 2:30]
            elif a.size != 28:
                y = F.interpolate(y, size=(28, 28), mode="area")
            out.append(((y.reshape(500, 784) + 1) / 2).clamp(0, 1))
    G.train()
    save_safetensors(path, "samples", np.concatenate([o.numpy() for o in out]))
    print(f"wrote {path}: 10000 samples [N, 784] float32 in [0, 1]", flush=True)

if __name__ == "__main__":
    main()
