# Rewrites an exported masked-LM graph into the graph the decoder runs: the LM head only at the
# positions still masked, and each of those rows reduced in the graph to what greedy selection needs,
# so a WebGPU step reads back 16 bytes per masked position instead of the whole vocabulary.
#
#   models/.venv/bin/python models/pipeline/decode_graph.py models/remask-mini/onnx/*.onnx
#   models/.venv/bin/python models/pipeline/decode_graph.py --row-summary src/model/row-summary-graph.ts
#
# Before: input_ids, attention_mask [batch, seq] -> logits [batch, seq, vocab].
# After:  + positions [batch, P] (int64, indices into seq) and logit_bias [vocab] (float, added to every
#         row; a large negative value suppresses a token) ->
#         logits [batch, P, vocab], top_id [batch, P] (int32), top_logprob, second_logprob and
#         entropy [batch, P] (float; log-softmax of the best and runner-up tokens, softmax entropy).
# Only operators that onnxruntime-web's WebGPU provider runs are used (no TopK, no OneHot): the
# runner-up is the max after the top value is pushed down; ArgMax keeps ties on the lower index.
import base64
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


class Builder:
    """Nodes and constants appended under one name prefix."""

    def __init__(self, prefix):
        self.prefix, self.nodes, self.inits = prefix, [], []

    def const(self, name, value, dtype=np.int64):
        self.inits.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def node(self, op, inputs, output, **attrs):
        self.nodes.append(helper.make_node(op, inputs, [output], name=f"{self.prefix}/{output}", **attrs))
        return output


def gather_rows(b, tensor):
    """The rows of a [B, S, W] tensor at `positions` [B, P], as [B, P, W]: flatten to [B*S, W], offset row b by b*S."""
    shape = b.node("Shape", [tensor], "dg_shape")
    batch = b.node("Gather", [shape, b.const("dg_0", 0)], "dg_batch")
    seq = b.node("Gather", [shape, b.const("dg_1", 1)], "dg_seq")
    width = b.node("Gather", [shape, b.const("dg_2", 2)], "dg_width")
    flat_shape = b.node("Concat", [b.const("dg_minus1", [-1]), b.node("Unsqueeze", [width, b.const("dg_ax0", [0])], "dg_width1")], "dg_flat_shape", axis=0)
    flat = b.node("Reshape", [tensor, flat_shape], "dg_flat")
    rows = b.node("Range", [b.const("dg_zero", 0), batch, b.const("dg_one", 1)], "dg_rows")
    offsets = b.node("Unsqueeze", [b.node("Mul", [rows, seq], "dg_row_offsets"), b.const("dg_ax1", [1])], "dg_offsets")
    index = b.node("Reshape", [b.node("Add", ["positions", offsets], "dg_index2d"), b.const("dg_flat1", [-1])], "dg_index")
    picked = b.node("Gather", [flat, index], "dg_picked", axis=0)
    out_shape = b.node("Concat", [b.node("Unsqueeze", [batch, b.const("dg_ax0b", [0])], "dg_batch1"), b.const("dg_minus1b", [-1]),
                                  b.node("Unsqueeze", [width, b.const("dg_ax0c", [0])], "dg_width2")], "dg_out_shape", axis=0)
    return b.node("Reshape", [picked, out_shape], "dg_rows_at_positions")


def summarize_rows(b, raw, logits="logits"):
    """Bias the rows [B, P, V] into `logits`, then reduce each to top_id, top_logprob, second_logprob, entropy."""
    logits = b.node("Add", [raw, "logit_bias"], logits)
    best = b.node("ReduceMax", [logits], "dg_best", axes=[-1], keepdims=1)
    lse = b.node("ReduceLogSumExp", [logits], "dg_lse", axes=[-1], keepdims=1)
    argmax = b.node("ArgMax", [logits], "dg_argmax", axis=-1, keepdims=1, select_last_index=0)
    b.node("Cast", [b.node("Squeeze", [argmax, b.const("dg_axm1", [-1])], "dg_argmax_flat")], "top_id", to=TensorProto.INT32)
    # Float ops only on the [batch, P, vocab] tensor, so it stays on the GPU (WebGPU runs few int64
    # ops); on an exact tie for the top the runner-up reads lower, a margin of the tie's size.
    is_top = b.node("Equal", [logits, best], "dg_is_top")
    others = b.node("Where", [is_top, b.const("dg_suppressed", np.float32(SUPPRESSED), np.float32), logits], "dg_others")
    second = b.node("ReduceMax", [others], "dg_second", axes=[-1], keepdims=1)
    b.node("Squeeze", [b.node("Sub", [best, lse], "dg_top_lp"), b.const("dg_axm1b", [-1])], "top_logprob")
    b.node("Squeeze", [b.node("Sub", [second, lse], "dg_second_lp"), b.const("dg_axm1c", [-1])], "second_logprob")
    logp = b.node("Sub", [logits, lse], "dg_logp")
    plogp = b.node("Mul", [b.node("Exp", [logp], "dg_p"), logp], "dg_plogp")
    b.node("Neg", [b.node("ReduceSum", [plogp, b.const("dg_axes_last", [-1])], "dg_neg_entropy", keepdims=0)], "entropy")


def summary_outputs(vocab):
    return [
        helper.make_tensor_value_info("top_id", TensorProto.INT32, ["batch", "positions"]),
        helper.make_tensor_value_info("top_logprob", TensorProto.FLOAT, ["batch", "positions"]),
        helper.make_tensor_value_info("second_logprob", TensorProto.FLOAT, ["batch", "positions"]),
        helper.make_tensor_value_info("entropy", TensorProto.FLOAT, ["batch", "positions"]),
    ]


def rewrite(model, vocab):
    g = model.graph
    if any(i.name == "positions" for i in g.input):
        return model  # already a decode graph
    matmul, add = head_nodes(g)
    gather = Builder("decode")
    matmul.input[0] = gather_rows(gather, matmul.input[0])
    reduce = Builder("decode")
    raw = "dg_logits_raw"
    add.output[0] = raw
    summarize_rows(reduce, raw)

    # Keep the graph topologically sorted: the gather just before the head, the reductions at the end.
    ordered = list(g.node)
    at = ordered.index(matmul)
    del g.node[:]
    g.node.extend(ordered[:at] + gather.nodes + ordered[at:] + reduce.nodes)
    g.initializer.extend(gather.inits + reduce.inits)
    g.input.append(helper.make_tensor_value_info("positions", TensorProto.INT64, ["batch", "positions"]))
    g.input.append(helper.make_tensor_value_info("logit_bias", TensorProto.FLOAT, [vocab]))
    del g.output[:]
    g.output.extend([helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "positions", vocab])] + summary_outputs(vocab))
    onnx.checker.check_model(model)
    return model


def row_summary_model(logits_type=TensorProto.FLOAT):
    """
    The same reduction as a graph of its own, for masked LMs that return logits at every position (Hub
    exports): logits [batch, seq, vocab], positions, logit_bias -> top_id, top_logprob, second_logprob,
    entropy. Run on the device that holds the logits, it reads back 16 bytes per masked position.
    `logits_type` FLOAT16 takes an fp16 export's logits and reduces the gathered rows in float32 (a
    softmax over 50k terms in fp16 loses the runner-up's log-probability).
    """
    b = Builder("row_summary")
    logits = "all_logits"
    if logits_type == TensorProto.FLOAT16:
        logits = b.node("Cast", [logits], "dg_all_logits_f32", to=TensorProto.FLOAT)
    summarize_rows(b, gather_rows(b, logits), logits="dg_biased")
    graph = helper.make_graph(
        b.nodes,
        "row_summary",
        [
            helper.make_tensor_value_info("all_logits", logits_type, ["batch", "seq", "vocab"]),
            helper.make_tensor_value_info("positions", TensorProto.INT64, ["batch", "positions"]),
            helper.make_tensor_value_info("logit_bias", TensorProto.FLOAT, ["vocab"]),
        ],
        summary_outputs("vocab"),
        b.inits,
    )
    # Opset 17 as the exports use (ReduceMax/ReduceLogSumExp take axes as an attribute there).
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="remask decode_graph.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_row_summary(path):
    """The row-summary graphs as a TypeScript module (base64), so Node, the CLI bundle and the browser load them alike."""
    parts = ["// Generated by models/pipeline/decode_graph.py --row-summary (do not edit): the ONNX graphs that reduce\n"
             "// a full-logits masked LM's rows at the masked positions on the device that holds them (see row_summary_model),\n"
             "// for float32 logits and for an fp16 export's float16 logits.\n"]
    for name, logits_type in (("rowSummaryGraphBase64", TensorProto.FLOAT), ("rowSummaryGraphF16Base64", TensorProto.FLOAT16)):
        data = base64.b64encode(row_summary_model(logits_type).SerializeToString()).decode()
        lines = [data[i:i + 100] for i in range(0, len(data), 100)]
        body = "\n".join(f"  '{line}' +" for line in lines)[:-2]
        parts.append(f"export const {name} =\n{body};\n")
        print(f"{path}: {name}, {len(data) * 3 // 4} bytes")
    with open(path, "w") as f:
        f.write("".join(parts))


def main(paths):
    for path in paths:
        model = onnx.load(path)
        vocab = next(d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim[2:3])
        if not vocab:
            raise SystemExit(f"{path}: the logits output has no static vocabulary size")
        onnx.save(rewrite(model, vocab), path)
        print(f"{path}: decode graph (positions, logit_bias -> logits, top_id, top_logprob, second_logprob, entropy)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--row-summary"]:
        write_row_summary(sys.argv[2])
    else:
        main(sys.argv[1:])
