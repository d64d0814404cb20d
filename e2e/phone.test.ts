import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO, openPerson } from './support/pages.ts';
import { startHearth, type RunningHearth } from './support/server.ts';
import { Visitor } from './support/visitor.ts';

/** The page fits the screen: nothing to scroll sideways to. */
async function expectNoSidewaysScrolling(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${page.url()} is ${scrollWidth}px wide on a ${innerWidth}px screen`);
}

describe('Hearth on a phone', () => {
  let hearth: RunningHearth;
  before(async () => {
    hearth = await startHearth();
  });
  after(() => hearth.close());

  it("a caseworker on a 375px-wide phone reads a child's page without scrolling sideways", async (t) => {
    const casey = await Visitor.open(hearth, { viewport: { width: 375, height: 812 } });
    t.after(() => casey.close());
    const page = casey.page;

    await casey.signIn(DEMO.caseworker.email);
    await expectNoSidewaysScrolling(page);
    await openPerson(casey, 'Thompson', 'Mia Rose Thompson');
    await expectNoSidewaysScrolling(page);
    assert.ok(await page.getByRole('table', { name: "People in Mia Rose Thompson's network" }).isVisible());
    await casey.screenshot('person-page-phone');

    // The service navigation folds into a menu button on a small screen, and opens.
    const menu = page.getByRole('button', { name: 'Menu' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false');
    await menu.click();
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.getByRole('link', { name: 'Your account' }).isVisible());
    assert.ok(await page.locator('header').getByRole('button', { name: 'Sign out' }).isVisible());

    await casey.followLink('Change details (Details)');
    await expectNoSidewaysScrolling(page);
    await casey.visit('/people?name=Thompson');
    await expectNoSidewaysScrolling(page);
  });

  it("an auditor on a phone reads who viewed a child's record without scrolling sideways", async (t) => {
    const aubrey = await Visitor.open(hearth, { viewport: { width: 375, height: 812 } });
    t.after(() => aubrey.close());
    await aubrey.signIn(DEMO.auditor.email);
    await aubrey.visit('/audit?name=Mia%20Thompson');
    await aubrey.followLink('Mia Rose Thompson');
    assert.equal(await aubrey.heading(), "Who viewed or changed Mia Rose Thompson's record");
    await expectNoSidewaysScrolling(aubrey.page);
    await aubrey.screenshot('audit-trail-phone');
  });
});
