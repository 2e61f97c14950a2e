"""One DCGAN training step on 28x28 images in PyTorch, the peer of Tools/Bench/DCGANCase.swift.

Same model, batch, losses and optimiser as the Swift case; prints the median ms/step.
Usage: python3 Tools/Bench/peer/dcgan_step.py [--batch-size 64] [--steps 20] [--warmup 5] [--threads 2]
"""
import argparse
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


def models(latent_dim: int):
    generator = nn.Sequential(
        nn.Linear(latent_dim, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
        nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1),
    )
    return generator, discriminator


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    latent_dim = 100
    generator, discriminator = models(latent_dim)
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = torch.rand(args.batch_size, 1, 28, 28) * 2 - 1
    bce = F.binary_cross_entropy_with_logits

    def step():
        z = torch.randn(args.batch_size, latent_dim)
        fake = generator(z)
        real_logits, fake_logits = discriminator(real), discriminator(fake.detach())
        loss_d = bce(real_logits, torch.ones_like(real_logits)) + bce(fake_logits, torch.zeros_like(fake_logits))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        logits = discriminator(fake)
        loss_g = bce(logits, torch.ones_like(logits))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    print(f"pytorch {torch.__version__} threads={args.threads} batch={args.batch_size}: "
          f"median {statistics.median(times):.1f} ms/step")


if __name__ == "__main__":
    main()
