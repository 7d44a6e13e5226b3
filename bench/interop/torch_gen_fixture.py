"""Writes the PyTorch → duboko fixture of the generative models, built from
their PyTorch twins' own definitions (imported, not copied):

  - the DCGAN generator of bench/dcgan/torch_dcgan.py at 28×28, latent 8,
    width 4 (ConvT 8→8, 7 → BN → ReLU → ConvT 8→4, 4, s2, p1 → BN → ReLU →
    ConvT 4→1, 4, s2, p1 → tanh), initialised as the twin does, then given
    non-trivial BatchNorm parameters (γ, β drawn away from 1 and 0) and
    running statistics (three forwards in training mode), and run in
    evaluation mode on a fixed z;
  - the lab's VAE of bench/vae/torch_vae.py (784-200-200, latent 20,
    PyTorch's initialisation; its Sequentials' layers named as duboko's
    models.VAE names them, see NamedVAE) on a fixed x: the encoder's μ and log σ², the
    decoder's logits for a fixed z, and the reconstruction (logits at z = μ).
    Only the deterministic parts: no sampling.

Each state dict is saved with torch.save and converted by
torch_to_safetensors.py (the committed converter, run as a program); the
inputs and PyTorch's outputs go into one more safetensors file, written by
the converter's own write_safetensors.

  /usr/bin/python3 bench/interop/torch_gen_fixture.py   # from the repository root

Writes bench/interop/testdata/torch_dcgan_g.safetensors, torch_vae.safetensors
and torch_gen_io.safetensors; the Go test TestLoadPyTorchGenerative loads the
weights with nn.Load into generative.NewDCGANGenerator and models.NewVAE and
compares.
"""
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

import torch

sys.dont_write_bytecode = True  # no __pycache__ beside the twins
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(HERE, "..", "dcgan"), os.path.join(HERE, "..", "vae")]
import torch_dcgan  # noqa: E402  (the twins, imported for their classes)
import torch_vae  # noqa: E402
from torch_to_safetensors import write_safetensors  # noqa: E402

SIZE, DCGAN_LATENT, WIDTH = 28, 8, 4
VAE_LATENT = 20  # the lab's; the fixture's size is the 784-200 layers' anyway
BATCH = 3


def convert(model, name):
    """Saves model's state dict with torch.save and converts it with the
    committed converter, as a user would."""
    with tempfile.TemporaryDirectory() as d:
        pt = os.path.join(d, name + ".pt")
        torch.save(model.state_dict(), pt)
        subprocess.run([sys.executable, os.path.join(HERE, "torch_to_safetensors.py"), pt,
                        os.path.join(HERE, "testdata", name + ".safetensors")], check=True)


def dcgan(io):
    g = torch_dcgan.generator(SIZE, DCGAN_LATENT, WIDTH)
    torch_dcgan.init(g)
    bns = [l for l in g.modules() if isinstance(l, torch.nn.BatchNorm2d)]
    with torch.no_grad():
        for bn in bns:  # γ and β away from the init's 1 and 0, so that loading them matters
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
        # Running statistics of real activations (the init's N(0, 0.02)
        # weights make them far from 0 and 1's defaults): three training-mode
        # forwards, averaged (momentum None) so that the eval-mode output
        # depends on them fully; num_batches_tracked becomes 3.
        for bn in bns:
            bn.momentum = None
        g.train()
        for _ in range(3):
            g(torch.randn(16, DCGAN_LATENT) * 2 + 0.5)
    g.eval()
    z = torch.randn(BATCH, DCGAN_LATENT)
    with torch.no_grad():
        out = g(z)
    convert(g, "torch_dcgan_g")
    io["dcgan.z"], io["dcgan.out"] = z, out
    print("dcgan: out", list(out.shape), "range", out.min().item(), out.max().item())
    for bn in bns:
        print("  running mean", bn.running_mean.tolist(), "var", bn.running_var.tolist())


class NamedVAE(torch_vae.VAE):
    """The twin's VAE (same layers, same initialisation, same loss) with
    duboko's parameter names: the twin's Sequentials are unnamed, so its
    state dict says enc.0.weight where models.VAE says enc.fc1.weight. The
    layers are the twin's own objects, only named."""

    def __init__(self, latent):
        super().__init__(latent=latent)
        e, d = self.enc, self.dec
        self.enc = torch.nn.Sequential(OrderedDict(fc1=e[0], sp1=e[1], fc2=e[2], sp2=e[3]))
        self.dec = torch.nn.Sequential(OrderedDict(fc1=d[0], sp1=d[1], fc2=d[2], sp2=d[3], logits=d[4]))


def vae(io):
    m = NamedVAE(VAE_LATENT).eval()
    x = torch.rand(BATCH, 784)
    z = torch.randn(BATCH, VAE_LATENT)
    with torch.no_grad():
        h = m.enc(x)
        mu, logvar = m.mu(h), m.logvar(h)
        dec = m.dec(z)
        recon = m.dec(mu)
    convert(m, "torch_vae")
    io.update({"vae.x": x, "vae.mu": mu, "vae.logvar": logvar, "vae.z": z, "vae.dec": dec, "vae.recon": recon})
    print("vae: mu[0]", mu[0].tolist())


def main():
    torch.manual_seed(15)
    io = {}
    dcgan(io)
    vae(io)
    write_safetensors(os.path.join(HERE, "testdata", "torch_gen_io.safetensors"), io, {
        "torch": torch.__version__, "dcgan.size": SIZE, "dcgan.latent": DCGAN_LATENT, "dcgan.width": WIDTH,
        "vae.latent": VAE_LATENT})


if __name__ == "__main__":
    main()
