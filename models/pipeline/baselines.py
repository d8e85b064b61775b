# Count baselines for the model card, scored on the same held-out masks as the model (evalset.py).
#
#   models/.venv/bin/python models/pipeline/baselines.py --work models/work
#
# 1. Most frequent token: always predict the training corpus's unigram ranking.
# 2. Bidirectional n-gram: predict a masked token x from its visible neighbours (a, b) with counts of
#    a x b, a x and x b from the training stream, interpolated with the unigram:
#      p(x) = 0.6 p(x | a, b) + 0.15 p(x | a) + 0.15 p(x | b) + 0.1 p(x)
#    (a term whose context is masked or unseen drops out and the weights renormalise; fixed weights,
#    not tuned on held-out data). Neighbours that are themselves masked are not used.
import argparse
import json
import os

import numpy as np
import torch

import bpe
from evalset import EVAL_TEXTS, eval_set

WEIGHTS = {"both": 0.6, "left": 0.15, "right": 0.15, "uni": 0.1}


class Counts:
    """Sorted int64 keys (context * V + x) with counts; rows() gives p(x | context) as a dense vector."""

    def __init__(self, context, target, vocab):
        self.vocab = vocab
        self.keys, self.counts = np.unique(context.astype(np.int64) * vocab + target, return_counts=True)

    def dist(self, ctx):
        lo, hi = np.searchsorted(self.keys, [ctx * self.vocab, (ctx + 1) * self.vocab])
        if lo == hi:
            return None
        p = np.zeros(self.vocab)
        p[self.keys[lo:hi] % self.vocab] = self.counts[lo:hi]
        return p / p.sum()


def score(ids, masked, predict):
    """top-1, top-5, NLL (nats) over masked positions for a predict(row, pos, visible) -> p function."""
    top1 = top5 = nll = 0.0
    n = 0
    for r in range(ids.shape[0]):
        for pos in np.flatnonzero(masked[r]):
            p = predict(ids[r], pos, ~masked[r])
            target = ids[r, pos]
            best = np.argsort(-p, kind="stable")[:5]
            top1 += best[0] == target
            top5 += target in best
            nll -= np.log(max(p[target], 1e-12))
            n += 1
    return {"top1": top1 / n, "top5": top5 / n, "nll": nll / n, "n": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="models/work")
    args = ap.parse_args()
    encoder = bpe.Encoder(os.path.join(args.work, "tokenizer", "tokenizer.json"))
    v = len(encoder.vocab)
    train = np.load(os.path.join(args.work, "train_ids.npy")).astype(np.int64)
    unigram = (np.bincount(train, minlength=v) + 1.0) / (len(train) + v)  # add-one: no zero probability
    tri = Counts(train[:-2] * v + train[2:], train[1:-1], v)  # context (a, b) around x
    left = Counts(train[:-1], train[1:], v)  # context a before x
    right = Counts(train[1:], train[:-1], v)  # context b after x

    def ngram(row, pos, visible):
        a = row[pos - 1] if visible[pos - 1] else None
        b = row[pos + 1] if visible[pos + 1] else None
        parts = [(WEIGHTS["uni"], unigram)]
        for weight, d in ((WEIGHTS["both"], tri.dist(a * v + b) if a is not None and b is not None else None),
                          (WEIGHTS["left"], left.dist(a) if a is not None else None),
                          (WEIGHTS["right"], right.dist(b) if b is not None else None)):
            if d is not None:
                parts.append((weight, d))
        total = sum(w for w, _ in parts)
        return sum(w * d for w, d in parts) / total

    results = {}
    for text, path in EVAL_TEXTS.items():
        for ratio in (0.15, 0.5):
            ids, masked = (t.numpy() for t in eval_set(encoder, path, ratio, os.path.join(args.work, f"{text}_ids.npy")))
            results.setdefault(text, {})[f"mask{int(ratio * 100)}"] = {
                "most_frequent": score(ids, masked, lambda row, pos, visible: unigram),
                "bidirectional_ngram": score(ids, masked, ngram),
            }
            print(text, ratio, json.dumps(results[text][f"mask{int(ratio * 100)}"]), flush=True)
    with open(os.path.join(args.work, "baselines.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
