// The target's API key. It lives in this page's memory only, unless the user ticks "remember on this
// device" (then localStorage, per provider). It is never written to History, exports or logs, and
// the worker sends it to the target's provider only.
const storageKey = (provider: string) => `remask.apiKey.${provider}`;

function stored(provider: string): string {
  try {
    return localStorage.getItem(storageKey(provider)) ?? '';
  } catch {
    return '';
  }
}

export class ApiKeyState {
  #provider = $state('');
  #key = $state('');
  #remember = $state(false);

  get provider() {
    return this.#provider;
  }
  get key() {
    return this.#key;
  }
  set key(value: string) {
    this.#key = value;
    if (this.#remember) this.#persist();
  }
  get remember() {
    return this.#remember;
  }
  set remember(value: boolean) {
    this.#remember = value;
    this.#persist();
  }

  /** Switches to a provider's key: the remembered one, if any. */
  use(provider: string): void {
    if (provider === this.#provider) return;
    this.#provider = provider;
    const saved = stored(provider);
    this.#key = saved;
    this.#remember = saved !== '';
  }

  #persist(): void {
    try {
      if (this.#remember && this.#key) localStorage.setItem(storageKey(this.#provider), this.#key);
      else localStorage.removeItem(storageKey(this.#provider));
    } catch {
      // Storage blocked or full: the key stays in memory for this visit.
    }
  }
}
