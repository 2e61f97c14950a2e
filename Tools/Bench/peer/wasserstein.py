"""PyTorch peers of Ch11_2_WGAN and Ch11_3_WGANGP: n_critic = 5 critic updates (each on a
fresh real batch) then one generator update, MLPs, batch 64.

    python3 Tools/Bench/peer/wasserstein.py --constraint clipping --steps 30
    python3 Tools/Bench/peer/wasserstein.py --constraint penalty --steps 30
"""
import sys

import torch
from torch import nn

constraint = "penalty"
if "--constraint" in sys.argv:
    i = sys.argv.index("--constraint")
    constraint = sys.argv[i + 1]
    del sys.argv[i:i + 2]

from common import parse_args, time_steps  # noqa: E402

args = parse_args()
latent, pixels, batch, n_critic = 100, 784, args.batch_size, 5
G = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(),
                  nn.Linear(512, 1024), nn.ReLU(), nn.Linear(1024, pixels), nn.Tanh())
C = nn.Sequential(nn.Linear(pixels, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2),
                  nn.Linear(256, 1))
if constraint == "penalty":
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
    opt_c = torch.optim.Adam(C.parameters(), lr=1e-4, betas=(0.0, 0.9))
else:
    opt_g = torch.optim.RMSprop(G.parameters(), lr=5e-5)
    opt_c = torch.optim.RMSprop(C.parameters(), lr=5e-5)
data = torch.rand(6000, pixels) * 2 - 1


def gradient_penalty(real, fake):
    eps = torch.rand(real.shape[0], 1)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(C(x_hat).sum(), x_hat, create_graph=True)
    norms = (grad.pow(2).sum(dim=1) + 1e-12).sqrt()
    return ((norms - 1) ** 2).mean()


def step():
    for _ in range(n_critic):
        real = data[torch.randint(0, data.shape[0], (batch,))]
        with torch.no_grad():
            fake = G(torch.randn(batch, latent))
        loss = C(fake).mean() - C(real).mean()
        if constraint == "penalty":
            loss = loss + 10 * gradient_penalty(real, fake)
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()
        if constraint != "penalty":
            with torch.no_grad():
                for p in C.parameters():
                    p.clamp_(-0.01, 0.01)
    g_loss = -C(G(torch.randn(batch, latent))).mean()
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()


time_steps(f"wgan-{constraint}", step, args)
