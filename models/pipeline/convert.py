# Convert a Hugging Face masked-LM checkpoint folder (config.json, the weights, tokenizer.json and
# tokenizer_config.json, as save_pretrained writes them) into a Remask decode package:
#
#   models/.venv/bin/python models/pipeline/convert.py --from DIR --out DIR
#
# Output, in the transformers.js layout: config.json, the tokenizer files, onnx/model.onnx (fp32),
# onnx/model_quantized.onnx (int8 weight-only) and onnx/model_q4.onnx (4-bit MatMulNBits), each the decode
# graph (the LM head only at the masked positions, rows reduced in the graph: decode_graph.py), and a card
# stub README.md. The quantization is export.py's, the one the embedded model ships with. BERT, RoBERTa,
# DistilBERT and ModernBERT heads end in MatMul + bias; a head without a bias stays a full-logits graph,
# which Remask summarizes with its row-summary session instead.
#
# dLLM's ModernBERT-chat diffusion checkpoints convert the same way; their chat template
# ([SYS]...[/SYS], [Question]..., [Answer]...) is kept in tokenizer_config.json and named in the card.
import argparse
import inspect
import json
import os
import shutil

import onnx
import torch
from transformers import AutoConfig, AutoModelForMaskedLM

import decode_graph
from export import quantize_int8, quantize_q4

OPSET = 17  # export.py's: opset 17 has LayerNormalization, which the WebGPU provider runs fused
GRAPH_INPUTS = ("input_ids", "attention_mask", "token_type_ids")  # the order the Hub's exports use


class LogitsOnly(torch.nn.Module):
    """Positional inputs in the graph's order, `logits` out (what the Hub's exports return)."""

    def __init__(self, model, names):
        super().__init__()
        self.model, self.names = model, names

    def forward(self, *inputs):
        return self.model(**dict(zip(self.names, inputs))).logits


def input_names(model, tokenizer_config):
    """The inputs the model takes: the tokenizer's model_input_names where it says, else by the forward's signature."""
    named = tokenizer_config.get("model_input_names")
    takes = inspect.signature(model.forward).parameters
    names = [n for n in GRAPH_INPUTS if (n in named if named else True) and n in takes]
    if "input_ids" not in names or "attention_mask" not in names:
        raise SystemExit(f"the model takes {list(takes)[:6]}...: a masked LM for Remask takes input_ids and attention_mask")
    return tuple(names)


def export_fp32(model, names, path):
    ids = torch.tensor([[1, 2, 3, 4]])
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
    axes = {n: {0: "batch", 1: "sequence"} for n in [*names, "logits"]}
    # The TorchScript exporter (dynamo=False), as export.py: the graph names decode_graph.py reads.
    torch.onnx.export(LogitsOnly(model, names).eval(), tuple(inputs[n] for n in names), path, opset_version=OPSET,
                      dynamo=False, input_names=list(names), output_names=["logits"], dynamic_axes=axes)


def card(source, config, names, sizes, decode, tokenizer_config):
    chat = tokenizer_config.get("chat_template")
    lines = [
        f"# {os.path.basename(os.path.normpath(source))} (converted for Remask)",
        "",
        f"Converted by `models/pipeline/convert.py` from `{os.path.basename(os.path.normpath(source))}`: a `{config.architectures[0] if config.architectures else config.model_type}`"
        f" with a vocabulary of {config.vocab_size} and up to {config.max_position_embeddings} positions; inputs {', '.join(names)}.",
        "",
        "| file | weights | size |",
        "| --- | --- | --- |",
        *[f"| `onnx/{name}` | {kind} | {size / 1e6:.1f} MB |" for name, kind, size in sizes],
        "",
        ("Each graph is a decode graph: the LM head runs only at the masked positions and each row is reduced in"
         " the graph (16 bytes read back per masked position)." if decode else
         "The head has no bias to cut at, so the graphs return logits at every position; Remask reduces the masked"
         " rows in a second session on the same device."),
        "",
        "**Quality is not measured here.** Measure it on held-out text before relying on it:",
        "",
        "```",
        "npx remask eval-model --model THIS_FOLDER --data models/heldout-instructions.txt --mask-ratio 0.15 --json",
        "```",
    ]
    if chat:
        lines += ["", "Its tokenizer_config.json carries a chat template (kept as it is); Remask fills masks in plain text and does not apply it."]
    return "\n".join(lines) + "\n"


def convert(source, out):
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        if not os.path.exists(os.path.join(source, name)):
            raise SystemExit(f"{source} has no {name}: save the model and its fast tokenizer with save_pretrained into one folder")
    config = AutoConfig.from_pretrained(source)
    model = AutoModelForMaskedLM.from_pretrained(source, attn_implementation="eager").eval()
    with open(os.path.join(source, "tokenizer_config.json")) as f:
        tokenizer_config = json.load(f)
    names = input_names(model, tokenizer_config)

    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    config.to_json_file(os.path.join(out, "config.json"))
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(source, name), os.path.join(out, name))
    paths = [os.path.join(out, "onnx", f) for f in ("model.onnx", "model_quantized.onnx", "model_q4.onnx")]
    with torch.no_grad():
        export_fp32(model, names, paths[0])
    quantize_int8(paths[0], paths[1])
    quantize_q4(paths[0], paths[2])
    try:
        decode_graph.main(paths)
        decode = True
    except AssertionError as error:
        print(f"  kept as full-logits graphs: {error}")
        decode = False
    sizes = [(os.path.basename(p), kind, os.path.getsize(p)) for p, kind in zip(paths, ("fp32", "int8", "q4"))]
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(card(source, config, names, sizes, decode, tokenizer_config))
    onnx.checker.check_model(paths[0])
    for name, kind, size in sizes:
        print(f"  onnx/{name} ({kind}): {size / 1e6:.2f} MB")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--from", dest="source", required=True, help="a Hugging Face masked-LM folder (save_pretrained)")
    ap.add_argument("--out", required=True, help="the Remask package folder to write")
    args = ap.parse_args()
    torch.set_num_threads(1)
    convert(args.source, args.out)


if __name__ == "__main__":
    main()
