// What `npm run local-llm` says when it cannot install: each failure names the cause and what to do.
// (Serving a real model is tested in src/optimize/real-llm.test.ts.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./local-llm.ts', import.meta.url));

/** Runs the install step with a fresh, empty cache and the given PATH entries and environment. */
function install(tools: string[], env: Record<string, string> = {}) {
  const bin = mkdtempSync(join(tmpdir(), 'remask-bin-'));
  for (const tool of tools) {
    // pyenv's python3 is a shim that needs pyenv on the PATH: link the interpreter itself.
    const where = tool === 'python3' ? 'python3 -c "import sys; print(sys.executable)"' : `command -v ${tool}`;
    const found = spawnSync('bash', ['-c', where], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(bin, tool));
  }
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, '--install-only'], {
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: bin, REMASK_CACHE: mkdtempSync(join(tmpdir(), 'remask-cache-')) },
    timeout: 120_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('npm run local-llm, when it cannot install', () => {
  it('names a missing compiler and the package to install', () => {
    const { status, stderr } = install(['bash', 'python3', 'tar', 'tail']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/cmake is missing, and it is needed to build llama-server: install it \(as root: apt-get update && apt-get install -y cmake\)/);
  });

  it('says a failed download failed, quotes pip, and what to check', () => {
    const { status, stderr } = install(['bash', 'python3', 'tar', 'tail', 'cmake', 'g++'], { PIP_NO_INDEX: '1', PIP_FIND_LINKS: '' });
    expect(status).toBe(2);
    expect(stderr).toMatch(/Downloading llama-cpp-python failed \(exit 1\)/);
    expect(stderr).toMatch(/No matching distribution|Could not find a version/);
    expect(stderr).toMatch(/Check that PyPI can be reached/);
  });
});
