import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/local-llm';
import { probeServer } from './probe';

describe('probing a local server before a run', () => {
  it('passes a server that answers, even with a 404, and names the fix when nothing answers', async () => {
    const server = createServer((_, res) => res.writeHead(404).end()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    expect(await probeServer(`http://127.0.0.1:${port}/v1/`)).toBeNull();
    server.close();
    const nobody = await freePort();
    expect(await probeServer(`http://127.0.0.1:${nobody}/v1`)).toMatch(new RegExp(`^Nothing answers at http://127.0.0.1:${nobody}/v1 .*npm run local-llm`));
  });
});
