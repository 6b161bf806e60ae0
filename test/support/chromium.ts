/**
 * Debian's chromium, driven by playwright-core, for the browser checks of our HTML pages. A test
 * that needs it fails plainly when it is missing (CI installs it); it never skips.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium is needed for this test at ${CHROMIUM}: apt-get install -y chromium`);
  }
  // The background-networking flags keep chromium from reaching out of this closed machine.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
