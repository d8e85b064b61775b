# The Remask denoiser: a small bidirectional transformer encoder (BERT-family masked LM).
#
#   imported by train.py, export.py, make_fixture.py (no command of its own)
#
# Pre-LN blocks, learned absolute positions, GELU MLP, output head tied to the token embedding.
# Attention is written out with plain matmuls so the ONNX export uses only ops that onnxruntime-web's
# WebGPU and WASM providers run (MatMul, Softmax, LayerNormalization, Erf, Transpose, Reshape, ...).
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class RemaskConfig:
    vocab_size: int = 4096  # small BPE vocab: cheaper softmax and embedding on CPU and in the browser
    hidden_size: int = 256  # d_model; 6 layers of 256 train at ~10k tokens/s on 2 bf16 CPU cores
    num_hidden_layers: int = 6  # ~5.9M params: the fp32 + int8 + q4 folder stays under 40 MB
    num_attention_heads: int = 4  # head size 64, the usual BERT head width
    intermediate_size: int = 1024  # 4 x hidden, the standard MLP ratio
    max_position_embeddings: int = 512  # accepts 512-token canvases (prompt + traces)
    pad_token_id: int = 0  # ids 0..3 fixed by bpe.SPECIAL_TOKENS
    mask_token_id: int = 1
    bos_token_id: int = 2
    eos_token_id: int = 3

    def to_hf(self):
        """config.json contents: the fields the TypeScript runtime reads, in the HF layout."""
        return {"architectures": ["RemaskForMaskedLM"], "model_type": "remask", **asdict(self)}


# Layer-0 heads start out attending to these relative positions (previous, next, two back, two ahead):
# the model begins as a neural 5-gram instead of a bag of words, which is what gets it off the unigram
# plateau in minutes rather than hours on a CPU (DESIGN.md). Training is free to change them.
LOCAL_OFFSETS = (-1, 1, -2, 2)
LOCAL_SHARPNESS = 3.0  # q.k gain: ~80% of a head's attention on its offset at step 0


def sinusoids(n, pairs):
    """sin/cos position features [n, 2 * pairs], angular frequencies from 1 down to 0.1 rad/token:
    fast enough to tell neighbours apart, a shift by delta is a fixed rotation of each pair."""
    freq = 0.1 ** (torch.arange(pairs, dtype=torch.float32) / pairs)
    angle = torch.arange(n, dtype=torch.float32)[:, None] * freq
    return torch.stack([angle.sin(), angle.cos()], dim=-1).reshape(n, 2 * pairs), freq


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.heads = cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.out = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, bias):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) * (1.0 / math.sqrt(d // self.heads)) + bias
        y = scores.softmax(-1) @ v
        return self.out(y.transpose(1, 2).reshape(b, s, d))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln1 = nn.LayerNorm(cfg.hidden_size)
        self.attn = SelfAttention(cfg)
        self.ln2 = nn.LayerNorm(cfg.hidden_size)
        self.mlp = nn.Sequential(nn.Linear(cfg.hidden_size, cfg.intermediate_size), nn.GELU(),
                                 nn.Linear(cfg.intermediate_size, cfg.hidden_size))

    def forward(self, x, bias):
        x = x + self.attn(self.ln1(x), bias)
        return x + self.mlp(self.ln2(x))


class RemaskForMaskedLM(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.tok_emb = nn.Embedding(cfg.vocab_size, cfg.hidden_size)
        self.pos_emb = nn.Embedding(cfg.max_position_embeddings, cfg.hidden_size)
        self.blocks = nn.ModuleList(Block(cfg) for _ in range(cfg.num_hidden_layers))
        self.ln_f = nn.LayerNorm(cfg.hidden_size)
        self.head_bias = nn.Parameter(torch.zeros(cfg.vocab_size))
        self.apply(self._init)
        with torch.no_grad():
            for blk in self.blocks:  # GPT-2 residual scaling: keeps the residual stream's variance flat
                for proj in (blk.attn.out, blk.mlp[2]):
                    proj.weight.mul_(1 / math.sqrt(2 * cfg.num_hidden_layers))
            self._init_local_heads()

    def _init_local_heads(self):
        """Positions live in the first head_dim dims (token embeddings start at 0 there, so the layer-0
        q.k sees positions only); layer-0 head h gets q = rotation of k by LOCAL_OFFSETS[h] per
        frequency pair, so q_i . k_j = sharpness * sum_f cos(w_f (i + offset - j)), peaked at j = i + offset."""
        cfg = self.cfg
        hd = cfg.hidden_size // cfg.num_attention_heads
        table, freq = sinusoids(cfg.max_position_embeddings, hd // 2)
        self.tok_emb.weight[:, :hd] = 0
        self.pos_emb.weight.zero_()
        self.pos_emb.weight[:, :hd] = table * 0.02 * math.sqrt(2)  # same rms per dim as the token dims
        qkv = self.blocks[0].attn.qkv.weight  # rows: q heads, then k heads, then v heads
        for h, offset in zip(range(cfg.num_attention_heads), LOCAL_OFFSETS):
            q = qkv[h * hd:(h + 1) * hd]
            k = qkv[cfg.hidden_size + h * hd:cfg.hidden_size + (h + 1) * hd]
            q.zero_()
            k.zero_()
            cos, sin = torch.cos(offset * freq), torch.sin(offset * freq)
            f = torch.arange(hd // 2)
            k[2 * f, 2 * f] = 1.0
            k[2 * f + 1, 2 * f + 1] = 1.0
            # (sin a, cos a) -> (sin(a + b), cos(a + b)) with a = w i, b = w offset
            q[2 * f, 2 * f] = LOCAL_SHARPNESS * cos
            q[2 * f, 2 * f + 1] = LOCAL_SHARPNESS * sin
            q[2 * f + 1, 2 * f] = -LOCAL_SHARPNESS * sin
            q[2 * f + 1, 2 * f + 1] = LOCAL_SHARPNESS * cos

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)

    def hidden(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        # 0 where attended, a large negative where padding; finite so an all-padding row gives no NaN.
        bias = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * -1e9
        x = self.tok_emb(input_ids) + self.pos_emb.weight[:s]
        for blk in self.blocks:
            x = blk(x, bias)
        return self.ln_f(x)

    def head(self, h):
        return h @ self.tok_emb.weight.t() + self.head_bias

    def forward(self, input_ids, attention_mask):
        """Full logits [batch, seq, vocab]; this is the graph exported to ONNX."""
        return self.head(self.hidden(input_ids, attention_mask))

    def masked_logits(self, input_ids, attention_mask, positions):
        """Logits only at `positions` (a bool [batch, seq] tensor): training skips the head elsewhere."""
        return self.head(self.hidden(input_ids, attention_mask)[positions])

    def num_params(self):
        return sum(p.numel() for p in self.parameters())


def deepened(state, layers):
    """A state dict for `layers` blocks that computes exactly what `state` computes: each old block is
    followed by copies of itself (spread evenly) whose attention and MLP output projections are zero, so
    every copy adds nothing to the residual stream until training moves those projections. Growing a
    trained model this way (progressive stacking, Gong et al. 2019) starts the deeper model where the
    shallow one stopped instead of at the unigram plateau, which a CPU cannot afford to leave twice."""
    old = 1 + max(int(k.split(".")[1]) for k in state if k.startswith("blocks."))
    if layers < old:
        raise ValueError(f"cannot deepen {old} layers to {layers}")
    grown = {k: v for k, v in state.items() if not k.startswith("blocks.")}
    seen = set()
    for new in range(layers):
        source = new * old // layers
        for key, value in state.items():
            prefix = f"blocks.{source}."
            if not key.startswith(prefix):
                continue
            name = key[len(prefix):]
            copy = value.clone()
            if source in seen and name.startswith(("attn.out.", "mlp.2.")):
                copy.zero_()
            grown[f"blocks.{new}.{name}"] = copy
        seen.add(source)
    return grown
