"""PyTorch peer of the dcgan case in Tools/Bench/Recipes.swift: one DCGAN training step on 28x28 images,
batch 64 (a D update with BCE on logits for real and fake, then a G update; Adam).

Prints the shared `summary:` line (mean and median ms/step), e.g.
    python3 Tools/Bench/peer/dcgan_step.py --steps 20 --warmup 5 --threads 2
"""
import torch

from common import parse_args, time_steps
from dcgan import adam, dcgan_networks, training_step

args = parse_args()
G, D = dcgan_networks()
opt_g, opt_d = adam(G), adam(D)
real = torch.rand(args.batch_size, 1, 28, 28) * 2 - 1
time_steps("dcgan_step", lambda: training_step(G, D, opt_g, opt_d, real), args)
