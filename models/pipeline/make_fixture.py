# Build the tiny random-weight model package the TypeScript tests use, through the same bpe.py /
# model.py / export.py as the real model, plus parity.json (torch fp32 logits for one fixed input).
#
#   OMP_NUM_THREADS=2 models/.venv/bin/python models/pipeline/make_fixture.py
#
# Output: test/fixtures/tiny-model/ (config.json, tokenizer files, onnx/{model,model_quantized,model_q4}.onnx,
# README.md, parity.json). Deterministic: same code, same files.
import json
import os
import subprocess
import tempfile

import torch

import bpe
from export import export_package
from model import RemaskConfig, RemaskForMaskedLM

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "test", "fixtures", "tiny-model"))
TEXT = os.path.join(HERE, "fixture_text.txt")
VOCAB = 400  # 10 specials + 256 bytes + 134 merges: real merges, still a tiny embedding table
CFG = RemaskConfig(vocab_size=VOCAB, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                   intermediate_size=128, max_position_embeddings=128)
PARITY_TEXT = "You are a helpful assistant."

CARD = """# tiny-model (test fixture)

Random-weight Remask model for unit tests; it predicts nothing useful. Built by
`models/pipeline/make_fixture.py` (seed 0) with the same tokenizer trainer, model code and exporter as
`models/remask-mini`: byte-level BPE with {vocab} tokens trained on `models/pipeline/fixture_text.txt`,
d={d}, {layers} layers, {heads} heads, MLP {mlp}, max positions {pos}.

`parity.json` holds torch fp32 logits for one input (`dims` = [batch, sequence, vocab], `logits` flat,
row-major). onnxruntime-web reproduces them within {diff:.1e} (fp32); int8 and q4 files are the
same weights quantized (max |diff| {diff8:.1e} and {diff4:.1e} on the export check batch).
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(TEXT, encoding="utf-8") as f:
        merges = bpe.train_bpe(bpe.count_words(f), VOCAB - len(bpe.SPECIAL_TOKENS) - 256)
    assert len(merges) == VOCAB - len(bpe.SPECIAL_TOKENS) - 256, "fixture text too small for the vocab"
    bpe.save(OUT, merges, CFG.max_position_embeddings)
    encoder = bpe.Encoder(os.path.join(OUT, "tokenizer.json"))
    cases = [{"text": t, "ids": encoder.encode(t, add_special=True)}
             for t in [PARITY_TEXT, "Héllo wörld — 42 times, it's  fine!\n\tTabs & émojis 🙂 too.", "x_y = 3.14;"]]
    with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
        json.dump(cases, f)
        f.flush()
        subprocess.run(["node", os.path.join(HERE, "check_tokenizer.mjs"), OUT, f.name], check=True, cwd=HERE)

    torch.manual_seed(0)
    model = RemaskForMaskedLM(CFG).eval()
    checks = export_package(model, OUT, OUT)

    ids = encoder.encode(PARITY_TEXT, add_special=True)
    ids[3] = ids[7] = CFG.mask_token_id  # two masked positions, as the decoder sees them
    input_ids = torch.tensor([ids])
    with torch.no_grad():
        logits = model(input_ids, torch.ones_like(input_ids))
    parity = {"input_ids": [ids], "attention_mask": [[1] * len(ids)],
              "logits": [round(x, 7) for x in logits.flatten().tolist()], "dims": list(logits.shape)}
    with open(os.path.join(OUT, "parity.json"), "w") as f:
        json.dump(parity, f)
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(CARD.format(vocab=VOCAB, d=CFG.hidden_size, layers=CFG.num_hidden_layers,
                            heads=CFG.num_attention_heads, mlp=CFG.intermediate_size, pos=CFG.max_position_embeddings,
                            diff=checks[0]["max_abs_diff"], diff8=checks[1]["max_abs_diff"], diff4=checks[2]["max_abs_diff"]))
    print(f"fixture: {OUT}, parity input {len(ids)} tokens")


if __name__ == "__main__":
    main()
