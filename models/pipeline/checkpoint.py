# Keep training resumable across machines: the last weights of a run (not the best-eval ones: training
# goes on from where it stopped) in bfloat16, with the run's state, small enough to commit.
#
#   models/.venv/bin/python models/pipeline/checkpoint.py --ckpt models/work/ckpt.pt \
#       --out models/checkpoints/remask-mini-2.pt
#
# Continue with `bash models/build.sh` and INIT=models/checkpoints/remask-mini-2.pt (train.py --init):
# Adam's moments are not kept (they would triple the file) and rebuild within the warmup.
import argparse
import os

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="models/work/ckpt.pt")
    ap.add_argument("--out", default="models/checkpoints/remask-mini-2.pt")
    args = ap.parse_args()
    ckpt = torch.load(args.ckpt, map_location="cpu")
    small = {"model": {k: v.to(torch.bfloat16) if v.is_floating_point() else v for k, v in ckpt["model"].items()},
             "best_model": None, "state": ckpt["state"], "model_config": ckpt["model_config"], "train_config": ckpt["train_config"]}
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    torch.save(small, args.out)
    print(f"{args.out}: {os.path.getsize(args.out) / 1e6:.1f} MB at step {ckpt['state']['step']}")


if __name__ == "__main__":
    main()
