import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { reportFields } from '../support/reports.ts';
import { Browser, freePort, ServerProcess, waitUntilHealthy } from '../support/server-process.ts';

describe('an acknowledged report', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-durability-'));
  const running: ServerProcess[] = [];
  after(async () => {
    for (const server of running) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<string> {
    const port = await freePort();
    const server = new ServerProcess({ PORT: String(port), HEARTH_DATA_DIR: dataDir });
    running.push(server);
    await waitUntilHealthy(`http://127.0.0.1:${port}`, server);
    return `http://127.0.0.1:${port}`;
  }

  it('survives the server being killed the moment after it answered', { timeout: 240_000 }, async () => {
    const baseUrl = await start();
    const browser = new Browser(baseUrl);
    const draft = (await browser.request('/report/online')).location!;
    const page = await browser.request(draft);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const body = new URLSearchParams({ _csrf: csrf });
    for (const [key, value] of Object.entries(reportFields())) for (const v of [value].flat()) body.append(key, v);
    const sent = await browser.request(`${draft}/send`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    // The answer is in: kill the process at once, with no chance to flush or shut down.
    running[0]!.child.kill('SIGKILL');
    await running[0]!.exited;
    assert.equal(sent.status, 303);
    assert.match(sent.location!, /^\/report\/status\//);

    const again = await start();
    const status = await new Browser(again).request(sent.location!);
    assert.equal(status.status, 200, 'the report is there after a restart');
    assert.match(status.body, /Your reference<br><strong>[A-Z0-9]{4}-[A-Z0-9]{4}<\/strong>/);
  });
});
