import { AssertionError } from 'node:assert';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import type { Page } from 'playwright-core';

/** WCAG 2.2 A and AA, as Hearth promises in its accessibility statement. */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_TIMEOUT_MS = 30_000;

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One block per violation: what failed, how badly, where, and how to read more. */
export function describeViolations(violations: readonly Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `      ${n.target.join(' ')}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n\s*/g, '; ')}` : ''}`);
      return `  - ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`;
    })
    .join('\n');
}

/** Runs axe in a page that can run scripts. Hearth's CSP refuses inline scripts, so axe goes in through CDP. */
async function runAxe(page: Page): Promise<AxeResults> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const run = page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    WCAG_TAGS,
  );
  // page.evaluate has no timeout of its own: a run that cannot finish must fail, not hang the suite.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`axe did not finish within ${AXE_TIMEOUT_MS} ms on ${page.url()}`)), AXE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Puts the exact document a script-less browser shows into `checker` (a page that can run scripts), at
 * the same address so its stylesheet loads, and without its scripts so nothing changes it. Needed because
 * in a page with JavaScript turned off no timer ever fires, and axe waits on timers.
 */
async function mirror(page: Page, checker: Page): Promise<void> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const address = page.url().split('#')[0] ?? page.url();
  await checker.route(
    (url) => url.href === address,
    (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    { times: 1 },
  );
  await checker.goto(page.url(), { waitUntil: 'load' });
}

/**
 * Fails unless axe finds nothing against WCAG 2.2 A and AA on the page as it is now. For a page in a
 * browser with JavaScript turned off, pass a `checker` page from a browser with it on.
 */
export async function expectAccessible(page: Page, checker?: Page): Promise<void> {
  if (checker) await mirror(page, checker);
  const results = await runAxe(checker ?? page);
  if (results.violations.length > 0) {
    throw new AssertionError({
      message: `${page.url()} has ${results.violations.length} accessibility violation(s):\n${describeViolations(results.violations)}`,
    });
  }
}
