#!/usr/bin/python3
"""Generate generative_torch.json: PyTorch reference values for the VAE pieces.

Run from this folder with /usr/bin/python3 (torch 1.13, no network):

    /usr/bin/python3 gen_generative.py

GaussianKL: the KL term of PyTorch's VAE example,
    -0.5 * sum(1 + logvar - mu^2 - exp(logvar)) / N,
its value and the gradients of mu and logvar by autograd (through the
elementary ops, not a closed form). Softplus: torch.nn.Softplus(beta=1,
threshold=1000) and its input gradient, over moderate and large inputs:
duboko's Softplus is exact everywhere, while PyTorch's default threshold 20
returns x itself above 20 (off by less than e^-20, about 2e-9), so the
threshold is raised beyond every input here.
Inputs and upstream gradients are float32 values written exactly; the
results are computed in float64 from them.
"""

import json

import torch

gen = torch.Generator().manual_seed(20261127)


def randn(*shape, scale=1.0):
    return (torch.randn(tuple(shape), generator=gen) * scale).float()


def tensor_json(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.double().reshape(-1).tolist()]}


cases = []


def kl_case(name, mu, logvar):
    m, lv = mu.double().requires_grad_(True), logvar.double().requires_grad_(True)
    kl = -0.5 * torch.sum(1 + lv - m.pow(2) - lv.exp()) / m.shape[0]
    kl.backward()
    cases.append({"name": name, "op": "GaussianKL", "inputs": [tensor_json(mu), tensor_json(logvar)],
                  "output": tensor_json(kl), "grads": [tensor_json(m.grad), tensor_json(lv.grad)]})


def softplus_case(name, x):
    xd = x.double().requires_grad_(True)
    y = torch.nn.Softplus(beta=1, threshold=1000)(xd)
    g = randn(*x.shape)
    y.backward(g.double())
    cases.append({"name": name, "op": "Softplus", "inputs": [tensor_json(x)], "upstream": tensor_json(g),
                  "output": tensor_json(y), "grads": [tensor_json(xd.grad)]})


kl_case("KL 4x5", randn(4, 5), randn(4, 5))
kl_case("KL 3x2x2", randn(3, 2, 2, scale=2.0), randn(3, 2, 2, scale=2.0))
kl_case("KL standard normal is 0", torch.zeros(2, 3), torch.zeros(2, 3))
kl_case("KL large and small variances", randn(2, 4),
        torch.tensor([[-20.0, -5.0, 5.0, 15.0], [1e-4, -1e-4, 0.5, -0.5]]))
softplus_case("Softplus 3x4", randn(3, 4, scale=3.0))
softplus_case("Softplus large", torch.tensor([-100.0, -30.0, -20.0, -1e-3, 0.0, 1e-3, 19.0, 21.0, 30.0, 100.0]))

with open("generative_torch.json", "w") as f:
    json.dump({"generator": "gen_generative.py", "torch": torch.__version__, "cases": cases}, f, indent=None)
    f.write("\n")
print(f"wrote {len(cases)} cases to generative_torch.json")
