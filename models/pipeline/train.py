# Train the Remask denoiser with the masked-diffusion objective; resumable, time-budgeted.
#
#   OMP_NUM_THREADS=2 nohup nice -n 10 models/.venv/bin/python models/pipeline/train.py --minutes 85 \
#       > models/work/train.log 2>&1 &
#
# Objective (MDLM/LLaDA-style absorbing diffusion): per row draw t ~ U(eps, t_max], replace each token by
# <mask> with probability t, and take cross-entropy on the masked tokens only; the LM head is applied at
# masked positions only (most of the vocab-sized matmul is skipped). A share of rows is masked as one
# contiguous span of length ~ t * L instead, the infill case the optimizer uses to rewrite prompt spans;
# i.i.d. rows stop at t_max_iid. A share of rows (phrase_share) is masked as several phrases of 2-12 tokens.
# The loss is the plain mean over masked tokens (no 1/t ELBO weight): steadier for a small model.
#
# Against the unigram plateau (DESIGN.md): layer-0 heads start attending to the tokens at -1, +1, -2, +2
# (model.py LOCAL_OFFSETS: the model starts as a neural 5-gram, not a bag of words); the output bias
# starts at log unigram frequencies (the model starts *at* the plateau, so gradients go to context at
# once); mask ratios start low and widen (curriculum on t_max); LR warms up then decays on a cosine
# over the wall-clock budget; small batches give many updates.
# Matmuls run in bfloat16 (autocast; weights, optimizer state and loss stay float32) on CUDA and on CPUs
# with AMX or AVX512-BF16: on this machine's AMX cores that is ~5x the float32 throughput.
# Held-out top-1 at 15% / 50% masking is printed every eval; the best checkpoint is kept for export.
import argparse
import json
import math
import os
import time
from dataclasses import asdict, dataclass

# oneDNN caches a primitive per matmul shape; the head runs at a different number of masked positions each
# step, and the default cache of 1024 primitives grew the process by ~24 MB a step (8 GB in 6 minutes).
os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "32")

import numpy as np
import torch
import torch.nn.functional as F

import bpe
from model import RemaskConfig, RemaskForMaskedLM, deepened
from onnx_weights import state_dict_from_onnx
from rows import Paragraphs, RowBuilder


@dataclass
class TrainConfig:
    work: str = "models/work"  # corpus, tokenizer, encoded ids, checkpoint and logs live here
    minutes: float = 85.0  # wall-clock training budget; the LR schedule spans exactly this
    seq_len: int = 256  # the canvas length the optimizer uses most
    long_every: int = 8  # every 8th step uses 2 x seq_len (half the rows) so positions up to 512 train
    batch_size: int = 24  # small batches: many updates per CPU minute; 24 keeps the bf16 matmuls busy
    lr: float = 2e-3  # pre-LN at 4-6 layers tolerates a high peak LR; it speeds leaving the plateau
    min_lr_ratio: float = 0.1  # cosine decays to 10% of the peak
    warmup_steps: int = 200  # Adam's second moments settle before the peak LR
    weight_decay: float = 0.01  # light AdamW decay; the corpus is seen ~2 times, overfitting is mild
    t_eps: float = 0.02  # lower bound of the mask ratio (t = 0 has no masked tokens, no signal)
    t_max_start: float = 0.3  # curriculum: early rows are mostly visible, local context is easy to use
    curriculum: float = 0.3  # t_max reaches 1 after this fraction of the budget
    span_share: float = 0.25  # rows masked as one contiguous span (infill)
    phrase_share: float = 0.0  # rows masked as several phrases of 2-12 tokens (how the optimizer masks a
    #                            prompt): one span of t * L is rarely that short, i.i.d. masks never are
    t_max_iid: float = 0.6  # i.i.d.-masked rows stop at 60% (a tiny model learns little per FLOP from
    #                         near-empty rows; span rows, the optimizer's case, still go up to 100%)
    eval_minutes: float = 4.0  # eval + checkpoint cadence
    eval_windows: int = 64  # held-out windows of seq_len per eval (~2.5k predictions at 15%)
    seed: int = 0
    train_text: str = "train.txt"  # in work/; the first phase trains on train-v1.txt
    ckpt: str = "ckpt.pt"  # in work/; resumed from when present
    init: str = ""  # start from: a checkpoint (.pt) or a package folder (its onnx/model.onnx)
    cond_share: float = 0.0  # share of 256-token rows that are feedback-conditioned (rows.py)
    cond_eval_rows: int = 160  # held-out conditioned rows in the quick context-use eval
    span_weight: float = 0.0  # weight of the conditioned rows' named spans, averaged apart from the other tokens
    repeat_penalty: float = 0.0  # weight of the neighbour-unlikelihood term (neighbour_unlikelihood)
    layers: int = RemaskConfig.num_hidden_layers  # depth; an --init with fewer layers is deepened (model.deepened)


def encode_file(encoder, path, cache):
    """Paragraphs joined by newlines into one id stream, cached as uint16 next to the text."""
    if os.path.exists(cache):
        return np.load(cache)
    newline = encoder.encode("\n")
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            ids.extend(encoder.encode(line.rstrip("\n")))
            ids.extend(newline)
    arr = np.array(ids, dtype=np.uint16)
    np.save(cache, arr)
    return arr


def windows(stream, starts, length, bos, eos):
    """Rows of <s> + stream[start : start + length - 2] + </s>, as the runtime frames its inputs."""
    body = stream[starts[:, None] + np.arange(length - 2)].astype(np.int64)
    rows = np.concatenate([np.full((len(starts), 1), bos), body, np.full((len(starts), 1), eos)], axis=1)
    return torch.from_numpy(rows)


def mask_rows(ids, t, span_rows, mask_id, gen):
    """Bool [B, L] of positions to mask: i.i.d. with prob t per row, or one span of round(t * L')
    tokens for span rows; <s>/</s> at the ends are never masked (the runtime keeps them fixed)."""
    b, length = ids.shape
    inner = length - 2
    masked = torch.rand(b, length, generator=gen) < t[:, None]
    span_len = (t * inner).round().clamp(min=1).long()
    start = (torch.rand(b, generator=gen) * (inner - span_len + 1)).long() + 1
    pos = torch.arange(length)[None, :]
    span = (pos >= start[:, None]) & (pos < (start + span_len)[:, None])
    masked = torch.where(span_rows[:, None], span, masked)
    masked[:, 0] = masked[:, -1] = False
    return masked


PHRASE_LENGTHS = (2, 12)  # the span lengths the optimizer masks in a prompt (bench/infill measures the same)


def mask_phrases(ids, t, gen):
    """Bool [B, L]: phrases of 2-12 tokens (uniform) starting at random positions, about a share t of each
    row masked. Starts are Bernoulli(p) per position; a position stays visible when no phrase covers it,
    probability ~exp(-p * mean length), so p = -ln(1 - t) / mean length gives coverage ~t."""
    b, length = ids.shape
    low, high = PHRASE_LENGTHS
    p = -torch.log1p(-t.clamp(max=0.95)) / ((low + high) / 2)
    starts = torch.rand(b, length, generator=gen) < p[:, None]
    lengths = torch.randint(low, high + 1, (b, length), generator=gen)
    masked = torch.zeros(b, length, dtype=torch.bool)
    for offset in range(high):  # position j is covered by a phrase starting at j - offset longer than offset
        covers = starts & (lengths > offset)
        masked[:, offset:] |= covers[:, : length - offset]
    masked[:, 0] = masked[:, -1] = False
    return masked


def eval_masks(ids, ratio, mask_id, gen, phrases=False):
    """The masks every held-out score uses: a fixed ratio for every row, i.i.d. or (phrases) in phrases."""
    ratios = torch.full((len(ids),), ratio)
    return (mask_phrases(ids, ratios, gen) if phrases
            else mask_rows(ids, ratios, torch.zeros(len(ids), dtype=torch.bool), mask_id, gen))


@torch.no_grad()
def evaluate(model, rows, ratio, mask_id, seed=1234, phrases=False):
    """Held-out top-1 / top-5 / NLL (nats per masked token) at a fixed mask ratio and seed, the masks i.i.d.
    or (phrases) phrases of 2-12 tokens, each predicted in one pass."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    top1 = top5 = nll = n = 0
    for chunk in rows.split(16):
        masked = eval_masks(chunk, ratio, mask_id, gen, phrases)
        inp = chunk.masked_fill(masked, mask_id)
        logits = model.masked_logits(inp, torch.ones_like(inp), masked)
        target = chunk[masked]
        top = logits.topk(5, dim=-1).indices
        top1 += (top[:, 0] == target).sum().item()
        top5 += (top == target[:, None]).any(-1).sum().item()
        nll += F.cross_entropy(logits, target, reduction="sum").item()
        n += len(target)
    model.train()
    return {"top1": top1 / n, "top5": top5 / n, "nll": nll / n, "n": n}


def conditioned_eval_rows(encoder, work, seq_len, count, seed=4321):
    """Held-out conditioned rows, each with and without its naming feedback: ([N, L] ids, [N, L] span) x 2."""
    held = Paragraphs(encoder, os.path.join(work, "heldout-instructions.txt"), os.path.join(work, "heldout-instructions.npz"))
    builder = RowBuilder(encoder, held, seq_len, seed)
    pairs = [p for p in (builder.eval_pair(i, seed) for i in range(min(len(held.prompts), 4 * count))) if p][:count]
    stack = lambda k: (torch.from_numpy(np.stack([p[k][0] for p in pairs])), torch.from_numpy(np.stack([p[k][1] for p in pairs])))
    return stack(0), stack(1)


@torch.no_grad()
def span_top1(model, rows, mask_id):
    """Top-1 on the masked spans of conditioned rows (spans masked whole, all else visible)."""
    model.eval()
    ids, span = rows
    hits = n = 0
    for chunk, m in zip(ids.split(16), span.split(16)):
        logits = model.masked_logits(chunk.masked_fill(m, mask_id), torch.ones_like(chunk), m)
        hits += (logits.argmax(-1) == chunk[m]).sum().item()
        n += int(m.sum())
    model.train()
    return hits / n


def neighbour_unlikelihood(log_probs, ids, masked):
    """Unlikelihood (Welleck et al. 2019) of each masked position's neighbours' tokens: -log(1 - p(token at
    i-1 or i+1)) at position i, averaged over the masked positions. Real text almost never repeats a token
    (0.2% of held-out spans), but a masked-diffusion model fills two masked neighbours from near-identical
    marginals and so writes "the the" (~10% of span tokens): this pushes mass off the neighbours' tokens."""
    invalid = torch.full_like(ids[:, :1], -1)
    left = torch.cat([invalid, ids[:, :-1]], 1)[masked]
    right = torch.cat([ids[:, 1:], invalid], 1)[masked]
    target = ids[masked]
    total = torch.zeros((), device=log_probs.device)
    for neighbour in (left, right):
        # A neighbour equal to the target is a true repeat: nothing to push down there.
        keep = (neighbour >= 0) & (neighbour != target)
        p = log_probs.gather(1, neighbour.clamp(min=0)[:, None]).squeeze(1).exp()
        total = total + (-torch.log1p(-p.clamp(max=1 - 1e-4)) * keep).sum()
    return total / max(1, target.numel())


def initial_weights(path, device):
    if os.path.isdir(path):
        return state_dict_from_onnx(os.path.join(path, "onnx", "model.onnx"))
    ckpt = torch.load(path, map_location=device)
    return ckpt["best_model"] or ckpt["model"]


def bf16_matmuls(device):
    """Autocast to bfloat16 only where the hardware has bf16 matmuls; elsewhere it is slower than fp32."""
    if device == "cuda":
        return True
    try:
        flags = open("/proc/cpuinfo").read()
    except OSError:
        return False
    return " amx_bf16" in flags or " avx512_bf16" in flags


def lr_at(step, progress, cfg):
    warm = min(1.0, (step + 1) / cfg.warmup_steps)
    cos = 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
    return cfg.lr * warm * (cfg.min_lr_ratio + (1 - cfg.min_lr_ratio) * cos)


def main():
    ap = argparse.ArgumentParser()
    for name, value in asdict(TrainConfig()).items():
        ap.add_argument("--" + name.replace("_", "-"), type=type(value), default=value)
    cfg = TrainConfig(**vars(ap.parse_args()))
    device = "cuda" if torch.cuda.is_available() else "cpu"
    bf16 = bf16_matmuls(device)
    torch.manual_seed(cfg.seed)
    rng = np.random.default_rng(cfg.seed)

    encoder = bpe.Encoder(os.path.join(cfg.work, "tokenizer", "tokenizer.json"))
    stem = os.path.splitext(cfg.train_text)[0]
    train_ids = encode_file(encoder, os.path.join(cfg.work, cfg.train_text), os.path.join(cfg.work, f"{stem}_ids.npy"))
    held_ids = encode_file(encoder, os.path.join(cfg.work, "heldout.txt"), os.path.join(cfg.work, "heldout_ids.npy"))
    mcfg = RemaskConfig(vocab_size=len(encoder.vocab), num_hidden_layers=cfg.layers)
    print(f"train {len(train_ids) / 1e6:.2f} M tokens, heldout {len(held_ids) / 1e6:.3f} M, device {device}, bf16 {bf16}", flush=True)

    eval_starts = np.linspace(0, len(held_ids) - cfg.seq_len, cfg.eval_windows).astype(np.int64)
    eval_rows = windows(held_ids, eval_starts, cfg.seq_len, mcfg.bos_token_id, mcfg.eos_token_id).to(device)
    builder = cond_eval = None
    if cfg.cond_share > 0:
        instructions = Paragraphs(encoder, os.path.join(cfg.work, "instructions.txt"), os.path.join(cfg.work, "instructions.npz"))
        builder = RowBuilder(encoder, instructions, cfg.seq_len, cfg.seed)
        cond_eval = conditioned_eval_rows(encoder, cfg.work, cfg.seq_len, cfg.cond_eval_rows)
        print(f"conditioned rows: {len(instructions.prompts)} prompt paragraphs, {len(cond_eval[0][0])} eval pairs", flush=True)

    model = RemaskForMaskedLM(mcfg).to(device)
    with torch.no_grad():  # start at the unigram distribution: the plateau is the floor, not a goal
        counts = np.bincount(train_ids, minlength=mcfg.vocab_size).astype(np.float64) + 1.0
        model.head_bias.copy_(torch.from_numpy(np.log(counts / counts.sum())).float())
    decay = [p for n, p in model.named_parameters() if p.ndim == 2 and "pos_emb" not in n]
    no_decay = [p for n, p in model.named_parameters() if not (p.ndim == 2 and "pos_emb" not in n)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg.lr, betas=(0.9, 0.98))

    ckpt_path = os.path.join(cfg.work, cfg.ckpt)
    state = {"step": 0, "elapsed": 0.0, "tokens": 0, "best_score": -1.0, "history": []}
    best_model = None
    if os.path.exists(ckpt_path):
        ckpt = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["optimizer"])
        state, best_model = ckpt["state"], ckpt["best_model"]
        rng = np.random.default_rng(cfg.seed + state["step"])  # fresh windows after a resume
        was = ckpt["train_config"]
        changed = {k: [was.get(k), v] for k, v in asdict(cfg).items() if was.get(k) != v}
        state.setdefault("restarts", []).append({"step": state["step"], "minutes": state["elapsed"] / 60, "changed": changed})
        if builder:
            builder.rng = np.random.default_rng([cfg.seed, state["step"]])
        print(f"resumed at step {state['step']}, {state['elapsed'] / 60:.1f} min", flush=True)
    elif cfg.init:
        model.load_state_dict(deepened(initial_weights(cfg.init, device), cfg.layers))
        print(f"initialised from {cfg.init}", flush=True)
    print(f"model {model.num_params() / 1e6:.2f} M params; config {json.dumps(asdict(cfg))}", flush=True)
    with open(os.path.join(cfg.work, "run_config.json"), "w") as f:
        json.dump({"train": asdict(cfg), "model": asdict(mcfg)}, f, indent=2)

    gen = torch.Generator().manual_seed(cfg.seed + state["step"])
    budget = cfg.minutes * 60
    last_eval = state["elapsed"]
    start_wall = time.time() - state["elapsed"]
    model.train()
    while state["elapsed"] < budget:
        progress = state["elapsed"] / budget
        long = cfg.long_every and state["step"] % cfg.long_every == cfg.long_every - 1
        length, rows = (2 * cfg.seq_len, cfg.batch_size // 2) if long else (cfg.seq_len, cfg.batch_size)
        length = min(length, mcfg.max_position_embeddings)
        cond = 0 if long or builder is None else int(rng.binomial(rows, cfg.cond_share))
        ids = windows(train_ids, rng.integers(0, len(train_ids) - length, rows - cond), length,
                      mcfg.bos_token_id, mcfg.eos_token_id)
        t_max = min(1.0, cfg.t_max_start + (1 - cfg.t_max_start) * progress / cfg.curriculum)
        kind = torch.rand(rows - cond, generator=gen)
        span_rows = kind < cfg.span_share
        phrase_rows = (kind >= cfg.span_share) & (kind < cfg.span_share + cfg.phrase_share)
        row_max = torch.where(span_rows, torch.tensor(t_max), torch.tensor(min(t_max, cfg.t_max_iid)))
        t = cfg.t_eps + (row_max - cfg.t_eps) * torch.rand(rows - cond, generator=gen)
        masked = mask_rows(ids, t, span_rows, mcfg.mask_token_id, gen)
        if cfg.phrase_share > 0:
            masked = torch.where(phrase_rows[:, None], mask_phrases(ids, t, gen), masked)
        if cond:
            made = []
            while len(made) < cond:
                made += [r for r in [builder.row()] if r is not None]
            cond_ids = torch.from_numpy(np.stack([r[0] for r in made]))
            # Only the named span is masked: masking the traces too would hide the feedback it must copy.
            spans = torch.from_numpy(np.stack([r[1] for r in made]))
            ids, masked = torch.cat([ids, cond_ids]), torch.cat([masked, spans])
        ids, masked = ids.to(device), masked.to(device)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=bf16):
            logits = model.masked_logits(ids.masked_fill(masked, mcfg.mask_token_id), torch.ones_like(ids), masked)
        log_probs = F.log_softmax(logits.float(), -1)
        token_loss = -log_probs.gather(1, ids[masked][:, None]).squeeze(1)
        loss = token_loss.mean()
        if cond and cfg.span_weight > 0:
            # The feedback-named spans are a few dozen of the step's ~2,000 masked tokens: averaged apart and
            # weighted, they pull as hard as the rest, or carrying feedback into the prompt is never learnt.
            named = (torch.arange(rows, device=device) >= rows - cond)[:, None].expand_as(masked)[masked]
            loss = (token_loss[~named].mean() + cfg.span_weight * token_loss[named].mean()) / (1 + cfg.span_weight)
        repeat_loss = None
        if cfg.repeat_penalty > 0:
            repeat_loss = neighbour_unlikelihood(log_probs, ids, masked)
            loss = loss + cfg.repeat_penalty * repeat_loss
        for group in opt.param_groups:
            group["lr"] = lr_at(state["step"], progress, cfg)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["tokens"] += ids.numel()
        state["elapsed"] = time.time() - start_wall
        if state["step"] % 25 == 0:
            print(f"step {state['step']} {state['elapsed'] / 60:.1f} min loss {loss.item():.3f} "
                  + (f"(repeats {repeat_loss.item():.3f}) " if repeat_loss is not None else "") + f"t_max {t_max:.2f} "
                  f"lr {opt.param_groups[0]['lr']:.2e} {state['tokens'] / state['elapsed']:.0f} tok/s", flush=True)
        if state["elapsed"] - last_eval >= cfg.eval_minutes * 60 or state["elapsed"] >= budget:
            last_eval = state["elapsed"]
            e15 = evaluate(model, eval_rows, 0.15, mcfg.mask_token_id)
            e50 = evaluate(model, eval_rows, 0.5, mcfg.mask_token_id)
            phrases = evaluate(model, eval_rows, 0.15, mcfg.mask_token_id, phrases=True)
            entry = {"step": state["step"], "minutes": state["elapsed"] / 60, "tokens": state["tokens"],
                     "mask15": e15, "mask50": e50, "phrases15": phrases}
            if cond_eval:
                entry["context"] = {"with": span_top1(model, cond_eval[0], mcfg.mask_token_id),
                                    "without": span_top1(model, cond_eval[1], mcfg.mask_token_id)}
            state["history"].append(entry)
            # Kept: the checkpoint best at both skills, held-out top-1 at 15% plus the context gain (span
            # top-1 with the feedback minus without), as the conditioned rows trade a little of the first.
            score = e15["top1"] + (entry["context"]["with"] - entry["context"]["without"] if cond_eval else 0.0)
            if score > state.get("best_score", -1.0):
                state["best_score"], state["best_step"] = score, state["step"]
                best_model = {k: v.detach().clone() for k, v in model.state_dict().items()}
            print(f"EVAL step {state['step']} tokens {state['tokens'] / 1e6:.2f} M | 15%: top1 {e15['top1']:.3f} "
                  f"top5 {e15['top5']:.3f} nll {e15['nll']:.3f} | 50%: top1 {e50['top1']:.3f} nll {e50['nll']:.3f} "
                  f"| phrases 15%: top1 {phrases['top1']:.3f} nll {phrases['nll']:.3f}"
                  + (f" | span with feedback {entry['context']['with']:.3f} without {entry['context']['without']:.3f}" if cond_eval else ""),
                  flush=True)
            torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "state": state,
                        "best_model": best_model, "model_config": asdict(mcfg), "train_config": asdict(cfg)},
                       ckpt_path + ".tmp")
            os.replace(ckpt_path + ".tmp", ckpt_path)  # a kill mid-save never corrupts the checkpoint
            # The next eval is counted from this one's end: on a busy machine an eval can outlast the
            # interval, and counting from its start would run evals back to back.
            last_eval = time.time() - start_wall
    print(f"done: {state['step']} steps, {state['tokens'] / 1e6:.1f} M tokens, best score {state['best_score']:.3f}")


if __name__ == "__main__":
    main()
