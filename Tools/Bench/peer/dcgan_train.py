"""PyTorch twin of `swift run Ch11_4_DCGAN`: the same 28x28 networks, initialisation and
recipe (Adam 2e-4, betas (0.5, 0.999), batch 64, BCE on logits, non-saturating G loss),
trained on Debian's Fashion-MNIST, writing the fixed-noise samples after every epoch as
.npy files [64, 1, 28, 28] in [-1, 1]. Used to check that what the chapter's samples look
like after each epoch is the recipe's doing, not our library's; the workbook never needs it.

    python3 Tools/Bench/peer/dcgan_train.py --epochs 3 --out /tmp/dcgan-torch
"""
import argparse
import gzip
import os

import numpy as np
import torch
from torch import nn

from dcgan import adam, dcgan_networks, training_step

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
parser.add_argument("--out", default="/tmp/dcgan-torch")
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
os.makedirs(args.out, exist_ok=True)

with gzip.open(os.path.join(args.data, "train-images-idx3-ubyte.gz")) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
images = torch.tensor(images, dtype=torch.float32) / 127.5 - 1

latent, batch = 100, 64
G, D = dcgan_networks(latent)
for module in list(G.modules()) + list(D.modules()):  # the DCGAN initialisation
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0, 0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(module.weight, 1, 0.02)
        nn.init.zeros_(module.bias)
opt_g, opt_d = adam(G), adam(D)
fixed_noise = torch.randn(64, latent, generator=torch.Generator().manual_seed(1))

steps_per_epoch = len(images) // batch
for epoch in range(1, args.epochs + 1):
    order = torch.randperm(len(images))
    for i in range(steps_per_epoch):
        d_loss, g_loss = training_step(G, D, opt_g, opt_d, images[order[i * batch:(i + 1) * batch]], latent)
    G.eval()
    with torch.no_grad():
        np.save(os.path.join(args.out, f"samples_epoch{epoch:02d}.npy"), G(fixed_noise).numpy())
    G.train()
    print(f"epoch {epoch}: d_loss {d_loss.item():.3f} g_loss {g_loss.item():.3f}", flush=True)
