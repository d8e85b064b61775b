// Which view is shown, kept in the address's hash (#/playground) so links, reloads and the back button
// work, while the query (?model=&backend=&quant=) stays for choosing the model.
export const views = ['optimize', 'playground', 'history', 'models'] as const;
export type View = (typeof views)[number];

export const viewLabels: Record<View, string> = {
  optimize: 'Optimize',
  playground: 'Playground',
  history: 'History',
  models: 'Models',
};

/** The view a hash names (#/playground); an in-page anchor (#main, the skip link's) names none. */
function fromHash(current: View = 'optimize'): View {
  if (location.hash !== '' && !location.hash.startsWith('#/')) return current;
  const name = location.hash.slice(2);
  return (views as readonly string[]).includes(name) ? (name as View) : 'optimize';
}

export class Router {
  #view = $state<View>(fromHash());

  constructor() {
    addEventListener('hashchange', () => (this.#view = fromHash(this.#view)));
  }

  get view() {
    return this.#view;
  }

  go(view: View): void {
    location.hash = `#/${view}`;
    this.#view = view;
  }
}

export const hrefOf = (view: View): string => `#/${view}`;
