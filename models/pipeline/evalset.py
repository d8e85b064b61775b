# The fixed evaluation set shared by eval_model.py and baselines.py (no command of its own).
#
# Held-out text = the two committed samples of the held-out split (never trained on): prose
# (models/heldout-sample.txt, the first release's sources) and instructions (models/heldout-instructions.txt,
# the documentation sources), framed like training rows:
# non-overlapping windows of <s> + 254 tokens + </s>, i.i.d. masks at a given ratio with a fixed seed,
# <s>/</s> never masked. Every model and baseline is scored on exactly these positions.
import numpy as np
import torch

from train import encode_file, eval_masks, windows

SEQ_LEN = 256
MAX_WINDOWS = 128  # 128 x 254 = 32.5k tokens: ~4.9k predictions at 15%, ~16k at 50%
SEED = 1234
EVAL_TEXTS = {"prose": "models/heldout-sample.txt", "instructions": "models/heldout-instructions.txt"}


def eval_set(encoder, text_path, ratio, cache, phrases=False):
    """Returns (ids [N, SEQ_LEN] int64, masked [N, SEQ_LEN] bool); phrases: masked as phrases of 2-12 tokens
    (train.mask_phrases, the optimizer's case) instead of i.i.d."""
    stream = encode_file(encoder, text_path, cache)
    n = min(MAX_WINDOWS, (len(stream) - 1) // (SEQ_LEN - 2))
    starts = np.arange(n, dtype=np.int64) * (SEQ_LEN - 2)
    bos, eos = encoder.vocab["<s>"], encoder.vocab["</s>"]
    ids = windows(stream, starts, SEQ_LEN, bos, eos)
    gen = torch.Generator().manual_seed(SEED)
    masked = eval_masks(ids, ratio, encoder.vocab["<mask>"], gen, phrases)
    return ids, masked
