// The engine lays text out as a canvas the model was trained on and decodes it back.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionState } from '../core/canvas';
import { Engine } from './engine';

const fixture = fileURLToPath(new URL('../../test/fixtures/tiny-model', import.meta.url));
let engine: Engine;

beforeAll(async () => {
  engine = await Engine.load({ model: fixture, quantization: 'fp32', backend: 'wasm' });
});
afterAll(() => engine.dispose());

describe('the engine on the fixture model', () => {
  it('wraps the text in the tokenizer special tokens, locked, with one masked position per [MASK]', () => {
    const canvas = engine.codec.encodeInfill('You are a [MASK] assistant.');
    const states = Array.from(canvas.state);
    expect(canvas.ids[0]).toBe(2); // <s>
    expect(canvas.ids[canvas.ids.length - 1]).toBe(3); // </s>
    expect(states[0]).toBe(PositionState.locked);
    expect(states[states.length - 1]).toBe(PositionState.locked);
    expect(states.filter((s) => s === PositionState.masked)).toHaveLength(1);
    expect(canvas.ids[states.indexOf(PositionState.masked)]).toBe(engine.codec.maskId);
  });

  it('gives the space before a [MASK] to the token written there', () => {
    // Byte-level BPE keeps a word's leading space inside its token: "You are a" + " helpful".
    const canvas = engine.codec.encodeInfill('You are a [MASK] assistant.');
    const ids = Array.from(canvas.ids);
    const text = engine.codec.decodeText(Int32Array.from(ids.filter((id) => id !== engine.codec.maskId)));
    expect(text).toBe('You are a assistant.');
  });

  it('keeps every non-masked token of the text byte for byte', async () => {
    const result = await engine.infill('Keep this [MASK] exactly, please.', { steps: 1 });
    expect(result.text.startsWith('Keep this')).toBe(true);
    expect(result.text.endsWith(' exactly, please.')).toBe(true);
  });

  it('rejects a misspelt decoding setting instead of ignoring it', async () => {
    await expect(engine.infill('a [MASK]', { stepz: 3 } as object)).rejects.toThrow(/Unknown decoding setting "stepz"/);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('Stopped.', 'AbortError'));
    await expect(engine.infill('a [MASK] [MASK]', {}, undefined, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
