# Byte-level BPE tokenizer: train on a text file, write tokenizer.json + tokenizer_config.json.
#
#   models/.venv/bin/python models/pipeline/bpe.py --text models/work/train.txt --vocab 4096 \
#       --max-positions 512 --out models/remask-mini
#
# The output is the Hugging Face `tokenizers` format (GPT-2 style byte-level BPE), so the browser loads
# it with @huggingface/tokenizers or transformers.js unchanged. `Encoder` below is the Python twin
# used to tokenize training data; check_tokenizer.mjs verifies both agree id-for-id.
import argparse
import collections
import heapq
import json
import os
import re

# Special tokens own ids 0..9 in this order; the TypeScript runtime reads them from config.json.
SPECIAL_TOKENS = ["<pad>", "<mask>", "<s>", "</s>", "<|prompt|>", "<|query|>", "<|response|>",
                  "<|feedback|>", "<|score|>", "<|sep|>"]

# The GPT-2 pre-tokenizer regex used by the ByteLevel pre-tokenizer. Python's `re` has no \p{..}:
# [^\W\d_] is "letters" and \d "digits"; they differ from \p{L}/\p{N} only for rare numerals (Nl/No).
GPT2_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable character map (so merges never contain raw spaces)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_TO_CHAR = bytes_to_unicode()


def count_words(lines):
    """Pre-tokenized chunk -> count. Training works on distinct chunks, not on the raw text."""
    counts = collections.Counter()
    for line in lines:
        counts.update(GPT2_SPLIT.findall(line))
    return counts


def train_bpe(word_counts, num_merges):
    """Classic BPE with incremental pair counts: after each merge only the words containing the pair
    are revisited, and a lazy max-heap (stale entries skipped) finds the next most frequent pair.
    Ties break towards the smaller (left, right) id pair, so training is deterministic."""
    words = [[b for b in w.encode("utf-8")] for w in word_counts]  # symbols: 0..255 bytes, then merges
    freqs = list(word_counts.values())
    pair_counts = collections.Counter()
    where = collections.defaultdict(set)  # pair -> indices of words that contain it
    for i, (w, f) in enumerate(zip(words, freqs)):
        for pair in zip(w, w[1:]):
            pair_counts[pair] += f
            where[pair].add(i)
    heap = [(-c, p) for p, c in pair_counts.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < num_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_counts.get(pair, 0) != -neg:
            continue  # stale heap entry
        if -neg < 2:
            break  # merging singletons only memorises the corpus
        new_id = 256 + len(merges)
        merges.append(pair)
        changed = set()
        for i in where.pop(pair):
            w, f = words[i], freqs[i]
            for p in zip(w, w[1:]):
                pair_counts[p] -= f
            merged, j = [], 0
            while j < len(w):
                if j + 1 < len(w) and (w[j], w[j + 1]) == pair:
                    merged.append(new_id)
                    j += 2
                else:
                    merged.append(w[j])
                    j += 1
            words[i] = merged
            for p in zip(merged, merged[1:]):
                pair_counts[p] += f
                where[p].add(i)
                changed.add(p)
        del pair_counts[pair]
        for p in changed:
            if pair_counts[p] > 0:
                heapq.heappush(heap, (-pair_counts[p], p))
    return merges


def symbol_strings(merges):
    """Printable string of every symbol: 256 bytes, then one per merge."""
    strings = [BYTE_TO_CHAR[b] for b in range(256)]
    for a, b in merges:
        strings.append(strings[a] + strings[b])
    return strings


def tokenizer_json(merges):
    strings = symbol_strings(merges)
    vocab = {tok: i for i, tok in enumerate(SPECIAL_TOKENS)}
    for s in strings:
        vocab[s] = len(vocab)
    special = lambda t: {"id": SPECIAL_TOKENS.index(t), "content": t, "single_word": False, "lstrip": False,
                         "rstrip": False, "normalized": False, "special": True}
    template = lambda tok, type_id: {"SpecialToken": {"id": tok, "type_id": type_id}}
    seq = lambda name, type_id: {"Sequence": {"id": name, "type_id": type_id}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(t) for t in SPECIAL_TOKENS],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [template("<s>", 0), seq("A", 0), template("</s>", 0)],
            "pair": [template("<s>", 0), seq("A", 0), template("</s>", 0), seq("B", 1), template("</s>", 1)],
            "special_tokens": {t: {"id": t, "ids": [SPECIAL_TOKENS.index(t)], "tokens": [t]} for t in ("<s>", "</s>")},
        },
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": [f"{strings[a]} {strings[b]}" for a, b in merges]},
    }


def tokenizer_config(max_positions):
    return {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": max_positions,
            "pad_token": "<pad>", "mask_token": "<mask>", "bos_token": "<s>", "eos_token": "</s>",
            "clean_up_tokenization_spaces": False}


def save(out_dir, merges, max_positions):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(merges), f, ensure_ascii=False)
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config(max_positions), f, indent=2)


class Encoder:
    """Python encoder that mirrors the JS/Rust tokenizer: regex split, bytes -> chars, then merges by
    rank (lowest rank first). Chunks are cached because natural text repeats its words."""

    def __init__(self, tokenizer_path):
        with open(tokenizer_path, encoding="utf-8") as f:
            tok = json.load(f)
        self.vocab = tok["model"]["vocab"]
        self.ranks = {tuple(m.split(" ")): i for i, m in enumerate(tok["model"]["merges"])}
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        self.char_to_byte = {c: b for b, c in BYTE_TO_CHAR.items()}
        self.cache = {}
        self.bos, self.eos = self.vocab["<s>"], self.vocab["</s>"]

    def _bpe(self, chunk):
        parts = [BYTE_TO_CHAR[b] for b in chunk.encode("utf-8")]
        while len(parts) > 1:
            ranked = [(self.ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(parts, parts[1:]))]
            rank, i = min(ranked)
            if rank == 1 << 30:
                break
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        return [self.vocab[p] for p in parts]

    def encode(self, text, add_special=False):
        ids = [self.bos] if add_special else []
        for chunk in GPT2_SPLIT.findall(text):
            if chunk not in self.cache:
                self.cache[chunk] = self._bpe(chunk)
            ids.extend(self.cache[chunk])
        if add_special:
            ids.append(self.eos)
        return ids

    def decode(self, ids):
        text = "".join(self.id_to_token[i] for i in ids if i >= len(SPECIAL_TOKENS))
        return bytes(self.char_to_byte[c] for c in text).decode("utf-8", errors="replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--text", required=True, help="training text, one document per line")
    ap.add_argument("--vocab", type=int, default=4096, help="total vocab size incl. 10 specials + 256 bytes")
    ap.add_argument("--max-positions", type=int, default=512)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with open(args.text, encoding="utf-8") as f:
        counts = count_words(f)
    merges = train_bpe(counts, args.vocab - len(SPECIAL_TOKENS) - 256)
    save(args.out, merges, args.max_positions)
    print(f"{len(counts)} distinct chunks, {len(merges)} merges -> {args.out}/tokenizer.json")


if __name__ == "__main__":
    main()
