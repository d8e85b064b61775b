# Training throughput of this interpreter's PyTorch on the shipped architecture, in tokens/s: the same
# steps train.py takes (batch 24 x 256, masked-position head, bf16 autocast where the CPU has it).
# build.sh trains with whichever torch is faster here; run it under each to compare:
#
#   models/.venv/bin/python models/pipeline/speed.py; /usr/bin/python3 models/pipeline/speed.py
import json
import time

import torch
import torch.nn.functional as F

from model import RemaskConfig, RemaskForMaskedLM
from train import bf16_matmuls


def main(steps=30, warmup=5, batch=24, length=256):
    torch.manual_seed(0)
    cfg = RemaskConfig()
    model = RemaskForMaskedLM(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    bf16 = bf16_matmuls("cpu")
    ids = torch.randint(10, cfg.vocab_size, (batch, length))
    masked = torch.rand(batch, length) < 0.3
    for step in range(warmup + steps):
        if step == warmup:
            start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model.masked_logits(ids.masked_fill(masked, cfg.mask_token_id), torch.ones_like(ids), masked)
        loss = F.cross_entropy(logits.float(), ids[masked])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    seconds = time.perf_counter() - start
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "bf16": bf16,
                      "tokens_per_s": round(steps * batch * length / seconds)}))


if __name__ == "__main__":
    main()
