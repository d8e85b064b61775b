# Export a trained checkpoint as a model package: config.json, tokenizer files, onnx/model.onnx (fp32),
# onnx/model_quantized.onnx (int8 weight-only) and onnx/model_q4.onnx (4-bit MatMulNBits); then run
# each ONNX file in onnxruntime-web under Node and compare its logits with torch's.
#
#   models/.venv/bin/python models/pipeline/export.py --ckpt models/work/ckpt.pt \
#       --tokenizer models/work/tokenizer --out models/remask-mini
#
# The quantized graphs are written by graph surgery on the fp32 export with the `onnx` package
# (there is no Python onnxruntime here), using only nodes the WebGPU provider runs on the GPU:
# DequantizeLinear + MatMul/Gather for int8 (not DynamicQuantizeLinear/MatMulInteger, which fall
# back to the CPU) and com.microsoft MatMulNBits for 4-bit.
import argparse
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

import decode_graph
from model import RemaskConfig, RemaskForMaskedLM

OPSET = 17
HERE = os.path.dirname(os.path.abspath(__file__))


def drop_initializers(graph, names):
    kept = [i for i in graph.initializer if i.name not in names]
    del graph.initializer[:]
    graph.initializer.extend(kept)


def export_fp32(model, path):
    model.eval()
    ids = torch.tensor([[model.cfg.bos_token_id, model.cfg.mask_token_id, model.cfg.eos_token_id]])
    # The TorchScript exporter (dynamo=False): torch 2.9+ defaults to the dynamo one, which names and folds
    # the graph differently from what the surgery below and decode_graph.py read.
    torch.onnx.export(model, (ids, torch.ones_like(ids)), path, opset_version=OPSET, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch", 1: "sequence"}})
    # The tied head exports as a constant-folded, transposed copy of the embedding table; swap it for
    # a Transpose of the table itself so the file (and every quantized variant) stores the table once.
    m = onnx.load(path)
    g = m.graph
    table = next(i for i in g.initializer if i.name == "tok_emb.weight")
    table_t = numpy_helper.to_array(table).T
    copy = next(i for i in g.initializer if list(i.dims) == list(table_t.shape)
                and np.array_equal(numpy_helper.to_array(i), table_t))
    drop_initializers(g, {copy.name})
    g.node.insert(0, helper.make_node("Transpose", [table.name], [copy.name], name="tied_head_transpose", perm=[1, 0]))
    onnx.checker.check_model(m)
    onnx.save(m, path)


def weight_uses(graph):
    """Initializers used as a MatMul's right-hand side (2-D [K, N]) and as a Gather's table."""
    inits = {i.name: i for i in graph.initializer}
    matmul, gather = set(), set()
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in inits and len(inits[node.input[1]].dims) == 2:
            matmul.add(node.input[1])
        if node.op_type == "Gather" and node.input[0] in inits:
            gather.add(node.input[0])
    return inits, matmul, gather


def int8_per_channel(w, axis):
    """Symmetric int8 with one scale per slice along `axis` (per output column of a MatMul weight,
    per token row of the embedding table)."""
    reduce = tuple(a for a in range(w.ndim) if a != axis)
    scale = np.maximum(np.abs(w).max(axis=reduce), 1e-8) / 127.0
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.round(w / scale.reshape(shape)), -127, 127).astype(np.int8)
    return q, scale.astype(np.float32)


def dequantize_node(graph, name, w, axis):
    """Replace initializer `name` by int8 + scales and a DequantizeLinear whose output keeps the old
    name, so every consumer (Gather, tied-head Transpose, MatMul) reads the dequantized table."""
    q, scale = int8_per_channel(w, axis)
    graph.initializer.extend([numpy_helper.from_array(q, name + "_int8"),
                              numpy_helper.from_array(scale, name + "_scale"),
                              numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), name + "_zero")])
    return helper.make_node("DequantizeLinear", [name + "_int8", name + "_scale", name + "_zero"], [name],
                            name=name + "_dequantize", axis=axis)


def quantize_int8(src, dst):
    m = onnx.load(src)
    g = m.graph
    inits, matmul, gather = weight_uses(g)
    arrays = {n: numpy_helper.to_array(inits[n]) for n in matmul | gather}
    drop_initializers(g, matmul | gather)
    new_nodes = [dequantize_node(g, n, arrays[n], 1) for n in sorted(matmul)]
    new_nodes += [dequantize_node(g, n, arrays[n], 0) for n in sorted(gather)]
    nodes = new_nodes + list(g.node)  # dequantize first keeps the node list topologically sorted
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(m)
    onnx.save(m, dst)


Q4_BLOCK = 32
Q4_SCALES = np.linspace(0.6, 1.0, 21)  # candidate block scales, as multiples of absmax / 7


def pack_q4(w):
    """MatMulNBits layout (onnxruntime contrib_ops, bits=4): B [K, N] is stored transposed, per output
    column n in blocks of 32 along K; each block is 16 bytes, element 2j in the low nibble of byte j and
    element 2j+1 in the high nibble. Symmetric: q = round(w / scale) + 8 in [0, 15], and with no
    zero_points input the kernel subtracts the default zero point 8.
    Each block's scale is the one of Q4_SCALES x absmax/7 with the least squared error: clipping the
    largest weight a little buys finer steps for all the others (on the parity check's random inputs,
    top-1 agreement with fp32 went from 0.854 with absmax/7 to 0.875)."""
    k, n = w.shape
    blocks = (k + Q4_BLOCK - 1) // Q4_BLOCK
    wt = np.zeros((n, blocks * Q4_BLOCK), np.float32)
    wt[:, :k] = w.T
    wt = wt.reshape(n, blocks, Q4_BLOCK)
    absmax = np.maximum(np.abs(wt).max(axis=2), 1e-8) / 7.0
    best_err = np.full(absmax.shape, np.inf, np.float32)
    scale = absmax.copy()
    for ratio in Q4_SCALES:
        s = absmax * ratio
        err = ((np.clip(np.round(wt / s[:, :, None]), -8, 7) * s[:, :, None] - wt) ** 2).sum(axis=2)
        better = err < best_err
        best_err[better], scale[better] = err[better], s[better]
    q = (np.clip(np.round(wt / scale[:, :, None]), -8, 7) + 8).astype(np.uint8)
    packed = q[:, :, 0::2] | (q[:, :, 1::2] << 4)
    return packed, scale.astype(np.float32).reshape(-1)


def quantize_q4(src, dst):
    m = onnx.load(src)
    g = m.graph
    inits, matmul, gather = weight_uses(g)
    arrays = {n: numpy_helper.to_array(inits[n]) for n in matmul | gather}
    drop_initializers(g, matmul | gather)
    nodes = [dequantize_node(g, n, arrays[n], 0) for n in sorted(gather)]  # embedding stays int8
    for node in g.node:
        if node.op_type == "MatMul" and node.input[1] in matmul:
            w = arrays[node.input[1]]
            packed, scale = pack_q4(w)
            g.initializer.extend([numpy_helper.from_array(packed, node.input[1] + "_q4"),
                                  numpy_helper.from_array(scale, node.input[1] + "_q4_scale")])
            node = helper.make_node("MatMulNBits", [node.input[0], node.input[1] + "_q4", node.input[1] + "_q4_scale"],
                                    list(node.output), name=node.name + "_q4", domain="com.microsoft",
                                    K=w.shape[0], N=w.shape[1], bits=4, block_size=Q4_BLOCK)
        nodes.append(node)
    del g.node[:]
    g.node.extend(nodes)
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    onnx.save(m, dst)  # the onnx checker does not know contrib ops; check_onnx.mjs loads and runs it


def check_case(model, seed=0, batch=2, seq=24):
    """A random batch with padding at the end of the second row and a few <mask> ids."""
    g = torch.Generator().manual_seed(seed)
    cfg = model.cfg
    ids = torch.randint(10, cfg.vocab_size, (batch, seq), generator=g)
    ids[:, 0], ids[:, 3], ids[:, 7] = cfg.bos_token_id, cfg.mask_token_id, cfg.mask_token_id
    mask = torch.ones_like(ids)
    mask[-1, seq * 2 // 3:] = 0
    ids[mask == 0] = cfg.pad_token_id
    return ids, mask


def run_checks(model, onnx_paths):
    """Torch logits vs onnxruntime-web's for each file; returns the parsed JSON lines."""
    ids, mask = check_case(model)
    with torch.no_grad():
        logits = model(ids, mask).numpy().astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        logits.tofile(os.path.join(tmp, "logits.f32"))
        case = {"input_ids": ids.tolist(), "attention_mask": mask.tolist(), "dims": list(logits.shape),
                "logits_file": os.path.join(tmp, "logits.f32")}
        with open(os.path.join(tmp, "case.json"), "w") as f:
            json.dump(case, f)
        out = subprocess.run(["node", os.path.join(HERE, "check_onnx.mjs"), os.path.join(tmp, "case.json"),
                              *map(os.path.abspath, onnx_paths)], capture_output=True, text=True, cwd=os.path.dirname(HERE))
    if out.returncode != 0:
        raise RuntimeError(f"check_onnx.mjs failed:\n{out.stdout}\n{out.stderr}")
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    for r in results:
        print(f"  {os.path.basename(r['model']):24s} max|diff| {r['max_abs_diff']:.2e}  top-1 agreement {r['top1_agreement']:.3f}")
    return results


def export_package(model, tokenizer_dir, out_dir):
    os.makedirs(os.path.join(out_dir, "onnx"), exist_ok=True)
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(model.cfg.to_hf(), f, indent=2)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        if os.path.abspath(tokenizer_dir) != os.path.abspath(out_dir):
            shutil.copy(os.path.join(tokenizer_dir, name), os.path.join(out_dir, name))
    paths = [os.path.join(out_dir, "onnx", f) for f in ("model.onnx", "model_quantized.onnx", "model_q4.onnx")]
    export_fp32(model, paths[0])
    quantize_int8(paths[0], paths[1])
    quantize_q4(paths[0], paths[2])
    # Last, so each weight format gets the same head: computed at the masked positions only, reduced in-graph.
    decode_graph.main(paths)
    for p in paths:
        print(f"  {p}: {os.path.getsize(p) / 1e6:.2f} MB")
    return run_checks(model, paths)


def load_checkpoint(path):
    ckpt = torch.load(path, map_location="cpu")
    model = RemaskForMaskedLM(RemaskConfig(**ckpt["model_config"]))
    model.load_state_dict(ckpt["best_model"] if "best_model" in ckpt else ckpt["model"])
    return model.eval()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="models/work/ckpt.pt")
    ap.add_argument("--tokenizer", default="models/work/tokenizer")
    ap.add_argument("--out", default="models/remask-mini")
    args = ap.parse_args()
    export_package(load_checkpoint(args.ckpt), args.tokenizer, args.out)


if __name__ == "__main__":
    main()
