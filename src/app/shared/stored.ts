// Small things the page keeps across reloads in localStorage, as JSON. Keeping them is a convenience:
// storage that is full, blocked or holds something unreadable gives null, and a write that fails is
// dropped, so the page works the same, only forgetting more.

export function readStored(key: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Full or blocked: this value lasts for this visit only.
  }
}
