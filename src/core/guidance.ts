// Classifier-free guidance for masked diffusion (LLaDA, Nie et al. 2025, appendix on CFG; `generate.py`
// `cfg_scale`): logits = un + (w + 1)(cond - un), where `un` comes from the same canvas with the
// conditioning (context) positions masked. w = 0 gives the conditional logits back.

/** out[i] = uncond[i] + (w + 1)(cond[i] - uncond[i]); `out` may be `cond` or `uncond` itself. */
export function applyGuidance(cond: Float32Array, uncond: Float32Array, w: number, out: Float32Array): void {
  if (cond.length !== uncond.length || out.length < cond.length) {
    throw new RangeError(
      `applyGuidance: cond (${cond.length}), uncond (${uncond.length}) and out (${out.length}) must match`,
    );
  }
  const scale = w + 1;
  for (let i = 0; i < cond.length; i++) {
    const un = uncond[i];
    out[i] = un + scale * (cond[i] - un);
  }
}
