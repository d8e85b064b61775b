// Whether the page can work without the network: the service worker that keeps the app and ONNX
// Runtime is installed and in control. Only the built app registers one (the dev server serves
// changing files that must not be cached).
export type OfflineStatus = 'unsupported' | 'development' | 'installing' | 'ready' | 'failed';

export class OfflineState {
  #status = $state<OfflineStatus>('installing');
  #error = $state<string | null>(null);

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }

  register(): void {
    if (!import.meta.env.PROD) {
      this.#status = 'development';
      return;
    }
    if (!('serviceWorker' in navigator)) {
      this.#status = 'unsupported';
      return;
    }
    navigator.serviceWorker
      .register(`${import.meta.env.BASE_URL}sw.js`)
      .then(() => navigator.serviceWorker.ready)
      .then(() => (this.#status = 'ready'))
      .catch((error: unknown) => {
        this.#status = 'failed';
        this.#error = error instanceof Error ? error.message : String(error);
      });
  }
}
