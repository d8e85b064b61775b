# Rewrites an exported masked-LM graph into the graph the decoder runs: the LM head only at the
# positions still masked, and each of those rows reduced in the graph to what greedy selection needs,
# so a WebGPU step reads back 16 bytes per masked position instead of the whole vocabulary.
#
#   models/.venv/bin/python models/pipeline/decode_graph.py models/remask-mini/onnx/*.onnx
#
# Before: input_ids, attention_mask [batch, seq] -> logits [batch, seq, vocab].
# After:  + positions [batch, P] (int64, indices into seq) and logit_bias [vocab] (float, added to every
#         row; a large negative value suppresses a token) ->
#         logits [batch, P, vocab], top_id [batch, P] (int32), top_logprob, second_logprob and
#         entropy [batch, P] (float; log-softmax of the best and runner-up tokens, softmax entropy).
# Only operators that onnxruntime-web's WebGPU provider runs are used (no TopK, no OneHot): the
# runner-up is the max after the top value is pushed down; ArgMax keeps ties on the lower index.
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SUPPRESSED = -1e9  # finite, so exp() gives 0 and 0 * log p stays 0 in the entropy (no NaN)


def head_nodes(graph, output="logits"):
    """The head's MatMul and the Add of its bias that produces the logits."""
    producers = {o: n for n in graph.node for o in n.output}
    add = producers[output]
    inits = {i.name for i in graph.initializer}
    assert add.op_type == "Add", f"expected the logits to come from an Add, got {add.op_type}"
    matmul = next(producers[i] for i in add.input if i not in inits)
    assert matmul.op_type in ("MatMul", "MatMulNBits"), matmul.op_type
    return matmul, add


def rewrite(model, vocab):
    g = model.graph
    if any(i.name == "positions" for i in g.input):
        return model  # already a decode graph
    matmul, add = head_nodes(g)
    hidden = matmul.input[0]
    nodes, inits = [], []

    def const(name, value, dtype=np.int64):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], name=f"decode/{output}", **attrs))
        return output

    # Gather the hidden rows at `positions`: flatten [B, S, D] to [B*S, D], offset row b by b*S.
    shape = node("Shape", [hidden], "dg_shape")
    batch = node("Gather", [shape, const("dg_0", 0)], "dg_batch")
    seq = node("Gather", [shape, const("dg_1", 1)], "dg_seq")
    width = node("Gather", [shape, const("dg_2", 2)], "dg_width")
    flat_shape = node("Concat", [const("dg_minus1", [-1]), node("Unsqueeze", [width, const("dg_ax0", [0])], "dg_width1")], "dg_flat_shape", axis=0)
    flat = node("Reshape", [hidden, flat_shape], "dg_flat")
    rows = node("Range", [const("dg_zero", 0), batch, const("dg_one", 1)], "dg_rows")
    offsets = node("Unsqueeze", [node("Mul", [rows, seq], "dg_row_offsets"), const("dg_ax1", [1])], "dg_offsets")
    index = node("Reshape", [node("Add", ["positions", offsets], "dg_index2d"), const("dg_flat1", [-1])], "dg_index")
    picked = node("Gather", [flat, index], "dg_picked", axis=0)
    out_shape = node("Concat", [node("Unsqueeze", [batch, const("dg_ax0b", [0])], "dg_batch1"), const("dg_minus1b", [-1]),
                                node("Unsqueeze", [width, const("dg_ax0c", [0])], "dg_width2")], "dg_out_shape", axis=0)
    at_positions = node("Reshape", [picked, out_shape], "dg_hidden_at_positions")
    matmul.input[0] = at_positions
    gather_nodes, nodes = nodes, []

    # Bias the logits, then reduce each row.
    raw = "dg_logits_raw"
    add.output[0] = raw
    logits = node("Add", [raw, "logit_bias"], "logits")
    best = node("ReduceMax", [logits], "dg_best", axes=[-1], keepdims=1)
    lse = node("ReduceLogSumExp", [logits], "dg_lse", axes=[-1], keepdims=1)
    argmax = node("ArgMax", [logits], "dg_argmax", axis=-1, keepdims=1, select_last_index=0)
    node("Cast", [node("Squeeze", [argmax, const("dg_axm1", [-1])], "dg_argmax_flat")], "top_id", to=TensorProto.INT32)
    # Float ops only on the [batch, P, vocab] tensor, so it stays on the GPU (WebGPU runs few int64
    # ops); on an exact tie for the top the runner-up reads lower, a margin of the tie's size.
    is_top = node("Equal", [logits, best], "dg_is_top")
    others = node("Where", [is_top, const("dg_suppressed", np.float32(SUPPRESSED), np.float32), logits], "dg_others")
    second = node("ReduceMax", [others], "dg_second", axes=[-1], keepdims=1)
    node("Squeeze", [node("Sub", [best, lse], "dg_top_lp"), const("dg_axm1b", [-1])], "top_logprob")
    node("Squeeze", [node("Sub", [second, lse], "dg_second_lp"), const("dg_axm1c", [-1])], "second_logprob")
    logp = node("Sub", [logits, lse], "dg_logp")
    plogp = node("Mul", [node("Exp", [logp], "dg_p"), logp], "dg_plogp")
    node("Neg", [node("ReduceSum", [plogp, const("dg_axes_last", [-1])], "dg_neg_entropy", keepdims=0)], "entropy")

    # Keep the graph topologically sorted: the gather just before the head, the reductions at the end.
    ordered = list(g.node)
    at = ordered.index(matmul)
    del g.node[:]
    g.node.extend(ordered[:at] + gather_nodes + ordered[at:] + nodes)
    g.initializer.extend(inits)
    g.input.append(helper.make_tensor_value_info("positions", TensorProto.INT64, ["batch", "positions"]))
    g.input.append(helper.make_tensor_value_info("logit_bias", TensorProto.FLOAT, [vocab]))
    del g.output[:]
    g.output.extend([
        helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "positions", vocab]),
        helper.make_tensor_value_info("top_id", TensorProto.INT32, ["batch", "positions"]),
        helper.make_tensor_value_info("top_logprob", TensorProto.FLOAT, ["batch", "positions"]),
        helper.make_tensor_value_info("second_logprob", TensorProto.FLOAT, ["batch", "positions"]),
        helper.make_tensor_value_info("entropy", TensorProto.FLOAT, ["batch", "positions"]),
    ])
    onnx.checker.check_model(model)
    return model


def main(paths):
    for path in paths:
        model = onnx.load(path)
        vocab = next(d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim[2:3])
        if not vocab:
            raise SystemExit(f"{path}: the logits output has no static vocabulary size")
        onnx.save(rewrite(model, vocab), path)
        print(f"{path}: decode graph (positions, logit_bias -> logits, top_id, top_logprob, second_logprob, entropy)")


if __name__ == "__main__":
    main(sys.argv[1:])
