// Vitest global setup: the tests run the `remask` command as users do (node bin/remask.mjs), which
// runs the bundle in dist-cli/. Building it first means no test ever runs a stale bundle.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync('npx', ['vite', 'build', '--config', 'vite.cli.config.ts', '--logLevel', 'error'], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: 'inherit' });
}
