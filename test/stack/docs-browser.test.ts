// /docs in a real browser (Debian's Chromium, installed by the test runner, driven by
// playwright-core): the reference UI renders the operations of /openapi.json with every byte from
// the Worker itself — no CDN, no font host, no telemetry. Every request the page makes is recorded
// and must go to the stack's 127.0.0.1 origin; anything else is aborted, and Chromium resolves no
// other host name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_BUNDLE_PATH, DOCS_CSP } from '../../src/routes/docs/index.ts';
import { readStackInfo } from '../stack-info.ts';

const info = readStackInfo();
const origin = new URL(info.apiUrl).origin;

interface OpenApiDoc {
  paths: Record<string, Record<string, { summary?: string; tags?: string[] }>>;
}

let profileDir: string;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const violations: Array<{ directive: string; blocked: string; source: string }> = [];

beforeAll(async () => {
  profileDir = mkdtempSync(join(tmpdir(), 'crefans-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true, // adds --headless; chromiumSandbox defaults to false, which adds --no-sandbox
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No name resolves except the stack's address: nothing can leave even unseen by the recorder.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return new URL(url).origin === origin ? route.continue() : route.abort('blockedbyclient');
  });
  await context.exposeFunction('__cspViolation', (v: (typeof violations)[number]) => {
    violations.push(v);
  });
  // Runs in the page (a string: this file is type-checked without the DOM library).
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) => window.__cspViolation({
      directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile }));`,
  });
  page = context.pages()[0] ?? (await context.newPage());
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

describe('/docs in headless Chromium', () => {
  it('sends a policy that allows only our own origin', async () => {
    const res = await fetch(`${info.apiUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(DOCS_CSP).not.toMatch(/https?:|\*/);
    const bundle = await fetch(`${info.apiUrl}${DOCS_BUNDLE_PATH}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(1_000_000);
  });

  it('renders the operations of /openapi.json with no request leaving the machine', async () => {
    const doc = (await (await fetch(`${info.apiUrl}/openapi.json`)).json()) as OpenApiDoc;
    // The first operation of a few tags: each tag is a group in the sidebar, opened by a click.
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.values(ops).map((op) => ({ path, tag: op.tags?.[0], summary: op.summary ?? '' })),
    );
    const wanted = ['system', 'auth', 'wallet', 'postings', 'payment'].map((tag) => {
      const found = operations.find((op) => op.tag === tag && op.summary);
      if (!found) throw new Error(`no operation tagged ${tag} in /openapi.json`);
      return { tag, summary: found.summary };
    });

    const response = await page.goto(`${info.apiUrl}/docs`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await page
      .getByRole('heading', { name: 'crefans API' })
      .first()
      .waitFor({ timeout: 60_000 })
      .catch((err: Error) => {
        throw new Error(`${err.message}\nthe page requested: ${requests.join(', ')}`);
      });
    for (const { tag, summary } of wanted) {
      const sidebar = page.locator('aside, nav').first();
      const entry = sidebar.getByText(summary, { exact: true }).first();
      if (!(await entry.isVisible())) await sidebar.getByText(tag, { exact: true }).first().click();
      await entry.waitFor({ state: 'visible', timeout: 15_000 });
    }
    // The first tag's operations are laid out in the page body with their paths.
    for (const { path } of operations.filter((op) => op.tag === 'system' && op.path.length > 1)) {
      await page.getByText(path, { exact: true }).first().waitFor({ timeout: 15_000 });
    }

    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(requests).toEqual(
      expect.arrayContaining([
        `${origin}/docs`,
        `${origin}${DOCS_BUNDLE_PATH}`,
        `${origin}/openapi.json`,
      ]),
    );
    // The policy blocks nothing the page needs. The one report is zod's feature probe
    // (`new Function('')` to decide whether it may compile validators), which falls back by design.
    const unexpected = violations.filter(
      (v) => !(v.directive === 'script-src' && v.blocked === 'eval'),
    );
    expect(unexpected).toEqual([]);
  });
});
