# Card figures: held-out top-1 / top-5 / NLL at mask ratio 0.15 and 0.5 (i.i.d.), and at 0.15 in phrases of
# 2-12 tokens (each predicted in one pass), on the prose and the instruction samples, for torch, the three
# ONNX files (run in onnxruntime-web under Node) and the previous package's fp32 file on the same positions,
# with the paired difference from it position by position; context use (span top-1 on held-out
# feedback-conditioned rows, with the feedback and without it); and a few greedy infill examples.
#
#   OMP_NUM_THREADS=2 models/.venv/bin/python models/pipeline/eval_model.py --pkg models/remask-mini
#
# Scores exactly the positions evalset.py masks (the same ones baselines.py scores); writes
# <work>/eval.json for card.py.
import argparse
import json
import math
import os
import subprocess
import tempfile
from dataclasses import fields

import torch
import torch.nn.functional as F

import bpe
from evalset import EVAL_TEXTS, eval_set
from export import load_checkpoint
from model import RemaskConfig, RemaskForMaskedLM
from onnx_weights import state_dict_from_onnx
from train import conditioned_eval_rows, span_top1

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_FILES = ("model.onnx", "model_quantized.onnx", "model_q4.onnx")
INFILL_PROMPTS = [  # (left, number of masked tokens, right)
    ("You are a helpful assistant. Answer the user's", 4, "and keep it short."),
    ("The President said that the", 5, "of the United States must be protected."),
    ("Call me Ishmael. Some years ago, having little or no money in my purse, I thought I would", 6, "of the world."),
    ("Please send me the", 4, "before Friday so I can review it."),
]


def package_config(pkg):
    """A package's model shape from its config.json (RemaskConfig.to_hf's fields; the rest, such as
    remask_decoding, ignored), so that a previous package of another depth or width loads as it is."""
    with open(os.path.join(pkg, "config.json")) as f:
        config = json.load(f)
    return RemaskConfig(**{field.name: config[field.name] for field in fields(RemaskConfig)})


@torch.no_grad()
def position_scores(model, ids, masked):
    """Per masked position (row-major): top-1 hit, top-5 hit and NLL, float tensors [n]."""
    top1, top5, nll = [], [], []
    for chunk, m in zip(ids.split(16), masked.split(16)):
        logits = model.masked_logits(chunk.masked_fill(m, model.cfg.mask_token_id), torch.ones_like(chunk), m)
        target = chunk[m]
        top = logits.topk(5, -1).indices
        top1.append((top[:, 0] == target).float())
        top5.append((top == target[:, None]).any(-1).float())
        nll.append(F.cross_entropy(logits.float(), target, reduction="none"))
    return torch.cat(top1), torch.cat(top5), torch.cat(nll)


def torch_scores(scores):
    top1, top5, nll = scores
    return {"top1": top1.mean().item(), "top5": top5.mean().item(), "nll": nll.mean().item(), "n": len(nll)}


def paired(new, old):
    """Mean of new - old over the same positions with a normal 95% interval. Optimistic: positions in one
    window are not independent."""
    d = new - old
    mean, half = d.mean().item(), 1.96 * d.std().item() / math.sqrt(len(d))
    return {"mean": mean, "low": mean - half, "high": mean + half}


def onnx_scores(ids, masked, mask_id, vocab, paths):
    rows, cols = masked.nonzero(as_tuple=True)
    data = {"dims": list(ids.shape), "vocab": vocab, "input_ids": ids.masked_fill(masked, mask_id).flatten().tolist(),
            "targets": [[r, c, t] for r, c, t in zip(rows.tolist(), cols.tolist(), ids[masked].tolist())]}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(data, f)
        f.flush()
        out = subprocess.run(["node", os.path.join(HERE, "eval_onnx.mjs"), f.name, *map(os.path.abspath, paths)],
                             capture_output=True, text=True, cwd=HERE, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


@torch.no_grad()
def infill(model, encoder, left, n_masks, right):
    """Greedy masked-diffusion decoding, one token per step, most confident first (LLaDA low_confidence)."""
    ids = [encoder.bos] + encoder.encode(left) + [model.cfg.mask_token_id] * n_masks + encoder.encode(" " + right) + [encoder.eos]
    x = torch.tensor([ids])
    while (x == model.cfg.mask_token_id).any():
        masked = x == model.cfg.mask_token_id
        probs = model(x, torch.ones_like(x))[masked].softmax(-1)
        conf, token = probs.max(-1)
        pick = conf.argmax()
        x[0, masked[0].nonzero()[pick, 0]] = token[pick]
    start = 1 + len(encoder.encode(left))
    return encoder.decode(x[0, start:start + n_masks].tolist())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="models/work")
    ap.add_argument("--pkg", default="models/remask-mini")
    ap.add_argument("--previous", default="models/work/remask-mini-1", help="the package this one replaces")
    ap.add_argument("--ckpt", default="ckpt.pt", help="in <work>: the training checkpoint the package was exported from")
    ap.add_argument("--context-rows", type=int, default=400)
    args = ap.parse_args()
    encoder = bpe.Encoder(os.path.join(args.pkg, "tokenizer.json"))
    model = load_checkpoint(os.path.join(args.work, args.ckpt))
    paths = [os.path.join(args.pkg, "onnx", f) for f in ONNX_FILES]
    previous = os.path.join(args.previous, "onnx", "model.onnx")
    old_model = None
    if os.path.exists(previous):  # in torch too, for the paired differences position by position
        old_model = RemaskForMaskedLM(package_config(args.previous))
        old_model.load_state_dict(state_dict_from_onnx(previous))
        old_model.eval()
    results = {}
    for text, path in EVAL_TEXTS.items():
        for key, ratio, phrases in (("mask15", 0.15, False), ("mask50", 0.5, False), ("phrases15", 0.15, True)):
            ids, masked = eval_set(encoder, path, ratio, os.path.join(args.work, f"{text}_ids.npy"), phrases)
            scores = position_scores(model, ids, masked)
            res = results.setdefault(text, {})[key] = {"torch": torch_scores(scores)}
            found = onnx_scores(ids, masked, model.cfg.mask_token_id, model.cfg.vocab_size, paths + [previous] * os.path.exists(previous))
            for r in found:
                res["previous" if r["model"] == os.path.abspath(previous) else os.path.basename(r["model"])] = r
            for name, r in res.items():
                print(f"{text} {key} {name:22s} top1 {r['top1']:.4f} top5 {r['top5']:.4f} nll {r['nll']:.3f} (n={r['n']})", flush=True)
            if old_model is not None:
                old = position_scores(old_model, ids, masked)
                res["vsPrevious"] = {"top1": paired(scores[0], old[0]), "nll": paired(scores[2], old[2])}
                print(f"{text} {key} minus the previous package, paired: " + ", ".join(
                    f"{k} {v['mean']:+.4f} [{v['low']:+.4f}, {v['high']:+.4f}]" for k, v in res["vsPrevious"].items()), flush=True)
    with_rows, without_rows = conditioned_eval_rows(encoder, args.work, 256, args.context_rows)
    results["context"] = {"with": span_top1(model, with_rows, model.cfg.mask_token_id),
                          "without": span_top1(model, without_rows, model.cfg.mask_token_id),
                          "rows": len(with_rows[0]), "positions": int(with_rows[1].sum())}
    print(f"context use: span top-1 {results['context']['with']:.3f} with the feedback, "
          f"{results['context']['without']:.3f} without ({results['context']['rows']} rows)", flush=True)
    results["infill"] = [{"left": l, "masks": n, "right": r, "fill": infill(model, encoder, l, n, r)} for l, n, r in INFILL_PROMPTS]
    for ex in results["infill"]:
        print(f"{ex['left']} [{ex['fill']}] {ex['right']}")
    with open(os.path.join(args.work, "eval.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
