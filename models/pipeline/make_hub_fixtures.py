# Build tiny random-weight masked LMs laid out as the Hugging Face Hub serves them (BERT, DistilBERT,
# RoBERTa, ModernBERT), so the loader is tested on the files a user downloads and not only on our own
# package (issue 16).
#
#   models/.venv/bin/pip install -r models/requirements.txt -r models/requirements-hub.txt
#   OMP_NUM_THREADS=1 models/.venv/bin/python models/pipeline/make_hub_fixtures.py
#   models/.venv/bin/python models/pipeline/make_hub_fixtures.py --modernbert-base-shape models/work/modernbert-base-shape [LAYERS]
#   models/.venv/bin/python models/pipeline/make_hub_fixtures.py --checkpoint bert DIR   (a save_pretrained folder, for convert.py)
#   models/.venv/bin/python models/pipeline/make_hub_fixtures.py --fp16 DIR transformers.js|optimum   (add model_fp16.onnx)
#
# Output: test/fixtures/hub/<family>/ in the transformers.js layout: config.json (transformers'
# own), tokenizer.json and tokenizer_config.json (each family's real structure, with a vocabulary
# from models/heldout-sample.txt), onnx/model.onnx (torch.onnx's TorchScript exporter, as
# optimum exports them: inputs input_ids, attention_mask and BERT's token_type_ids, output `logits`
# [batch, sequence, vocab]), onnx/model_quantized.onnx (onnxruntime's quantize_dynamic, uint8, as
# transformers.js quantizes: DynamicQuantizeLinear + MatMulInteger), model_fp16.onnx (modernbert, bert), and reference.json (torch's logits
# for one infill canvas and torch's greedy infill of it). Deterministic: same code, same tokenizers,
# weights and references (ModernBERT's graph may name its two rotary tables the other way round).
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import AddedToken, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from convert import LogitsOnly
from transformers import (AutoTokenizer, BertConfig, BertForMaskedLM, DistilBertConfig, DistilBertForMaskedLM,
                          ModernBertConfig, ModernBertForMaskedLM, RobertaConfig, RobertaForMaskedLM)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "hub")
CORPUS = os.path.join(ROOT, "models", "heldout-sample.txt")


@dataclass
class FixtureConfig:
    seed: int = 0  # every family's weights start from this seed
    hidden: int = 32  # small enough that each folder stays well under 1 MB
    layers: int = 2  # two, so a layer's output feeds another layer as in the real models
    heads: int = 2
    mlp: int = 64
    max_length: int = 128  # tokenizer_config model_max_length; the canvas below needs ~40
    learned_vocab: int = 900  # tokens the tokenizer trainer learns; specials and placeholders come on top
    opset: int = 14  # what optimum exports BERT-family encoders with
    # Tokens never to write get this added to their output bias, so a loader that forgot one would
    # write it: the random model prefers them, and the test proves they are suppressed.
    never_write_boost: float = 3.0
    infill_text: str = ("You are a careful assistant for the [MASK] of the city. Answer each question in [MASK] plain "
                        "sentences, cite the [MASK] you used, and [MASK] when you do not know.")


CFG = FixtureConfig()
MASK_MARKER = "[MASK]"  # src/model/mask-marker.ts: one masked position in the user's text
UNUSED = re.compile(r"^\[unused\d+\]$")  # BERT's and ModernBERT's placeholder tokens


def corpus_lines():
    with open(CORPUS, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


# --- Tokenizers: each family's normalizer, pre-tokenizer, model, post-processor, decoder and added tokens.

def wordpiece_vocab(normalizer, pre_tokenizer):
    """Every character alone and as a ## piece, then the most frequent words and word endings (## pieces),
    ties by spelling. (tokenizers' WordPieceTrainer breaks ties between equally frequent merges
    differently from run to run, so its vocabulary would change with every build.)"""
    words = Counter()
    for line in corpus_lines():
        words.update(w for w, _ in pre_tokenizer.pre_tokenize_str(normalizer.normalize_str(line)))
    chars = sorted({c for w in words for c in w})
    endings = Counter()
    for w, n in words.items():
        for i in range(1, len(w) - 1):
            endings["##" + w[i:]] += n
    pieces = ["##" + c for c in chars]
    rest = CFG.learned_vocab - len(chars) - len(pieces)

    def top(counts, k):
        return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]
    # Two thirds words, the rest endings (single-character words are already in, hence the dedup and cut).
    return list(dict.fromkeys(chars + pieces + top(words, rest * 2 // 3) + top(endings, rest)))[:CFG.learned_vocab]


def bert_tokenizer():
    """bert-base-uncased: lowercasing WordPiece with ## pieces; [PAD] 0, [unused0..98] 1-99, [UNK] [CLS] [SEP]
    [MASK] at 100-103, more [unusedN] after them (only in the vocabulary, not added tokens), then the words."""
    normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None, lowercase=True)
    learned = wordpiece_vocab(normalizer, pre_tokenizers.BertPreTokenizer())
    specials = ["[PAD]", *[f"[unused{i}]" for i in range(99)], "[UNK]", "[CLS]", "[SEP]", "[MASK]",
                *[f"[unused{i}]" for i in range(99, 104)]]
    vocab = {t: i for i, t in enumerate(specials + [t for t in learned if t not in specials])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", continuing_subword_prefix="##", max_input_chars_per_word=100))
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", vocab["[CLS]"]), ("[SEP]", vocab["[SEP]"])])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=True)
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]])
    config = {"clean_up_tokenization_spaces": True, "cls_token": "[CLS]", "do_lower_case": True, "mask_token": "[MASK]",
              "model_max_length": CFG.max_length, "pad_token": "[PAD]", "sep_token": "[SEP]", "strip_accents": None,
              "tokenize_chinese_chars": True, "tokenizer_class": "BertTokenizer", "unk_token": "[UNK]"}
    return tok, config


def byte_level_bpe(special_tokens, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(corpus_lines(), trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=special_tokens, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    return tok


def roberta_tokenizer():
    """roberta-base: byte-level BPE, <s> <pad> </s> <unk> at 0-3, <mask> last with lstrip (it takes the
    space before it), RobertaProcessing for <s> ... </s>; no normalizer."""
    tok = byte_level_bpe(["<s>", "<pad>", "</s>", "<unk>"], CFG.learned_vocab)
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True, add_prefix_space=False)
    tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    mask = {"__type": "AddedToken", "content": "<mask>", "lstrip": True, "normalized": True, "rstrip": False, "single_word": False}
    config = {"add_prefix_space": False, "bos_token": "<s>", "clean_up_tokenization_spaces": True, "cls_token": "<s>",
              "eos_token": "</s>", "errors": "replace", "mask_token": mask, "model_max_length": CFG.max_length,
              "pad_token": "<pad>", "sep_token": "</s>", "tokenizer_class": "RobertaTokenizer", "trim_offsets": True,
              "unk_token": "<unk>"}
    return tok, config


MODERNBERT_VOCAB_MULTIPLE = 64  # ModernBERT pads its 50,280 tokens to 50,368 with [unusedN] for fast matmuls


def modernbert_tokenizer(vocab_size=None):
    """answerdotai/ModernBERT-base (OLMo's tokenizer): NFC, byte-level BPE; |||IP_ADDRESS||| and <|padding|>
    first; |||EMAIL_ADDRESS|||, |||PHONE_NUMBER|||, <|endoftext|>, [UNK] [CLS] [SEP] [PAD] [MASK] (lstrip)
    after the merges; [unusedN] (added, not special) up to a multiple of 64; [CLS] ... [SEP] around a text."""
    tok = byte_level_bpe(["|||IP_ADDRESS|||", "<|padding|>"], CFG.learned_vocab)
    tok.normalizer = normalizers.NFC()
    tok.add_tokens([AddedToken(t, normalized=False) for t in ["|||EMAIL_ADDRESS|||", "|||PHONE_NUMBER|||"]])
    tok.add_special_tokens([AddedToken(t, normalized=False, special=True) for t in ["<|endoftext|>", "[UNK]", "[CLS]", "[SEP]", "[PAD]"]])
    tok.add_special_tokens([AddedToken("[MASK]", lstrip=True, normalized=False, special=True)])
    pad = (vocab_size or 0) - tok.get_vocab_size() if vocab_size else -tok.get_vocab_size() % MODERNBERT_VOCAB_MULTIPLE
    tok.add_tokens([AddedToken(f"[unused{i}]", normalized=True) for i in range(pad)])
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", tok.token_to_id("[CLS]")), ("[SEP]", tok.token_to_id("[SEP]"))])
    config = {"clean_up_tokenization_spaces": True, "cls_token": "[CLS]", "mask_token": "[MASK]",
              "model_input_names": ["input_ids", "attention_mask"], "model_max_length": CFG.max_length,
              "pad_token": "[PAD]", "sep_token": "[SEP]", "tokenizer_class": "PreTrainedTokenizerFast", "unk_token": "[UNK]"}
    return tok, config


def fix_added_token_flags(tokenizer_json, flags):
    """The trainer marks its special tokens special and unnormalized; the real files differ for some."""
    for token in tokenizer_json["added_tokens"]:
        token.update(flags.get(token["content"], {}))


def save_tokenizer(tok, config, out, flags=None):
    data = json.loads(tok.to_str())
    fix_added_token_flags(data, flags or {})
    config = {**config, "added_tokens_decoder": {
        str(t["id"]): {k: t[k] for k in ["content", "lstrip", "normalized", "rstrip", "single_word", "special"]}
        for t in data["added_tokens"]}}
    with open(os.path.join(out, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    return Tokenizer.from_file(os.path.join(out, "tokenizer.json"))


# --- Models: transformers' own classes, random weights, a tiny config with the tokenizer's ids.

def bert_model(tok):
    ids = {k: tok.token_to_id(t) for k, t in [("pad_token_id", "[PAD]")]}
    return BertForMaskedLM(BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=CFG.hidden, num_hidden_layers=CFG.layers,
                                      num_attention_heads=CFG.heads, intermediate_size=CFG.mlp,
                                      max_position_embeddings=CFG.max_length, attn_implementation="eager", **ids))


def distilbert_model(tok):
    return DistilBertForMaskedLM(DistilBertConfig(vocab_size=tok.get_vocab_size(), dim=CFG.hidden, n_layers=CFG.layers,
                                                  n_heads=CFG.heads, hidden_dim=CFG.mlp, max_position_embeddings=CFG.max_length,
                                                  pad_token_id=tok.token_to_id("[PAD]"), attn_implementation="eager"))


def roberta_model(tok):
    # Positions start after the padding id (create_position_ids_from_input_ids), so RoBERTa configs
    # hold two more positions than the tokenizer's model_max_length (514 for 512).
    pad = tok.token_to_id("<pad>")
    return RobertaForMaskedLM(RobertaConfig(vocab_size=tok.get_vocab_size(), hidden_size=CFG.hidden, num_hidden_layers=CFG.layers,
                                            num_attention_heads=CFG.heads, intermediate_size=CFG.mlp,
                                            max_position_embeddings=CFG.max_length + pad + 1, type_vocab_size=1,
                                            pad_token_id=pad, bos_token_id=tok.token_to_id("<s>"),
                                            eos_token_id=tok.token_to_id("</s>"), attn_implementation="eager"))


def modernbert_special_ids(tok):
    """ModernBERT's config ids, from its tokenizer: [PAD], and [CLS] ... [SEP] as its bos/cls and eos/sep."""
    return {k: tok.token_to_id(t) for k, t in [("pad_token_id", "[PAD]"), ("bos_token_id", "[CLS]"), ("eos_token_id", "[SEP]"),
                                                ("cls_token_id", "[CLS]"), ("sep_token_id", "[SEP]")]}


def modernbert_model(tok):
    # Layer 0 attends globally, layer 1 in a sliding window of 16 tokens: the canvas is longer than
    # that, so the export carries the windowed mask as the real models' does (window 128 of 8192).
    ids = modernbert_special_ids(tok)
    return ModernBertForMaskedLM(ModernBertConfig(vocab_size=tok.get_vocab_size(), hidden_size=CFG.hidden,
                                                  num_hidden_layers=CFG.layers, num_attention_heads=CFG.heads,
                                                  intermediate_size=CFG.mlp, max_position_embeddings=CFG.max_length,
                                                  global_attn_every_n_layers=2, local_attention=16,
                                                  attn_implementation="eager", **ids))


@dataclass
class Family:
    name: str
    tokenizer: object
    model: object
    input_names: tuple
    flags: dict  # added-token flags where the real tokenizer.json differs from what the trainer writes


FAMILIES = [
    Family("bert", bert_tokenizer, bert_model, ("input_ids", "attention_mask", "token_type_ids"), {}),
    Family("distilbert", bert_tokenizer, distilbert_model, ("input_ids", "attention_mask"), {}),
    Family("roberta", roberta_tokenizer, roberta_model, ("input_ids", "attention_mask"),
           {t: {"normalized": True} for t in ["<s>", "<pad>", "</s>", "<unk>"]}),
    Family("modernbert", modernbert_tokenizer, modernbert_model, ("input_ids", "attention_mask"),
           {"|||IP_ADDRESS|||": {"special": False}}),
]


# --- The canvas and the greedy infill, as src/model/tokenizer.ts and src/core/sampler.ts do them.

def never_write_ids(tok, vocab_size):
    """Special added tokens and [unusedN] placeholders: what the decoder must never write."""
    data = json.loads(tok.to_str())
    ids = {t["id"] for t in data["added_tokens"] if t["special"]}
    ids |= {i for i in range(vocab_size) if UNUSED.match(tok.id_to_token(i) or "")}
    return sorted(ids)


def infill_canvas(tok, text, mask_id):
    """TextCodec.encodeInfill: special tokens around, the space before a [MASK] left to the token written there."""
    probe = tok.encode("a", add_special_tokens=False).ids
    wrapped = tok.encode("a").ids
    at = next(i for i in range(len(wrapped)) if wrapped[i:i + len(probe)] == probe)
    ids = wrapped[:at]
    pieces = text.split(MASK_MARKER)
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        body = piece[:-1] if not last and piece.endswith(" ") else piece
        if body:
            ids += tok.encode(body, add_special_tokens=False).ids
        if not last:
            ids.append(mask_id)
    return ids + wrapped[at + len(probe):]


def forward(model, names, ids):
    t = torch.tensor([ids])
    feeds = {"input_ids": t, "attention_mask": torch.ones_like(t), "token_type_ids": torch.zeros_like(t)}
    with torch.no_grad():
        return model(**{n: feeds[n] for n in names}).logits[0]


def greedy_infill(model, names, ids, mask_id, never):
    """One commit per step (steps = masked count, the linear schedule): at every masked position the best
    allowed token and its probability among allowed tokens (LLaDA low_confidence); commit the surest,
    ties to the lower position. Returns the final ids and the smallest margins that decided it: in
    logits between a row's best two tokens, and relative between the two surest positions."""
    ids = list(ids)
    allowed = torch.ones(model.config.vocab_size, dtype=torch.bool)
    allowed[never] = False
    allowed[mask_id] = False
    token_margin = choice_margin = float("inf")
    while mask_id in ids:
        logits = forward(model, names, ids).double()
        masked = [p for p, t in enumerate(ids) if t == mask_id]
        rows = logits[masked].masked_fill(~allowed, float("-inf"))
        top = rows.topk(2, dim=-1)
        conf = torch.softmax(rows, dim=-1).gather(1, top.indices[:, :1])[:, 0]
        token_margin = min(token_margin, (top.values[:, 0] - top.values[:, 1]).min().item())
        order = conf.argsort(descending=True, stable=True)
        if len(masked) > 1:
            choice_margin = min(choice_margin, (1 - conf[order[1]] / conf[order[0]]).item())
        best = order[0].item()
        ids[masked[best]] = top.indices[best, 0].item()
    return ids, token_margin, choice_margin


# --- Export: the TorchScript exporter with optimum's names and axes, then transformers.js's quantization.

def export_onnx(model, names, ids, out, quantize=True):
    t = torch.tensor([ids])
    inputs = {"input_ids": t, "attention_mask": torch.ones_like(t), "token_type_ids": torch.zeros_like(t)}
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in [*names, "logits"]}
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    fp32 = os.path.join(out, "onnx", "model.onnx")
    wrapper = LogitsOnly(model, names).eval()
    torch.onnx.export(wrapper, tuple(inputs[n] for n in names), fp32, input_names=list(names), output_names=["logits"],
                      dynamic_axes=axes, opset_version=CFG.opset, dynamo=False)
    if quantize:
        quantize_dynamic(fp32, os.path.join(out, "onnx", "model_quantized.onnx"), weight_type=QuantType.QUInt8,
                         per_channel=False, reduce_range=False)


# fp16 variants, each the way its exporter writes it: transformers.js's conversion script keeps float32 at
# the graph's edges (keep_io_types, its logits come out float32); optimum's --dtype fp16 gives float16 logits.
FP16_EXPORTS = {"modernbert": "transformers.js", "bert": "optimum"}


def add_fp16(out, exporter):
    """onnx/model_fp16.onnx beside model.onnx, converted by onnxruntime's float16 tool as `exporter` does."""
    from onnxruntime.transformers.float16 import convert_float_to_float16
    fp32 = onnx.load(os.path.join(out, "onnx", "model.onnx"))
    fp16 = convert_float_to_float16(fp32, keep_io_types=exporter == "transformers.js")
    onnx.save(fp16, os.path.join(out, "onnx", "model_fp16.onnx"))
    logits = next(o for o in fp16.graph.output if o.name == "logits").type.tensor_type.elem_type
    print(f"{out}: model_fp16.onnx as {exporter} writes it (logits {onnx.TensorProto.DataType.Name(logits).lower()})")


PAD = 5  # the check batch's second row is the canvas cut short by this many tokens, padded back


def check_onnx(model, out, names, ids):
    """The exported graphs in onnxruntime (Python) against torch on a padded batch of two (the canvas, and
    the canvas cut short), so a shape or an attention mask fixed at export time would show."""
    short = ids[:-PAD]
    reference = [forward(model, names, ids).numpy(), forward(model, names, short).numpy()]
    batch = np.array([ids, short + [0] * PAD], dtype=np.int64)
    feeds = {"input_ids": batch, "attention_mask": (np.arange(len(ids)) < [[len(ids)], [len(short)]]).astype(np.int64),
             "token_type_ids": np.zeros_like(batch)}
    diffs = {}
    for file in ["model.onnx", "model_quantized.onnx"]:
        session = ort.InferenceSession(os.path.join(out, "onnx", file), providers=["CPUExecutionProvider"])
        logits = session.run(["logits"], {n: feeds[n] for n in names})[0]
        diffs[file] = float(max(np.abs(logits[0] - reference[0]).max(), np.abs(logits[1, :len(short)] - reference[1]).max()))
    return diffs


def check_tokenizer_files(out, tok, text):
    """transformers itself reads the files as the same tokenizer (the same ids, the same mask token)."""
    auto = AutoTokenizer.from_pretrained(out)
    assert auto(text)["input_ids"] == tok.encode(text).ids, f"{out}: transformers encodes differently"
    return auto.mask_token_id


def tiny_model(family, out):
    """The family's tokenizer files in `out` and its random model, seeded, with the never-write boost."""
    tok, tokenizer_config = family.tokenizer()
    tok = save_tokenizer(tok, tokenizer_config, out, family.flags)
    torch.manual_seed(CFG.seed)
    model = family.model(tok).eval()
    vocab = model.config.vocab_size
    assert vocab == tok.get_vocab_size(), f"{family.name}: model vocab {vocab} != tokenizer {tok.get_vocab_size()}"
    never = never_write_ids(tok, vocab)
    with torch.no_grad():
        model.get_output_embeddings().bias[never] += CFG.never_write_boost
    model.config.architectures = [type(model).__name__]
    return tok, tokenizer_config, model, never


def checkpoint(name, out):
    """The family's fixture model as a Hugging Face checkpoint folder (save_pretrained), for convert.py."""
    family = next(f for f in FAMILIES if f.name == name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    _, _, model, _ = tiny_model(family, out)
    model.save_pretrained(out)
    print(f"{out}: {name} checkpoint (the weights of test/fixtures/hub/{name})")


def build(family):
    out = os.path.join(OUT, family.name)
    shutil.rmtree(out, ignore_errors=True)  # a fresh folder: no stale variant left beside the new files
    os.makedirs(out)
    tok, tokenizer_config, model, never = tiny_model(family, out)
    vocab = model.config.vocab_size
    model.config.to_json_file(os.path.join(out, "config.json"))

    mask = tokenizer_config["mask_token"]
    mask_id = tok.token_to_id(mask if isinstance(mask, str) else mask["content"])
    assert check_tokenizer_files(out, tok, CFG.infill_text) == mask_id
    ids = infill_canvas(tok, CFG.infill_text, mask_id)
    logits = forward(model, family.input_names, ids)
    masked = [p for p, t in enumerate(ids) if t == mask_id]
    tempted = sum(int(logits[p].argmax()) in never for p in masked)
    assert tempted > 0, f"{family.name}: no masked row prefers a token never to write; raise never_write_boost"
    greedy, token_margin, choice_margin = greedy_infill(model, family.input_names, ids, mask_id, never)
    # WASM's fp32 logits differ from torch's by ~2e-7 (a probability ratio by ~1e-6): a closer call
    # could flip the greedy result.
    assert token_margin > 1e-4 and choice_margin > 1e-5, f"{family.name}: greedy decided by {token_margin}, {choice_margin}"

    export_onnx(model, family.input_names, ids, out)
    if family.name in FP16_EXPORTS:
        add_fp16(out, FP16_EXPORTS[family.name])
    diffs = check_onnx(model, out, family.input_names, ids)
    assert diffs["model.onnx"] < 1e-5, diffs
    rows = sorted({0, *masked, len(ids) - 1})
    reference = {
        "text": CFG.infill_text, "input_ids": ids, "mask_id": mask_id, "never_write": never,
        "masked_rows_preferring_never_write": tempted,
        # The masked rows and the first and last (special tokens): all the rows would be ~600 kB.
        "rows": rows, "logits": [round(x, 7) for x in logits[rows].flatten().tolist()], "vocab": vocab,
        "greedy": {"steps": len(masked), "ids": greedy,
                   "text": tok.decode(greedy, skip_special_tokens=True),
                   "token_margin": round(token_margin, 6), "choice_margin": round(choice_margin, 6)},
        "onnxruntime_max_abs_diff": diffs,
    }
    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(reference, f)
    size = sum(os.path.getsize(os.path.join(d, n)) for d, _, ns in os.walk(out) for n in ns)
    print(f"{family.name}: vocab {vocab}, mask {mask_id}, {len(never)} never-write ids, canvas {len(ids)} tokens, "
          f"{tempted}/{len(masked)} masked rows tempted, onnxruntime {diffs}, {size / 1e6:.2f} MB")
    print(f"  greedy: {reference['greedy']['text']!r}")
    return {"family": family.name, "inputs": family.input_names, "vocab": vocab, "mask_id": mask_id, "never": len(never), "size": size, "diffs": diffs}


README = """# Hub-style masked-LM fixtures

Tiny random-weight `BertForMaskedLM`, `DistilBertForMaskedLM`, `RobertaForMaskedLM` and
`ModernBertForMaskedLM` packages in the transformers.js layout, made by
`models/pipeline/make_hub_fixtures.py` (transformers {transformers}, torch {torch}, onnxruntime {ort},
tokenizers {tokenizers}; pinned in `models/requirements-hub.txt`). They predict nothing useful; they
have the structure of the real Hub folders, so the loader is tested on what users download.

| family | vocab | mask id | never to write | ONNX inputs | onnxruntime vs torch (fp32 / uint8) | size |
|---|---|---|---|---|---|---|
{rows}

- **Weights**: transformers' own classes, seed {seed}, hidden {hidden}, {layers} layers, {heads} heads, MLP {mlp}
  (ModernBERT: layer 0 global, layer 1 a 16-token sliding window, as its real layers alternate).
- **Tokenizers**: each family's real `tokenizer.json` structure, built with `tokenizers`, with a
  vocabulary from `models/heldout-sample.txt` (byte-level BPE: `BpeTrainer`; WordPiece: characters, then the
  most frequent words and word endings, since `WordPieceTrainer` is not deterministic). BERT and DistilBERT: `BertNormalizer` (lowercase), `BertPreTokenizer`,
  WordPiece with `##` pieces, `[PAD]` 0, `[unused0..98]` 1-99, `[UNK] [CLS] [SEP] [MASK]` 100-103, more
  `[unusedN]` after them (vocabulary entries, not added tokens), `[CLS] $A [SEP]`. RoBERTa: byte-level BPE,
  `<s> <pad> </s> <unk>` 0-3, `<mask>` last with `lstrip`, `RobertaProcessing`, and a config with two more
  positions than `model_max_length` (514 for 512 in roberta-base). ModernBERT: NFC, byte-level BPE,
  `|||IP_ADDRESS|||` and `<|padding|>` first, `<|endoftext|> [UNK] [CLS] [SEP] [PAD] [MASK]` (lstrip) after
  the merges, `[unusedN]` added tokens (not special) up to a multiple of 64. `transformers.AutoTokenizer`
  reads each folder as the same tokenizer.
- **ONNX**: `torch.onnx.export` (TorchScript exporter, as optimum exports, opset {opset}) with inputs
  `input_ids`, `attention_mask` (and `token_type_ids` for BERT), output `logits` [batch, sequence, vocab],
  dynamic batch and sequence axes; `model_quantized.onnx` is onnxruntime's `quantize_dynamic` (uint8
  weights, DynamicQuantizeLinear + MatMulInteger), transformers.js's default quantization.
  `model_fp16.onnx` (modernbert, bert): onnxruntime's float16 conversion, as transformers.js's script
  writes it for modernbert (float32 inputs and logits kept at the edges) and as optimum's `--dtype fp16`
  gives it for bert (logits in float16).
- **Tokens never to write** (special added tokens and `[unusedN]`) get +{boost} on their output bias, so
  the random model prefers them at every masked position of the reference canvas: a loader that forgot
  one would write it.
- `reference.json`: the infill text, its canvas (`input_ids`, as `TextCodec.encodeInfill` lays it out),
  `mask_id`, `never_write`, torch's fp32 logits at `rows` (the masked positions, first and last), and
  torch's greedy infill of the canvas (one commit a step, LLaDA's low-confidence rule) with its ids and
  text. `src/model/hub-fixtures.test.ts` checks onnxruntime-web against them.
- `bert-converted/`: the BERT fixture's weights saved as a Hugging Face checkpoint
  (`make_hub_fixtures.py --checkpoint bert DIR`) and turned into a Remask decode package by
  `models/pipeline/convert.py --from DIR --out test/fixtures/hub/bert-converted` (fp32, int8, q4, card stub).
"""


def modernbert_base_shape(out, layers=22):
    """A package with answerdotai/ModernBERT-base's dimensions (22 layers, width 768, 50,368 outputs) and
    random weights, for `npm run bench -- --readback DIR`: what a step costs when a Hub graph returns
    logits at every position. Fewer layers keep its width, vocabulary and head (so the bytes a step
    reads back) and cut only the compute. fp32 only (750 MB at 22 layers; in models/work, never committed)."""
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    tok, tokenizer_config = modernbert_tokenizer(vocab_size=50368)
    tok = save_tokenizer(tok, {**tokenizer_config, "model_max_length": 512}, out, {"|||IP_ADDRESS|||": {"special": False}})
    ids = modernbert_special_ids(tok)
    torch.manual_seed(CFG.seed)
    # ModernBertConfig's defaults are ModernBERT-base's: 22 layers, width 768, 12 heads, MLP 1152, global attention every third layer.
    model = ModernBertForMaskedLM(ModernBertConfig(vocab_size=tok.get_vocab_size(), num_hidden_layers=layers, attn_implementation="eager", **ids)).eval()
    model.config.architectures = [type(model).__name__]
    model.config.to_json_file(os.path.join(out, "config.json"))
    export_onnx(model, ("input_ids", "attention_mask"), infill_canvas(tok, CFG.infill_text, tok.token_to_id("[MASK]")), out, quantize=False)
    print(f"{out}: ModernBERT-base-shaped, {layers} layers, {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M parameters, vocab {tok.get_vocab_size()}")


def main():
    torch.set_num_threads(1)
    rows = []
    for family in FAMILIES:
        r = build(family)
        rows.append(f"| {r['family']} | {r['vocab']} | {r['mask_id']} | {r['never']} ids | {', '.join(r['inputs'])} | "
                    f"{r['diffs']['model.onnx']:.1e} / {r['diffs']['model_quantized.onnx']:.1e} | {r['size'] / 1e3:.0f} kB |")
    import onnxruntime, tokenizers, transformers
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(transformers=transformers.__version__, torch=torch.__version__, ort=onnxruntime.__version__,
                              tokenizers=tokenizers.__version__, rows="\n".join(rows), seed=CFG.seed, hidden=CFG.hidden,
                              layers=CFG.layers, heads=CFG.heads, mlp=CFG.mlp, opset=CFG.opset, boost=CFG.never_write_boost))


if __name__ == "__main__":
    import sys
    if sys.argv[1:2] == ["--checkpoint"]:
        checkpoint(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--fp16"]:
        add_fp16(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--modernbert-base-shape"]:
        modernbert_base_shape(sys.argv[2], *map(int, sys.argv[3:4]))
    else:
        main()
