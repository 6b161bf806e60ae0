/**
 * report.html opens at the failure (issue 12), in a real browser (chromium via playwright-core,
 * one launch for the file): the red operation is scrolled into view on load, client labels stay
 * in view while the timeline scrolls sideways, the embedded checker page lists the failing key
 * first, and time-outs and retries explain themselves on hover. Built from a made-up report (no
 * simulation) so that it is cheap, and where the red operation starts off the first screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { renderTimelineReport } from '../../src/report/index.js';
import { failingReport } from './failingReport.js';

const VIEWPORT = { width: 900, height: 600 };

describe('report.html opens at the failure', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.setContent(renderTimelineReport(failingReport()), { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('scrolls the red operation into view, though it is drawn right of and below the first screen', async () => {
    const red = page.locator('#timeline .o.blocked');
    expect(await red.count()).toBe(1);
    // Where it is in the page, scroll undone: beyond the first screen both ways.
    const where = await red.evaluate((el: any) => {
      const box = el.getBoundingClientRect();
      const scroller = el.ownerDocument.getElementById('scroller');
      const win = el.ownerDocument.defaultView;
      return { x: box.left + scroller.scrollLeft, y: box.top + win.scrollY };
    });
    expect(where.x).toBeGreaterThan(VIEWPORT.width);
    expect(where.y).toBeGreaterThan(VIEWPORT.height);
    const box = (await red.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(VIEWPORT.width);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(VIEWPORT.height);
    expect(errors).toEqual([]);
  });

  it('keeps the client labels in view when the timeline is scrolled sideways', async () => {
    const label = page.locator('.labels text.lc').last();
    expect(await label.textContent()).toBe('c12');
    await page.locator('#zoom-in').click();
    await page.locator('#scroller').evaluate((el) => { el.scrollLeft = 0; });
    const before = (await label.boundingBox())!;
    const scrolled = await page.locator('#scroller').evaluate((el) => { el.scrollLeft = el.scrollWidth; return el.scrollLeft; });
    expect(scrolled).toBeGreaterThan(1000);
    const after = (await label.boundingBox())!;
    expect(after.x).toBeCloseTo(before.x, 0);
    expect(after.x).toBeGreaterThanOrEqual(0);
    await page.locator('#zoom-fit').click();
  });

  it('the embedded checker page lists the failing key first', async () => {
    const frame = page.frameLocator('#checker');
    const first = frame.locator('.part').first();
    expect(await first.getAttribute('data-part-verdict')).toBe('not-linearizable');
    expect(await first.locator('h3').textContent()).toContain('key "b"');
    expect(await frame.locator('.part').count()).toBe(2);
  });

  it('time-outs and retries explain themselves on hover, and the operation lists its time-outs', async () => {
    const tip = page.locator('#tip');
    await page.locator('[data-kind="timeout"][data-timeout-of="0"]').first().hover({ force: true });
    expect(await tip.textContent()).toBe('op 0 · client 1: request to n2 (seq 1) timed out at 350 ms\nattempt 1; sent again');
    await page.locator('[data-retry-of="0"]').last().hover({ force: true });
    expect(await tip.textContent()).toMatch(/^retry 2 of op 0 · client 1\n/);
    await page.locator('[data-op="8"]').hover({ force: true });
    expect(await tip.textContent()).toContain('timed out at 614 ms, gave up');
    expect(errors).toEqual([]);
  });
});
