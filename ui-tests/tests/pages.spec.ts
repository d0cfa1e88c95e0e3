import { APIRequestContext, expect, Page, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as path from 'path';

import { server } from './lab';

/**
 * The sandbox's pages (issue 17 §2) in real Chromium: every kind of link the widgets show (repo, commit,
 * pull request, discussion, tree, blob, the tokens page) opens a page with the expected content, and no
 * payload of the XSS battery (card, file, commit message, PR title and comments) runs. The sandbox is the
 * one launch.py started; these pages need no JupyterLab.
 */

interface ILinks {
  repo: string;
  commit: string;
  pr: string;
  pr_commit: string;
  discussion: string;
  tree: string;
  blob: string;
  image: string;
  tokens: string;
  private: string;
}

const PYTHON = process.env.PYTHON || path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
const STAMP = Date.now().toString(36);
const BOB = 'hf_sandbox_bob_write'; // launch.py's second user

let links: ILinks;

async function flags(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(window).filter(key => key.startsWith('__xss_')));
}

/** Open `url` as a browser does; the page must be HTML with a script-free policy and run nothing. */
async function open(page: Page, url: string, status = 200): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status()).toBe(status);
  expect(response?.headers()['content-type']).toContain('text/html');
  const csp = response?.headers()['content-security-policy'] || '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('script-src');
  await expect(page.locator('header')).toContainText('Sandbox Hub');
}

/** No payload ran, and no link on the page goes anywhere but http(s). */
async function inert(page: Page): Promise<void> {
  expect(await flags(page)).toEqual([]);
  const hrefs = await page.locator('a[href]').evaluateAll(as => as.map(a => (a as HTMLAnchorElement).href));
  for (const href of hrefs) {
    expect(href).toMatch(/^(https?:|mailto:)/);
  }
  expect(await page.locator('script, iframe, object, embed, svg').count()).toBe(0);
}

async function whoami(request: APIRequestContext, token: string): Promise<number> {
  const answer = await request.get(`${server().endpoint}/api/whoami-v2`, {
    headers: { authorization: `Bearer ${token}` }
  });
  return answer.status();
}

test.describe('sandbox pages', () => {
  test.beforeAll(() => {
    const { endpoint, alice } = server();
    const out = execFileSync(PYTHON, [
      path.resolve(__dirname, '..', 'seed_pages.py'),
      endpoint,
      alice,
      `alice/pages-${STAMP}`,
      BOB,
      `bob/private-${STAMP}`
    ]);
    links = JSON.parse(out.toString());
  });

  test.beforeEach(async ({ context }) => {
    // Loopback only: anything a payload points elsewhere is refused.
    await context.route('**/*', route => {
      const host = new URL(route.request().url()).hostname;
      return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
    });
  });

  test('the repo page shows the sanitized card and the files', async ({ page }) => {
    await open(page, links.repo);
    const card = page.locator('article.card');
    await expect(card.locator('h1')).toHaveText('Payload model card');
    await expect(card.locator('table td', { hasText: 'accuracy' })).toBeVisible();
    await expect(card.locator('pre code')).toContainText('print("a code block")');
    await expect(card).not.toContainText('do-not-show');
    // The relative image is the repo's logo.png, and it loads.
    const logo = card.locator('img[alt="the logo"]');
    await expect(logo).toBeVisible();
    expect(await logo.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBe(48);
    await expect(page.locator('table.files a', { hasText: 'notes.txt' })).toBeVisible();
    await inert(page);
    // Every link on the card page is clicked: none runs anything.
    const count = await card.locator('a[href]').count();
    for (let i = 0; i < count; i++) {
      await card.locator('a[href]').nth(i).click({ modifiers: ['Control'] }).catch(() => undefined);
    }
    await inert(page);
    // The file list opens the tree page.
    await page.locator('table.files a', { hasText: 'docs/' }).click();
    await expect(page).toHaveURL(links.tree);
    await expect(page.locator('table.files a', { hasText: 'guide.md' })).toBeVisible();
  });

  test('the commit page shows the escaped message and diff', async ({ page }) => {
    await open(page, links.commit);
    await expect(page.locator('main h2').first()).toHaveText(
      '<img src=x onerror="window.__xss_2=1"> <a href="javascript:window.__xss_6=1">commit</a>'
    );
    await expect(page.locator('main')).toContainText('notes.txt');
    await expect(page.locator('pre span.add', { hasText: '+<script>window.__xss_1=1</script>' })).toBeVisible();
    await inert(page);
  });

  test('the pull request page shows its events', async ({ page }) => {
    await open(page, links.pr);
    await expect(page.locator('main h2')).toContainText('PR <img src=x onerror="window.__xss_2=1">');
    await expect(page.locator('main')).toContainText('refs/pr/1');
    await expect(page.locator('section.event.comment strong')).toHaveText('bold');
    await expect(page.locator('section.event', { hasText: 'pushed' })).toBeVisible();
    await inert(page);
    // Its commit event links the commit page the push panel links.
    await page.locator('section.event a', { hasText: links.pr_commit.slice(-40, -33) }).click();
    await expect(page).toHaveURL(links.pr_commit);
    await expect(page.locator('main')).toContainText('docs/pr.md');
    await inert(page);
  });

  test('the discussion, tree and blob pages', async ({ page }) => {
    await open(page, links.discussion);
    await expect(page.locator('main h2')).toContainText('Question <img src=x');
    await expect(page.locator('section.event.comment em')).toHaveText('words');
    await inert(page);
    await open(page, links.blob);
    await expect(page.locator('pre.file')).toContainText('<script>window.__xss_1=1</script>');
    await inert(page);
    await open(page, links.image);
    const image = page.locator('main img');
    await expect(image).toBeVisible();
    expect(await image.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBe(48);
    await open(page, links.tree);
    await expect(page.locator('table.files')).toContainText('guide.md');
    await inert(page);
  });

  test('a private repo is a 404 page until its owner signs in', async ({ page }) => {
    await open(page, links.private, 404);
    await expect(page.locator('main')).not.toContainText('private card');
    await page.goto(links.tokens);
    await page.getByLabel('Your token:').fill(BOB);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('h1')).toHaveText('Access tokens of bob');
    await open(page, links.private);
    await expect(page.locator('article.card h1')).toHaveText('private card');
  });

  test('the tokens page creates a token (shown once) and revokes it', async ({ page, request }) => {
    await open(page, links.tokens);
    await page.getByLabel('Your token:').fill(server().alice);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.locator('h1')).toHaveText('Access tokens of alice');
    const name = `spec <b>${STAMP}</b>`;
    await page.getByLabel('Name:').fill(name);
    await page.getByLabel('Role:').selectOption('read');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.getByLabel('New token').inputValue();
    expect(token).toMatch(/^hf_/);
    expect(await whoami(request, token)).toBe(200);
    await page.goto(links.tokens);
    await expect(page.locator('main')).not.toContainText(token);
    const row = page.locator('tr', { hasText: name });
    await expect(row).toContainText('read');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(page.locator('.msg')).toHaveText('Revoked 1 token.');
    await expect(page.locator('tr', { hasText: name })).toHaveCount(0);
    expect(await whoami(request, token)).toBe(401);
    expect(await whoami(request, server().alice)).toBe(200);
    await inert(page);
  });
});
