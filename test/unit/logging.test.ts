import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, withoutSecrets } from '../../src/platform/logging.ts';
import { newToken } from '../../src/features/front-door/tokens.ts';

describe('the logs', () => {
  it('never hold a private link: a 256-bit token in a path is replaced', () => {
    const token = newToken();
    assert.equal(withoutSecrets(`/report/draft/${token}`), '/report/draft/:token');
    assert.equal(withoutSecrets(`/report/draft/${token}/send`), '/report/draft/:token/send');
    assert.equal(withoutSecrets(`/front-door/drafts/${token}`), '/front-door/drafts/:token');
    const id = '0b7f6c3e-8a3f-4a55-9e3c-0d7e1f2a3b4c';
    assert.equal(withoutSecrets(`/people/${id}`), `/people/${id}`, 'record ids are kept: they are not secrets');
  });

  it('write request lines with the token replaced and no query string', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    const token = newToken();
    logger.info({ req: { id: 'r1', method: 'GET', url: `/report/status/${token}?sent=1` } }, 'incoming request');
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes(token));
    assert.match(lines[0]!, /"path":"\/report\/status\/:token"/);
  });
});
