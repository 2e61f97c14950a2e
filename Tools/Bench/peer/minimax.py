"""PyTorch peer of Ch11_2_Minimax: one D update and one G update on MLPs, batch 64."""
import torch
from torch import nn
import torch.nn.functional as F

from common import parse_args, time_steps

args = parse_args()
latent, pixels, batch = 100, 784, args.batch_size
G = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 512), nn.ReLU(),
                  nn.Linear(512, 1024), nn.ReLU(), nn.Linear(1024, pixels), nn.Tanh())
D = nn.Sequential(nn.Linear(pixels, 512), nn.LeakyReLU(0.2), nn.Linear(512, 256), nn.LeakyReLU(0.2),
                  nn.Linear(256, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
data = torch.rand(60000 // 10, pixels) * 2 - 1


def step():
    real = data[torch.randint(0, data.shape[0], (batch,))]
    fake = G(torch.randn(batch, latent))
    real_logits, fake_logits = D(real), D(fake.detach())
    d_loss = (F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
              + F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits)))
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    out = D(fake)
    g_loss = F.binary_cross_entropy_with_logits(out, torch.ones_like(out))
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    return d_loss.item(), g_loss.item()


time_steps("minimax", step, args)
