#!/usr/bin/env node
// The `remask` command: runs the TypeScript CLI in src/cli through tsx, so Node and the browser
// share one source tree with no separate build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
