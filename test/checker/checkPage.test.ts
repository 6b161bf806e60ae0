/**
 * The checker's page opens at the failure (issue 12): in a real browser (chromium via
 * playwright-core, one launch for the file) it scrolls to the red operation on load, lists the
 * failing key first, keeps client labels in view while the time line scrolls sideways, and a page
 * of many histories starts with totals and an index, failing ones first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { checkOperations, parseHistory, renderCheckPage, renderHtml, type HtmlSection } from '../../src/checker/index.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/porcupine');
const VIEWPORT = { width: 1000, height: 700 };

function load(file: string): HtmlSection {
  const parsed = parseHistory(readFileSync(join(FIXTURES, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { title: file, history: parsed.history, model: parsed.model, result: checkOperations(parsed.model, parsed.history.operations) };
}

/**
 * Key "a": 60 sequential puts and gets by two clients, all fine, drawn wide. Key "b": a put of
 * "1" that returned, then a get that saw "" (a stale read): not linearizable.
 */
function twoKeys(): HtmlSection {
  const operations = Array.from({ length: 60 }, (_, i) => ({
    client: 1 + (i % 2), call: i * 10, return: i * 10 + 5,
    input: i % 2 === 0 ? { f: 'put', key: 'a', value: String(i) } : { f: 'get', key: 'a' },
    output: i % 2 === 0 ? {} : { value: String(i - 1) },
  }));
  operations.push({ client: 3, call: 0, return: 5, input: { f: 'put', key: 'b', value: '1' }, output: {} });
  operations.push({ client: 4, call: 10, return: 15, input: { f: 'get', key: 'b' }, output: { value: '' } });
  const parsed = parseHistory(JSON.stringify({ model: 'kv', operations }));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return { title: 'two keys', history: parsed.history, model: parsed.model, result: checkOperations(parsed.model, parsed.history.operations) };
}

/** etcd_000 to etcd_005: 000, 001, 003, 004 not linearizable, 002 and 005 linearizable (the manifest). */
const ETCD = Array.from({ length: 6 }, (_, i) => `etcd/etcd_${String(i).padStart(3, '0')}.json`);

describe('the checker page in chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchChromium(); });
  afterAll(async () => { await browser?.close(); });

  async function open(html: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setContent(html, { waitUntil: 'load' });
    return { page, errors };
  }

  async function inViewport(page: Page, selector: string): Promise<boolean> {
    const box = await page.locator(selector).first().boundingBox();
    if (!box) return false;
    return box.x >= 0 && box.y >= 0 && box.x + Math.min(box.width, 50) <= VIEWPORT.width && box.y + box.height <= VIEWPORT.height;
  }

  it('scrolls to the red operation on load, which is far right and down without the scroll', async () => {
    const section = load('etcd/etcd_000.json');
    const { page, errors } = await open(renderHtml(section.history, section.result, section.model, section.title));
    // Where the red bar sits in the drawing: beyond the first screen, so the page had to scroll.
    const left = await page.locator('[data-failed]').evaluate((el) => (el as unknown as { offsetLeft: number }).offsetLeft);
    expect(left).toBeGreaterThan(VIEWPORT.width);
    expect(await inViewport(page, '[data-failed]')).toBe(true);
    expect(await page.locator('.scroll').first().evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the failing key first and keeps client labels in view when scrolled right', async () => {
    const section = twoKeys();
    expect(section.result.parts.map((part) => [part.label, part.result])).toEqual([
      ['key "a"', 'linearizable'], ['key "b"', 'not-linearizable'],
    ]);
    const { page, errors } = await open(renderHtml(section.history, section.result, section.model, section.title));
    const first = page.locator('.part').first();
    expect(await first.getAttribute('data-part-verdict')).toBe('not-linearizable');
    expect(await first.locator('h3').textContent()).toContain('key "b"');
    expect(await page.locator('.part[data-part-verdict="not-linearizable"]').count()).toBe(1);
    expect(await inViewport(page, '[data-failed]')).toBe(true);

    // Scroll the wide passing part's time line all the way right: its first label stays put.
    const wide = page.locator('.part').nth(1);
    const scroller = wide.locator('.scroll');
    const label = wide.locator('.client').first();
    await scroller.evaluate((el) => { el.scrollLeft = 0; });
    const before = (await label.boundingBox())!;
    const scrolled = await scroller.evaluate((el) => { el.scrollLeft = el.scrollWidth; return el.scrollLeft; });
    expect(scrolled).toBeGreaterThan(200);
    const after = (await label.boundingBox())!;
    expect(after.x).toBeCloseTo(before.x, 0);
    // And it is on top, not covered by the bars that scrolled under it.
    // (The function runs in the page; this file is typed without the DOM's names, hence `any`.)
    const onTop = await label.evaluate((el: any) => {
      const box = el.getBoundingClientRect();
      return el.contains(el.ownerDocument.elementFromPoint(box.left + 5, box.top + box.height / 2));
    });
    expect(onTop).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a page of many histories has totals and an index, failing ones first, linking to their sections', async () => {
    const sections = ETCD.map(load);
    const bad = sections.filter((s) => s.result.result === 'not-linearizable').length;
    expect(bad).toBe(4);
    const { page, errors } = await open(renderCheckPage(sections));
    expect(await page.locator('#totals').textContent()).toBe('6 histories: 4 not linearizable, 0 unknown, 2 linearizable');
    const items = page.locator('#index li');
    expect(await items.count()).toBe(6);
    const verdicts = await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-verdict')));
    expect(verdicts).toEqual([...Array(4).fill('not-linearizable'), ...Array(2).fill('linearizable')]);
    // The index is above the first section, and its links reach the sections.
    const indexBox = (await page.locator('#index').boundingBox())!;
    const sectionBox = (await page.locator('section').first().boundingBox())!;
    expect(indexBox.y).toBeLessThan(sectionBox.y);
    const last = items.last().locator('a');
    const target = (await last.getAttribute('href'))!;
    await last.click();
    expect(await inViewport(page, `${target} h2`)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
