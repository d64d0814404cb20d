import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app-harness.ts';
import { testEngines } from '../support/engines.ts';

for (const engine of testEngines()) {
  describe(`health and readiness [${engine.name}]`, () => {
    let harness: TestApp;
    before(async () => {
      harness = await startTestApp(engine);
    });
    after(() => harness.close());

    it('answers /health with 200 to anyone', async () => {
      const response = await harness.app.inject({ method: 'GET', url: '/health' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ok' });
    });

    it('answers /ready with 200 and the name of the database engine it reached', async () => {
      const response = await harness.app.inject({ method: 'GET', url: '/ready' });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), { status: 'ready', database: engine.name });
    });
  });

  describe(`readiness without a database [${engine.name}]`, () => {
    it('answers /ready with 503 once the database cannot be reached, while /health stays 200', async () => {
      const database = await engine.createDatabase();
      const harness = await startTestApp(engine, { database });
      try {
        assert.equal((await harness.app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
        await database.close();
        const response = await harness.app.inject({ method: 'GET', url: '/ready' });
        assert.equal(response.statusCode, 503);
        assert.deepEqual(response.json(), { status: 'unavailable', database: engine.name });
        assert.equal((await harness.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      } finally {
        await harness.close();
      }
    });
  });
}
