"""The 28x28 DCGAN of `Ch11_4_DCGAN` in PyTorch, shared by the peers: the networks, their
Adam optimisers (2e-4, betas (0.5, 0.999)) and one training step (D on real and detached
fakes with BCE on logits, then G through the updated D with the non-saturating loss)."""
import torch
from torch import nn
import torch.nn.functional as F


def dcgan_networks(latent=100):
    G = nn.Sequential(
        nn.Linear(latent, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    D = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
    return G, D


def adam(network):
    return torch.optim.Adam(network.parameters(), lr=2e-4, betas=(0.5, 0.999))


def training_step(G, D, opt_g, opt_d, real, latent=100):
    bce = F.binary_cross_entropy_with_logits
    fake = G(torch.randn(real.shape[0], latent))
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
    return d_loss, g_loss
