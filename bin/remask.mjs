#!/usr/bin/env node
// The `remask` command: the CLI in src/cli, bundled for Node by `npm run build:cli` (npm ci runs it).
import { existsSync } from 'node:fs';

const built = new URL('../dist-cli/main.js', import.meta.url);
if (!existsSync(built)) {
  console.error('remask: the command is not built yet. Run `npm ci` (or `npm run build:cli`) in the remask folder.');
  process.exit(1);
}
const { main } = await import(built.href);
process.exitCode = await main(process.argv.slice(2));
