// What `node:fs/promises` is in the browser build (browserResolve in scripts/local-assets.ts): the page
// reads model packages by URL only, and files.ts reads local folders in Node alone (isUrl is true for
// every browser source), so these are never called there.
const nodeOnly = (): never => {
  throw new Error('Local model folders are read in Node only: in the browser, give the model a URL.');
};
export const readFile = nodeOnly;
export const readdir = nodeOnly;
