// The Playground's state: the text with its masks, one or two strategies, the decodes they produced
// and the step the scrubber shows. Each decode is saved to History as part of this visit's session.
import { createContext } from 'svelte';
import { isAbort } from '../engine-client';
import type { EngineState } from '../engine.svelte';
import { newId, titleOf, type PlaygroundRecord } from '../history/records';
import { saveRecord } from '../history/store';
import { describeError } from '../shared/describe-error';
import { DecodeSide } from './decode-side.svelte';
import { readStored, writeStored } from '../shared/stored';
import { maskCount } from './replay';
import { decodeSettings, defaultStrategies } from './strategy';

export const exampleText = 'The [MASK] sat on the [MASK] and looked out of the window.';
const textKey = 'remask.playgroundText';

export class PlaygroundState {
  readonly a = new DecodeSide('A', defaultStrategies.A);
  readonly b = new DecodeSide('B', defaultStrategies.B);
  /** The text to decode, kept across reloads. */
  #text = $state(typeof readStored(textKey) === 'string' ? (readStored(textKey) as string) : exampleText);
  compare = $state(false);
  #shown = $state(0);
  #running = $state(false);
  #replaying = $state(false);
  #replayTimer: ReturnType<typeof setInterval> | undefined;
  #session: PlaygroundRecord | null = null;
  readonly #engine: EngineState;

  constructor(engine: EngineState) {
    this.#engine = engine;
  }

  get text() {
    return this.#text;
  }
  set text(text: string) {
    this.#text = text;
    writeStored(textKey, text);
  }

  get masks() {
    return maskCount(this.text);
  }
  get running() {
    return this.#running;
  }
  get replaying() {
    return this.#replaying;
  }
  get sides(): DecodeSide[] {
    return this.compare ? [this.a, this.b] : [this.a];
  }
  /** The most steps any shown side took: the scrubber's range. */
  get maxStep() {
    return Math.max(0, ...this.sides.map((s) => s.steps.length));
  }
  /** The step the scrubber shows (0 = all masked). */
  get shown() {
    return Math.min(this.#shown, this.maxStep);
  }
  set shown(step: number) {
    this.#shown = step;
  }

  async decode(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    const input = this.text;
    try {
      for (const side of this.sides) {
        side.start(input);
        try {
          const result = await this.#engine.infill(input, decodeSettings(side.strategy), (step) => {
            side.step(step);
            this.#shown = side.steps.length;
          });
          side.finish(result);
          await this.#save(side);
        } catch (error) {
          if (isAbort(error)) {
            side.stop();
            break;
          }
          side.fail(describeError(error));
        }
      }
    } finally {
      this.#running = false;
      this.#shown = this.maxStep;
    }
  }

  stop(): void {
    this.#engine.cancel();
  }

  /** Plays the decode from the first step to the last, one step every `ms`; again to pause. */
  replay(ms = 600): void {
    if (this.#replaying) return this.#endReplay();
    this.#replaying = true;
    this.#shown = 0;
    this.#replayTimer = setInterval(() => {
      if (this.#shown >= this.maxStep) this.#endReplay();
      else this.#shown++;
    }, ms);
  }

  #endReplay(): void {
    clearInterval(this.#replayTimer);
    this.#replaying = false;
  }

  async #save(side: DecodeSide): Promise<void> {
    const { result, steps, input } = side;
    if (!result) return;
    const now = Date.now();
    this.#session ??= { kind: 'playground', id: newId(), title: '', createdAt: now, updatedAt: now, model: this.#engine.info?.model ?? '', decodes: [] };
    this.#session.decodes.push({ input, settings: decodeSettings(side.strategy), result: { text: result.text, steps: result.steps, nfe: result.nfe, ms: result.ms }, steps, side: side.name });
    this.#session.title = titleOf(input);
    this.#session.updatedAt = now;
    await saveRecord(this.#session).catch(() => {});
  }

  /** Opens a saved session: its last decode (and the one before it, when that was side B's partner). */
  open(record: PlaygroundRecord): void {
    const last = record.decodes.at(-1);
    if (!last) return;
    const partner = record.decodes.at(-2);
    const pair = last.side === 'B' && partner?.side === 'A' && partner.input === last.input;
    this.text = last.input;
    this.compare = pair;
    const restore = (side: DecodeSide, decode: typeof last) => {
      side.strategy = { ...side.strategy, ...decode.settings } as typeof side.strategy;
      side.restore(decode.input, decode.steps, { ...decode.result });
    };
    if (pair) {
      restore(this.a, partner);
      restore(this.b, last);
    } else {
      restore(this.a, last);
    }
    this.#session = record;
    this.#shown = this.maxStep;
  }
}

export const [getPlayground, setPlayground] = createContext<PlaygroundState>();
