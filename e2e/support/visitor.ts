import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page, Response } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/demo/demo-data.ts';
import { expectAccessible } from './axe.ts';
import { openBrowser, type BrowserOptions, type OpenBrowser } from './browser.ts';
import type { RunningHearth } from './server.ts';

export const SCREENSHOT_DIR = process.env.HEARTH_E2E_SCREENSHOTS ?? '/tmp/hearth-screens';

const NAVIGATION_TIMEOUT_MS = 20_000;

const isRedirect = (status: number) => status >= 300 && status < 400;

/**
 * Someone using Hearth in a browser of their own. Every page they reach goes through `arrive`, which
 * checks the HTTP status of the page they landed on and runs axe over it: no page goes unchecked.
 */
export class Visitor {
  private constructor(
    readonly page: Page,
    private readonly hearth: RunningHearth,
    private readonly browser: OpenBrowser,
    /** For a browser without JavaScript: a second browser, with it, where axe checks a copy of each page. */
    private readonly checker?: { readonly browser: OpenBrowser; readonly page: Page },
  ) {}

  static async open(hearth: RunningHearth, options: BrowserOptions = {}): Promise<Visitor> {
    const browser = await openBrowser(options);
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    if (options.javaScriptEnabled !== false) return new Visitor(page, hearth, browser);
    const checkerBrowser = await openBrowser({ ...options, javaScriptEnabled: true });
    const checkerPage = checkerBrowser.context.pages()[0] ?? (await checkerBrowser.context.newPage());
    return new Visitor(page, hearth, browser, { browser: checkerBrowser, page: checkerPage });
  }

  /** Opens a path typed into the address bar. */
  async visit(pathAndQuery: string, expectedStatus = 200): Promise<Response> {
    return this.arrive(() => this.page.goto(`${this.hearth.baseUrl}${pathAndQuery}`), expectedStatus);
  }

  /** Follows a link by its accessible name (exact, including any visually hidden words, or a pattern). */
  async followLink(name: string | RegExp, expectedStatus = 200): Promise<Response> {
    return this.arrive(() => this.page.getByRole('link', { name, exact: true }).click(), expectedStatus);
  }

  /** Presses a button by its accessible name: a form is sent and a new page comes back. */
  async pressButton(name: string, expectedStatus = 200, within: Page | Locator = this.page): Promise<Response> {
    return this.arrive(() => within.getByRole('button', { name, exact: true }).click(), expectedStatus);
  }

  /**
   * Does something that loads a new page, waits for that page (after any redirects) to load, then
   * checks its status and its accessibility.
   */
  async arrive(action: () => Promise<unknown>, expectedStatus = 200): Promise<Response> {
    const page = this.page;
    // The waits outlast the action's own timeout, so a failed action (no such link) reports itself.
    const response = page.waitForResponse(
      (r) => r.frame() === page.mainFrame() && r.request().isNavigationRequest() && !isRedirect(r.status()),
      { timeout: NAVIGATION_TIMEOUT_MS },
    );
    const committed = page.waitForEvent('framenavigated', {
      predicate: (frame) => frame === page.mainFrame(),
      timeout: NAVIGATION_TIMEOUT_MS,
    });
    const [, landed] = await Promise.all([action(), response, committed]);
    await page.waitForLoadState('load');
    assert.equal(landed.status(), expectedStatus, `${landed.request().method()} ${landed.url()} answered ${landed.status()}, expected ${expectedStatus}`);
    await expectAccessible(page, this.checker?.page);
    return landed;
  }

  /** The path and query of the page shown now, e.g. "/people?name=Thompson". */
  get location(): string {
    const url = new URL(this.page.url());
    return `${url.pathname}${url.search}`;
  }

  /** The page's main heading as a user reads it. */
  async heading(): Promise<string> {
    return (await this.page.locator('h1').innerText()).trim();
  }

  /** Signs in with a demo account's email address and the demo password; lands wherever Hearth sends them. */
  async signIn(email: string, password = DEMO_PASSWORD): Promise<void> {
    await this.visit('/sign-in');
    await this.page.getByLabel('Email address').fill(email);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.pressButton('Sign in');
  }

  /** Signs out with the button in the header. */
  async signOut(): Promise<void> {
    await this.pressButton('Sign out', 200, this.page.locator('header'));
  }

  /** A full-page picture for a person to look at, in SCREENSHOT_DIR. */
  async screenshot(name: string): Promise<void> {
    await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.checker?.browser.close();
  }
}
