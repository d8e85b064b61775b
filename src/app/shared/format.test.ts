import { describe, expect, it } from 'vitest';
import { modelName } from './format';

describe('a model name', () => {
  it('is the folder of a package, and the repository of a Hub URL rather than its revision', () => {
    expect(modelName('https://huggingface.co/jhu-clsp/ettin-encoder-17m/resolve/main/')).toBe('ettin-encoder-17m');
    expect(modelName('https://huggingface.co/Xenova/bert-base-uncased/resolve/v1.2')).toBe('bert-base-uncased');
    expect(modelName('http://127.0.0.1:8080/models/remask-mini/')).toBe('remask-mini');
    expect(modelName('/fixtures/tiny-model/')).toBe('tiny-model');
  });
});
