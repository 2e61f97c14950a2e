"""PyTorch peer of Tools/Bench/DCGANCase.swift: one DCGAN training step on 28x28 images,
batch 64 (a D update with BCE on logits for real and fake, then a G update; Adam).

Prints the shared `summary:` line (mean and median ms/step), e.g.
    python3 Tools/Bench/peer/dcgan_step.py --steps 20 --warmup 5 --threads 2
"""
import torch
from torch import nn
import torch.nn.functional as F

from common import parse_args, time_steps

args = parse_args()
latent, batch = 100, args.batch_size
G = nn.Sequential(
    nn.Linear(latent, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
    nn.Unflatten(1, (128, 7, 7)),
    nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
    nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
D = nn.Sequential(
    nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
    nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
    nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
real = torch.rand(batch, 1, 28, 28) * 2 - 1
bce = F.binary_cross_entropy_with_logits


def step():
    fake = G(torch.randn(batch, latent))
    real_logits, fake_logits = D(real), D(fake.detach())
    d_loss = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    out = D(fake)
    g_loss = bce(out, torch.ones_like(out))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()


time_steps("dcgan_step", step, args)
