/**
 * report.html in a real headless browser (Debian's chromium via playwright-core): it loads without
 * errors or requests, the timeline is drawn with one element per operation, hovering shows an
 * operation's details, zoom widens the axis, and the checker's page is embedded and loaded.
 * A screenshot of the failing run's page is left at /tmp/raftsim-report.png for people to look at.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import type { RunReport, RunStatus } from '../../src/harness/execute.js';
import { renderRunReport } from '../../src/report/index.js';
import { faultyPass, largeFailure, linearizabilityFailure, newFaultsRun, safetyFailure } from './runs.js';

export const SCREENSHOT = '/tmp/raftsim-report.png';

describe('report.html in chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function open(report: RunReport) {
    const page = await browser.newPage({ viewport: { width: 1520, height: 1000 } });
    const errors: string[] = [];
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && url !== 'about:blank' && url !== 'about:srcdoc') errors.push(`network: ${url}`);
    });
    await page.setContent(renderRunReport(report), { waitUntil: 'load' });
    return { page, errors };
  }

  /** Each run with the verdict it is known to have: stated here, never read back from the run. */
  const cases: [string, () => Promise<RunReport>, RunStatus][] = [
    ['split-vote seed 1, grant-every-vote (safety failure)', safetyFailure, 'fail'],
    ['lossy-churn seed 111 (pass)', faultyPass, 'pass'],
    ['lossy-churn seed 4 (swarm), no-duplicate-detection (not linearizable)', linearizabilityFailure, 'fail'],
    ['paused-processes seed 70 --swarm, lease-reads-by-local-clock (2000+ operations)', largeFailure, 'fail'],
  ];

  it.each(cases)('%s: drawn without errors, every operation present, hover shows details', async (_name, get, expected) => {
    const report = await get();
    expect(report.status).toBe(expected);
    const operations = report.sim.history.operations;
    const { page, errors } = await open(report);

    const box = await page.locator('#timeline').boundingBox();
    expect(await page.locator('#timeline').isVisible()).toBe(true);
    expect(box!.width).toBeGreaterThan(500);
    expect(box!.height).toBeGreaterThan(100);
    expect(await page.locator('[data-op]').count()).toBe(operations.length);
    expect(await page.locator('[data-kind="violation"]').count()).toBe(expected === 'fail' ? 1 : 0);

    // Hover an operation that returned, in the middle of the run.
    const index = operations.findIndex((op, i) => op.return !== null && i >= Math.floor(operations.length / 2));
    const target = index === -1 ? 0 : index;
    const op = operations[target]!;
    await page.locator(`[data-op="${target}"]`).hover({ force: true });
    const tip = page.locator('#tip');
    expect(await tip.isVisible()).toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toContain(`op ${target} · client ${op.client}`);
    expect(text).toContain(JSON.stringify(op.input));
    expect(text).toContain(`call ${op.call}`);
    expect(text).toContain(op.return === null ? 'never returned' : `return ${op.return}`);

    // The checker's own page, inside the frame, with its own element per operation.
    const frame = page.frameLocator('#checker');
    expect(await frame.locator('[data-op]').count()).toBe(operations.length);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('a run with the new faults: pauses, slow disks, clock jumps, delays and cut-off clients explain themselves on hover', async () => {
    const { page, errors } = await open(await newFaultsRun());
    const tip = page.locator('#tip');
    const hover = async (selector: string) => {
      await page.locator(selector).first().hover({ force: true });
      return tip.textContent();
    };
    expect(await hover('[data-cause="pause"]')).toMatch(/^n2 down \(pause\): \d+ messages, requests and fsync completions waited for it\n600–1000 virtual ms, resumed at 1000/);
    expect(await hover('[data-mark="slow-disk"]')).toMatch(/^n1: disk 20× slower\n1200–1700 virtual ms/);
    expect(await hover('[data-mark="clock-jump"]')).toMatch(/^n2: clock jumped 100 ms forward/);
    expect(await hover('[data-net="delay"] .nb')).toMatch(/^delayed n\d->n\d \w+ t\d+ \+700 ms\n/);
    expect(await hover('[data-net="clients-reach"] .nb')).toMatch(/^clients reach n3 only\n1800–2300/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('hovering a role segment, a down band and a network band explains it; zoom widens the axis', async () => {
    const { page, errors } = await open(await faultyPass());
    const tip = page.locator('#tip');
    // A leader segment where it shows: its term is written there (the text lets the mouse through).
    const term = (await page.locator('#timeline .term').first().boundingBox())!;
    await page.mouse.move(term.x + term.width / 2, term.y + term.height / 2);
    expect(await tip.textContent()).toMatch(/^n\d: leader, term \d+/);
    await page.locator('[data-kind="down"]').first().hover({ force: true });
    expect(await tip.textContent()).toMatch(/^n\d down \(crash\)/);
    await page.locator('[data-kind="network"] .nb').first().hover({ force: true });
    expect(await tip.textContent()).toMatch(/^(isolate|partition|bridge|ring|one-way|hold)\b.*\n\d+–\d+ virtual ms/);

    const before = (await page.locator('#timeline').boundingBox())!.width;
    await page.locator('#zoom-in').click();
    await page.locator('#zoom-in').click();
    expect((await page.locator('#timeline').boundingBox())!.width).toBeCloseTo(before * 4, 0);
    await page.locator('#zoom-fit').click();
    expect((await page.locator('#timeline').boundingBox())!.width).toBeCloseTo(before, 0);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
