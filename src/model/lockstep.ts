// Decodes several canvases in lockstep with one batched forward pass per step: each decode runs its
// own sampler loop against a member of the batcher; when every decode still running has asked for
// its next step, the requests go to the model as one batch. The optimizer denoises its N candidates
// this way, so N candidates cost about as many runs as one.
import type { RowSummary } from '../core/confidence';
import type { Denoiser } from '../core/sampler';
import type { CanvasRows, OnnxDenoiser } from './onnx-denoiser';

interface Pending extends CanvasRows {
  suppress?: Uint8Array;
  resolve(value: Float32Array | RowSummary): void;
  reject(error: unknown): void;
}

export interface BatchMember extends Denoiser {
  /** This member's decode has ended (or failed): the others no longer wait for it. */
  done(): void;
}

export class LockstepBatcher {
  readonly #model: OnnxDenoiser;
  #active: number;
  #pending: Pending[] = [];

  constructor(model: OnnxDenoiser, members: number) {
    this.#model = model;
    this.#active = members;
  }

  member(): BatchMember {
    const model = this.#model;
    let finished = false;
    const ask = <T>(rows: CanvasRows, suppress?: Uint8Array) =>
      new Promise<T>((resolve, reject) => {
        this.#pending.push({ ids: rows.ids.slice(), positions: rows.positions.slice(), suppress, resolve: resolve as Pending['resolve'], reject });
        this.#flushWhenAllAsked();
      });
    return {
      vocabSize: model.vocabSize,
      maskId: model.maskId,
      forward: (ids, positions) => ask<Float32Array>({ ids, positions }),
      summarize: model.summarize && ((ids, positions, suppress) => ask<RowSummary>({ ids, positions }, suppress)),
      done: () => {
        if (finished) return;
        finished = true;
        this.#active--;
        this.#flushWhenAllAsked();
      },
    };
  }

  #flushWhenAllAsked(): void {
    if (this.#pending.length === 0 || this.#pending.length < this.#active) return;
    const batch = this.#pending;
    this.#pending = [];
    // Requests for full logits and for summaries (per set of suppressed ids) run as separate batches.
    const groups: { suppress?: Uint8Array; requests: Pending[] }[] = [];
    for (const request of batch) {
      const group = groups.find((g) => sameIds(g.suppress, request.suppress));
      if (group) group.requests.push(request);
      else groups.push({ suppress: request.suppress, requests: [request] });
    }
    for (const { suppress, requests } of groups) {
      const run: Promise<(Float32Array | RowSummary)[]> = suppress ? this.#model.summarizeBatch(requests, suppress) : this.#model.forwardBatch(requests);
      run.then(
        (results) => requests.forEach((r, i) => r.resolve(results[i])),
        (error) => requests.forEach((r) => r.reject(error)),
      );
    }
  }
}

function sameIds(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
