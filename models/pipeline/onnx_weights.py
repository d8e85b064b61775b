# Read a model's weights back out of its fp32 ONNX export (export.py's graph), as a torch state dict.
# No command of its own: train.py --init uses it to continue from a shipped package when the run that
# made it (its checkpoint lives in models/work/, which is not committed) is not on this machine.
#
# export.py keeps LayerNorm, bias and embedding initializers under their torch names; each Linear weight
# is folded into a MatMul's right-hand side [in, out], found through the MatMul's output name
# (/blocks.0/attn/qkv/MatMul_output_0 -> blocks.0.attn.qkv.weight), and stored transposed.
import re

import onnx
import torch
from onnx import numpy_helper


def state_dict_from_onnx(path):
    graph = onnx.load(path).graph
    arrays = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    state = {name: torch.from_numpy(a.copy()) for name, a in arrays.items() if re.match(r"(blocks|tok_emb|pos_emb|ln_f|head_bias)", name)}
    for node in graph.node:
        match = re.fullmatch(r"/(.+)/MatMul_output_0", node.output[0]) if node.op_type == "MatMul" else None
        if match and node.input[1] in arrays and node.input[1].startswith("onnx::"):
            # nn.Sequential scopes repeat the module name: /blocks.0/mlp/mlp.0/MatMul -> blocks.0.mlp.0
            name = re.sub(r"/[^/]*?(\w+)\.(\d+)$", r".\2", match.group(1)).replace("/", ".") + ".weight"
            state[name] = torch.from_numpy(arrays[node.input[1]].T.copy())
    return state
