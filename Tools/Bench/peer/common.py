"""Shared timing for the PyTorch peers of the workbook's benchmarks.

Each peer trains the same recipe as the Swift chapter on random data of the same shape
(data loading is excluded on both sides) and prints a `summary: ... ms/step=X` line like
the chapters do, so the bench driver parses both the same way.
"""
import argparse
import statistics
import time

import torch


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    return args


def time_steps(name, step, args):
    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    # The mean, as the Swift chapters report (total training time / steps).
    print(f"summary: peer={name} steps={args.steps} ms/step={statistics.fmean(times):.2f} "
          f"median={statistics.median(times):.2f} torch={torch.__version__} threads={torch.get_num_threads()} "
          f"cpu={torch.backends.cpu.get_cpu_capability()}")
