import { describe, expect, it } from 'vitest';
import { packageSource } from './model-source';

describe('packageSource', () => {
  it('turns a Hub id into its resolve/main folder', () => {
    expect(packageSource(' Xenova/bert-base-uncased ')).toBe('https://huggingface.co/Xenova/bert-base-uncased/resolve/main/');
  });

  it('keeps URLs and paths as folders, also when a file of the package was pasted', () => {
    expect(packageSource('http://127.0.0.1:8080/models/tiny')).toBe('http://127.0.0.1:8080/models/tiny/');
    expect(packageSource('https://example.org/m/config.json')).toBe('https://example.org/m/');
    expect(packageSource('/fixtures/tiny-model/')).toBe('/fixtures/tiny-model/');
  });

  it('says what to enter when the text is neither', () => {
    expect(() => packageSource('bert')).toThrow(/neither a Hub model id .* nor a URL/);
  });
});
