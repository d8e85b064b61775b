// Which model the page loads: the address (?model=&backend=&quant=, as tests and links use) wins, then
// the one last chosen in Models (remembered on this device), then the embedded model.
import { defaultQuantization, embeddedModelName } from '../model/embedded';
import { parseBackend, parseQuantization } from '../model/options';
import type { ModelChoice } from './engine.svelte';
import { readStored, writeStored } from './shared/stored';

const storageKey = 'remask.model';

export const embeddedModelUrl = `${import.meta.env.BASE_URL}models/${embeddedModelName}/`;

export function initialChoice(): ModelChoice {
  const params = new URLSearchParams(location.search);
  const remembered = readRemembered();
  const backend = parseBackend(params.get('backend') ?? remembered?.backend ?? 'auto');
  const model = params.get('model') ?? remembered?.model ?? embeddedModelUrl;
  const quant = params.get('quant') ?? (params.has('model') ? null : remembered?.quantization) ?? defaultQuantization(backend);
  return { model, backend, quantization: parseQuantization(quant) };
}

export function rememberChoice(choice: ModelChoice): void {
  writeStored(storageKey, choice);
}

function readRemembered(): ModelChoice | null {
  const value = readStored(storageKey) as ModelChoice | null;
  return value && typeof value.model === 'string' ? value : null;
}
