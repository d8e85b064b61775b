// Masked-token prediction accuracy of a model on held-out text: mask a fraction of each line's tokens
// (seeded), predict them all in ONE forward pass, and score top-1, top-5 and negative log-likelihood.
// This is the one-step (t = ratio) slice of the masked-diffusion objective the model was trained on.
import { logProbAt } from '../core/log-prob';
import { Rng, sampleDistinct } from '../core/rng';
import type { Engine } from './engine';
import { OptionError, optionText } from '../core/errors';

export interface EvalResult {
  tokens_scored: number;
  top1: number;
  top5: number;
  /** Nats per masked token. */
  nll: number;
}

export interface EvalOptions {
  maskRatio: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export async function evaluateMaskedLm(engine: Engine, lines: string[], options: EvalOptions): Promise<EvalResult> {
  const { maskRatio, seed, onProgress } = options;
  if (!(maskRatio > 0 && maskRatio <= 1)) throw new OptionError(optionText`{maskRatio} must be in (0, 1] (got ${maskRatio}).`);
  const rng = new Rng(seed);
  const vocab = engine.info.vocabSize;
  const maskId = engine.codec.maskId;
  const texts = lines.filter((line) => line.trim().length > 0);
  let scored = 0;
  let top1 = 0;
  let top5 = 0;
  let nll = 0;

  for (let t = 0; t < texts.length; t++) {
    for (const { ids, start, length } of engine.codec.windows(texts[t])) {
      const positions = sampleDistinct(rng, length, Math.max(1, Math.round(maskRatio * length))).map((i) => start + i);
      const truth = Int32Array.from(positions, (p) => ids[p]);
      for (const p of positions) ids[p] = maskId;
      const logits = await engine.denoiser.forward(ids, positions);
      for (let r = 0; r < positions.length; r++) {
        const row = logits.subarray(r * vocab, (r + 1) * vocab);
        const target = row[truth[r]];
        let above = 0; // tokens scored strictly higher than the true one: its rank
        for (let v = 0; v < vocab; v++) if (row[v] > target) above++;
        nll -= logProbAt(row, truth[r]);
        if (above === 0) top1++;
        if (above < 5) top5++;
      }
      scored += positions.length;
    }
    onProgress?.(t + 1, texts.length);
  }
  if (scored === 0) throw new OptionError('The data has no text to score: give a file with at least one non-empty line.');
  return { tokens_scored: scored, top1: top1 / scored, top5: top5 / scored, nll: nll / scored };
}
