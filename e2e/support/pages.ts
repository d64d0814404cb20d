import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { generate } from 'otplib';
import type { Visitor } from './visitor.ts';

/** The demo accounts the journeys use (src/demo/demo-data.ts). */
export const DEMO = {
  helpline: { email: 'helpline@demo.hearth.example', name: 'Harper Lane' },
  caseworker: { email: 'caseworker@demo.hearth.example', name: 'Casey Morgan' },
  manager: { email: 'manager@demo.hearth.example', name: 'Morgan Reid' },
  admin: { email: 'admin@demo.hearth.example', name: 'Avery Stone' },
  auditor: { email: 'auditor@demo.hearth.example', name: 'Aubrey Hale' },
} as const;

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The text of each cell of each body row of a table. */
export async function tableRows(table: Locator): Promise<string[][]> {
  const rows = table.locator('tbody tr');
  const result: string[][] = [];
  for (const row of await rows.all()) {
    result.push((await row.locator('th, td').allInnerTexts()).map(squash));
  }
  return result;
}

/**
 * Who is in a person's network and what they are to them, one "Name: Relationship" line per row (the
 * relationship is the first line of its cell: notes follow it). Someone can appear twice, e.g. aunt and carer.
 */
export async function networkMembers(page: Page, personName: string): Promise<string[]> {
  const table = page.getByRole('table', { name: `People in ${personName}'s network` });
  const members: string[] = [];
  for (const row of await table.locator('tbody tr').all()) {
    const name = squash(await row.locator('td').nth(0).innerText());
    const relationship = (await row.locator('td').nth(1).innerText()).split('\n')[0]?.trim() ?? '';
    members.push(`${name}: ${relationship}`);
  }
  return members;
}

/** The headlines of the person's story, newest first. */
export async function storyEvents(page: Page): Promise<string[]> {
  return (await page.locator('.app-timeline .app-timeline__title').allInnerTexts()).map(squash);
}

/** The value shown for one row of a summary list, by its key (e.g. "Gender"). */
export async function summaryValue(page: Page, key: string): Promise<string> {
  const row = page.locator('.govuk-summary-list__row').filter({ has: page.locator('dt', { hasText: new RegExp(`^\\s*${key}\\s*$`) }) });
  return squash(await row.locator('dd.govuk-summary-list__value').innerText());
}

/** The GOV.UK error summary: its title and each link's words and target. */
export async function errorSummary(page: Page): Promise<{ title: string; links: { text: string; href: string | null }[] }> {
  const summary = page.locator('.govuk-error-summary');
  assert.ok(await summary.isVisible(), `expected an error summary on ${page.url()}`);
  const links = [];
  for (const link of await summary.locator('.govuk-error-summary__list a').all()) {
    links.push({ text: squash(await link.innerText()), href: await link.getAttribute('href') });
  }
  return { title: squash(await summary.locator('.govuk-error-summary__title').innerText()), links };
}

/** The words in the success banner at the top of the page, if there is one. */
export async function successBanner(page: Page): Promise<string> {
  return squash(await page.locator('.govuk-notification-banner--success .govuk-notification-banner__content').innerText());
}

/** The main content's text, for "is this anywhere on the page" checks. */
export async function mainText(page: Page): Promise<string> {
  return squash(await page.locator('main').innerText());
}

export interface SearchResult {
  readonly name: string;
  /** "Likely match (97%)", "Possible match (40%)" or "Unlikely match (<1%)". */
  readonly strength: string;
  /** "Born 12 April 2016, age 10 · Female · Parramatta 2150". */
  readonly facts: string;
}

/** The people search's results, best first, as a worker reads them. */
export async function searchResults(page: Page): Promise<SearchResult[]> {
  const results: SearchResult[] = [];
  for (const item of await page.locator('ol.app-results > li').all()) {
    results.push({
      name: squash(await item.getByRole('heading', { level: 3 }).innerText()),
      strength: squash(await item.locator('.govuk-tag').innerText()),
      facts: squash(await item.locator('p.govuk-body-s').first().innerText()),
    });
  }
  return results;
}

/** Opens "Why this match" under one result and reads its reasons: what agreed, what did not, and how much each counted. */
export async function whyThisMatch(page: Page, name: string): Promise<string[]> {
  const item = page.locator('ol.app-results > li').filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
  const details = item.locator('details');
  assert.equal(await details.locator('.govuk-details__text').isVisible(), false, 'the reasons start folded away');
  await details.getByText('Why this match', { exact: true }).click();
  const reasons = details.locator('.govuk-details__text li');
  assert.ok(await reasons.first().isVisible(), 'the reasons show once opened');
  return (await reasons.allInnerTexts()).map(squash);
}

/** Searches for a name from the people search and opens the one result with exactly this name. */
export async function openPerson(visitor: Visitor, searchFor: string, name: string): Promise<string> {
  await visitor.visit(`/people?name=${encodeURIComponent(searchFor)}`);
  await visitor.followLink(name);
  assert.equal(await visitor.heading(), name);
  return new URL(visitor.page.url()).pathname;
}

/** The code an authenticator app shows, `stepsAhead` 30-second steps from now. */
export function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * stepsAhead });
}

/** A well-formed 6-digit code that is certainly not one the server would accept just now. */
export async function wrongTotpCode(secret: string): Promise<string> {
  const near = new Set(await Promise.all([-2, -1, 0, 1, 2].map((step) => totpCode(secret, step))));
  const wrong = ['123456', '654321', '246802'].find((code) => !near.has(code));
  assert.ok(wrong);
  return wrong;
}
