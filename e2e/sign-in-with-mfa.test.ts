import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO, errorSummary, mainText, successBanner, summaryValue, totpCode, wrongTotpCode } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

describe('Signing in with two-step verification', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it('an administrator sets up an authenticator app on first sign-in, signs out, and signs in again with a code', async (t) => {
    const avery = await Visitor.open(hearth);
    t.after(() => avery.close());
    const page = avery.page;

    await avery.visit('/sign-in');
    assert.equal(await avery.heading(), 'Sign in to Hearth');
    await avery.screenshot('sign-in');

    await page.getByLabel('Email address').fill(DEMO.admin.email);
    await page.getByLabel('Password', { exact: true }).fill('hearth-demo-password');
    await avery.pressButton('Sign in');
    assert.equal(new URL(page.url()).pathname, '/sign-in/set-up-code');
    assert.equal(await avery.heading(), 'Set up two-step verification');
    assert.ok(await page.getByRole('img', { name: 'QR code for setting up your authenticator app' }).isVisible());
    await avery.screenshot('set-up-two-step-verification');
    const secret = (await page.locator('#mfa-secret').innerText()).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}$/, 'the key is shown in base32 for typing into an app');

    // A wrong code: the GOV.UK error summary, focused, linking to the field, and the field's own message.
    await page.getByLabel('Code from your authenticator app').fill(await wrongTotpCode(secret));
    await avery.pressButton('Turn on two-step verification', 400);
    assert.match(await page.title(), /^Error: Set up two-step verification/);
    const problem = 'The code is not correct: check the time on your phone and enter the code your app shows now';
    assert.deepEqual(await errorSummary(page), { title: 'There is a problem', links: [{ text: problem, href: '#code' }] });
    await page.waitForFunction(() => document.activeElement?.closest('.govuk-error-summary') !== null);
    assert.equal((await page.locator('#code-error').innerText()).replace(/\s+/g, ' ').trim(), `Error: ${problem}`);
    await page.locator('.govuk-error-summary').getByRole('link', { name: problem }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'code');
    await avery.screenshot('set-up-two-step-verification-error');

    // The right code turns it on and finishes signing in.
    await page.getByLabel('Code from your authenticator app').fill(await totpCode(secret));
    await avery.pressButton('Turn on two-step verification');
    assert.equal(avery.location, '/');
    assert.equal(await avery.heading(), `Hello, ${DEMO.admin.name}`);
    assert.match(await page.locator('.app-signed-in-as').innerText(), /Signed in as Avery Stone \(Administrator\), Hearth Demo Department/);

    await avery.signOut();
    assert.equal(avery.location, '/sign-in?signedOut=1');
    assert.equal(await successBanner(page), 'You have signed out.');
    await avery.visit('/', 200);
    assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out means signed out');

    // The second time, Hearth asks for the code. A later 30-second step than the one just used.
    await avery.signIn(DEMO.admin.email);
    assert.equal(new URL(page.url()).pathname, '/sign-in/code');
    assert.equal(await avery.heading(), 'Enter the code from your authenticator app');
    await avery.screenshot('enter-code');

    await page.getByLabel('Enter the code from your authenticator app').fill(await wrongTotpCode(secret));
    await avery.pressButton('Continue', 400);
    const expired = 'The code is not correct or has expired: enter the code your app shows now';
    assert.deepEqual(await errorSummary(page), { title: 'There is a problem', links: [{ text: expired, href: '#code' }] });

    await page.getByLabel('Enter the code from your authenticator app').fill(await totpCode(secret, 1));
    await avery.pressButton('Continue');
    assert.equal(avery.location, '/');
    assert.equal(await avery.heading(), `Hello, ${DEMO.admin.name}`);

    await avery.followLink('Your account');
    assert.equal(await summaryValue(page, 'Two-step verification'), 'On');
    assert.match(await mainText(page), /admin@demo\.hearth\.example/);
  });
});
