import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: the project never downloads a browser build of its own. */
const CHROMIUM = process.env.HEARTH_E2E_CHROMIUM ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserOptions {
  readonly javaScriptEnabled?: boolean;
  readonly viewport?: { readonly width: number; readonly height: number };
}

export interface OpenBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A browser of its own (own profile, own cookies): two of them are two people at two desks.
 * A persistent context, because that is how Debian's Chromium starts reliably under playwright-core.
 */
export async function openBrowser(options: BrowserOptions = {}): Promise<OpenBrowser> {
  const profile = await fs.mkdtemp(path.join(os.tmpdir(), 'hearth-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: options.viewport ? { ...options.viewport } : { width: 1280, height: 900 },
    locale: 'en-AU',
    timezoneId: 'Australia/Sydney',
  });
  // Every page is served from loopback: anything not there within 10 s is not coming.
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      await fs.rm(profile, { recursive: true, force: true });
    },
  };
}
