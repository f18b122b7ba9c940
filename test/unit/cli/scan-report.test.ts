import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ndjson, REPO, tuxwatch } from '../../support/cli';

/** Debian's chromium, installed by the test set-up (.ci/run: apt-get install chromium). */
const CHROMIUM = process.env.TUXWATCH_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** where the screenshot is kept for a person to look at */
const OUTPUT = resolve(REPO, 'test-output', 'scan-report');

interface AlertDoc {
  rule: { id: string };
  event: { id: string };
}

describe('scan --report: the HTML report of samples/web01 in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tuxwatch-report-'));
  const report = join(dir, 'web01.html');
  const web01 = ['--host', 'web01', '--timezone', 'Europe/Berlin', 'samples/web01'];
  let browser: BrowserContext;

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM}: apt-get install -y chromium`).toBe(true);
    // a fresh profile directory each run (playwright passes it as --user-data-dir)
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tuxwatch-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);
  afterAll(async () => browser?.close());

  it('renders every finding, the chart and the summary, fetches nothing, and filters by text', async () => {
    const run = tuxwatch(['scan', '--format', 'ndjson', '--report', report, ...web01]);
    expect(run.status, run.stderr).toBe(0);
    const alerts = ndjson<AlertDoc>(run.stdout);
    expect(alerts.length).toBeGreaterThan(20);
    expect(readFileSync(report, 'utf8')).not.toMatch(/<(?:script|link|img)[^>]+(?:src|href)=/);

    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${report}`);
    // the only request is the file itself: no CDN, no font, no image from anywhere
    expect(requests).toEqual([`file://${report}`]);

    // every alert of the NDJSON output is a visible row of the table, in the same (timeline) order
    const rows = page.locator('#alert-table tbody tr');
    expect(await rows.count()).toBe(alerts.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual(
      alerts.map((a) => a.event.id),
    );
    for (let i = 0; i < alerts.length; i++) await expect.poll(() => rows.nth(i).isVisible()).toBe(true);
    const text = await page.locator('#alert-table').innerText();
    for (const finding of [
      'new-uid0-account',
      'target=toor',
      'target=tmpadmin',
      'path=/root/.ssh/authorized_keys',
      'path=/usr/local/bin/.rootsh',
      'process=nc.openbsd',
      'exe=/tmp/gen.Al5v/bin/smbd',
      'to=203.0.113.50:1337',
    ])
      expect(text).toContain(finding);

    // the chart: one lane for web01, bars coloured by severity
    await expect.poll(() => page.locator('#timeline').isVisible()).toBe(true);
    expect(await page.locator('#timeline .lane').allTextContents()).toEqual(['web01']);
    expect(await page.locator('#timeline rect.sev-critical').count()).toBeGreaterThan(0);
    expect(await page.locator('#timeline rect.sev-high').count()).toBeGreaterThan(0);
    expect(await page.locator('#summary').innerText()).toMatch(/alerts\s+\d+: critical 2/);

    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: join(OUTPUT, 'web01.png'), fullPage: true });

    // the filter: every word must appear in a row
    await page.fill('#filter', 'suspicious-listener smbd');
    const visible = await rows.evaluateAll((trs) =>
      trs
        .filter((tr) => (tr as unknown as { style: { display: string } }).style.display !== 'none')
        .map((tr) => tr.textContent ?? ''),
    );
    expect(visible).toHaveLength(2);
    for (const row of visible) expect(row).toMatch(/suspicious-listener.*smbd/);
    expect(await page.locator('#shown').innerText()).toBe(`2 of ${alerts.length}`);
    await page.screenshot({ path: join(OUTPUT, 'web01-filtered.png') });
    await page.close();
  }, 120_000);

  it('evidence text cannot become markup', async () => {
    const hostile = join(dir, 'hostile.log');
    const line =
      'Nov 26 09:11:17 web01 useradd[207]: new user: name=<img src=x onerror=alert(1)>, UID=0, GID=0, home=/root, shell=/bin/bash, from=none';
    const out = join(dir, 'hostile.html');
    writeFileSync(hostile, line + '\n');
    const run = tuxwatch(['scan', '--report', out, hostile]);
    expect(run.status, run.stderr).toBe(0);
    const page = await browser.newPage();
    await page.goto(`file://${out}`);
    expect(await page.locator('#alert-table img').count()).toBe(0);
    expect(await page.locator('#alert-table').innerText()).toContain('target="<img src=x onerror=alert(1)>"');
    await page.close();
  }, 60_000);
});
