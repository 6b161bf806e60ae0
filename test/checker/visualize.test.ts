/**
 * The HTML report in a real headless browser (Debian's chromium via playwright-core): it loads
 * without errors, every operation has an element, the failing operation is marked, hover works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { checkOperations, parseHistory, renderHtml, renderHtmlReport } from '../../src/checker/index.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/porcupine');

function load(file: string) {
  const parsed = parseHistory(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  const result = checkOperations(parsed.model, parsed.history.operations);
  return { ...parsed, result, title: file };
}

describe('HTML report in chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(html: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => { if (!request.url().startsWith('data:') && request.url() !== 'about:blank') errors.push(`network: ${request.url()}`); });
    await page.setContent(html, { waitUntil: 'load' });
    return { page, errors };
  }

  it.each(['etcd/etcd_000.json', 'kv/c10-bad.json'])('%s: every operation drawn, failing op marked', async (file) => {
    const { history, result, model, title } = load(file);
    const { page, errors } = await open(renderHtml(history, result, model, title));

    expect(await page.locator('[data-op]').count()).toBe(history.operations.length);
    const blocked = result.parts.flatMap((part) => (part.failure?.blocked != null ? [part.failure.blocked] : []));
    expect(blocked.length).toBeGreaterThan(0);
    const failed = page.locator('[data-failed="true"]');
    expect(await failed.count()).toBe(blocked.length);
    expect(await failed.first().getAttribute('data-op')).toBe(String(blocked[0]));
    expect(await failed.first().getAttribute('class')).toContain('failed');
    // Drawn in red (the test runs in Node, so the browser function is named in a string).
    const border = await page.evaluate(`getComputedStyle(document.querySelector('[data-failed]')).borderColor`);
    expect(border).toBe('rgb(207, 34, 46)');

    await failed.first().hover();
    const tip = page.locator('#tip');
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toContain(`op ${blocked[0]}:`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the linearization of a linearizable history, one page for several histories', async () => {
    const sections = ['etcd/etcd_002.json', 'kv/c01-ok.json'].map(load);
    const { page, errors } = await open(renderHtmlReport(sections));
    const total = sections.reduce((sum, s) => sum + s.history.operations.length, 0);
    expect(await page.locator('[data-op]').count()).toBe(total);
    expect(await page.locator('.marker').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-failed]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays small', () => {
    const { history, result, model } = load('kv/c50-bad.json');
    expect(renderHtml(history, result, model).length).toBeLessThan(3_000_000);
  });
});
