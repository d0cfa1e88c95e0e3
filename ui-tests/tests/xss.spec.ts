import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { openLab, putNotebook, runAllCells, server } from './lab';

/**
 * The XSS battery (tests/xss_payloads.py) in real Chromium: a sandbox repo whose README, .md, .html
 * and .ipynb files and a commit message hold payloads that each set their own `window.__xss_<n>`
 * flag, shown through RepoBrowser's card tab, its Files previews, its History tab, the
 * ModelCardEditor's preview and a playground chat answer. Every link is clicked; no flag may be
 * set, and the legitimate parts (heading, table, image, code block) must be visible.
 */

const PYTHON = process.env.PYTHON || path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');
const REPO = `alice/xss-payloads-${Date.now().toString(36)}`;
const NOTEBOOK = 'xss.ipynb';

/** One cell per view; each waits until its view has loaded, then displays it. */
function cells(): string[] {
  const repo = JSON.stringify(REPO);
  return [
    'import time\nfrom hub_widgets.browser.panel import RepoBrowser\nfrom hub_widgets.card import ModelCardEditor\n' +
      'def until(check):\n    deadline = time.monotonic() + 60\n    while not check() and time.monotonic() < deadline:\n        time.sleep(0.05)\n' +
      // A listing may be redrawn (or reloaded for the resolved revision) between a check and a click:
      // click until the selection holds.
      'def pick(select, value):\n    def attempt():\n        try:\n            select.value = value\n        except Exception:\n            return False\n        return select.value == value\n    until(attempt)\n' +
      `REPO = ${repo}`,
    'card = RepoBrowser(repo_id=REPO)\ncard.info_task.wait(60)\ncard',
    ...['docs/guide.md', 'page.html', 'nb.ipynb'].map(
      file =>
        `b = RepoBrowser(repo_id=REPO)\nb.info_task.wait(60)\nb.tabs.selected_index = 1\nuntil(lambda: b.files.folder_entries(""))\n` +
        (file.includes('/') ? 'b.files.open_folder("docs").wait(60)\n' : '') +
        `pick(b.files.tree, "f:${file}")\nb.files.preview_task.wait(60)\nb`
    ),
    'h = RepoBrowser(repo_id=REPO)\nh.tabs.selected_index = 2\nh.history.commits_task.wait(60)\n' +
      'until(lambda: h.history.commit_list.options)\n' +
      'pick(h.history.commit_list, (h.history.commits[0].commit_id,))\nh.history.compare_selected().wait(60)\nh',
    'e = ModelCardEditor(repo_id=REPO)\ne.task.wait(60)\ne.tabs.selected_index = 1\ne',
    // No sandbox model answers with payloads: the chat render of the battery, as a lane shows it.
    'import ipywidgets as W\nfrom hub_widgets.playground import render\nfrom tests import xss_payloads as X\n' +
      'W.HTML(render.chat_html([{"role": "user", "content": X.payload_markdown()}, {"role": "assistant", "content": X.LEGIT_MARKDOWN + X.payload_markdown()}]))'
  ];
}

async function flags(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(window).filter(key => key.startsWith('__xss_')));
}

test('no payload runs in any view, and the card still renders', async ({ page, context }) => {
  const { endpoint, alice } = server();
  execFileSync(PYTHON, [path.resolve(__dirname, '..', 'seed_xss.py'), endpoint, alice, REPO]);
  // Loopback only: anything a payload or a link points elsewhere is refused.
  await context.route('**/*', route => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  const popups: string[] = [];
  context.on('page', async popup => {
    popups.push(popup.url());
    await popup.close().catch(() => undefined);
  });
  await putNotebook(page.request, NOTEBOOK, cells());
  await openLab(page, `lab/tree/${NOTEBOOK}`);
  await runAllCells(page, NOTEBOOK);

  const notebook = page.locator('.jp-NotebookPanel');
  const outputs = notebook.locator('.jp-OutputArea-output');
  // Every cell ran (the last one shows the chat), then: no flag set by merely showing the views.
  await expect(notebook.locator('h1', { hasText: 'Payload model card' }).first()).toBeVisible({ timeout: 120_000 });
  await expect(notebook.locator('.hubw-msg.hubw-assistant').first()).toBeAttached({ timeout: 120_000 });
  await page.waitForTimeout(1000); // let onload / onerror / autofocus handlers fire, if any got through
  expect(await flags(page)).toEqual([]);
  // Every view rendered: the card (tab and editor preview), the three previews, the diff, the chat.
  await expect(notebook.locator('h1', { hasText: 'Payload page' })).toHaveCount(1, { timeout: 60_000 });
  await expect(notebook.locator('.hubw-notebook')).toHaveCount(1, { timeout: 60_000 });
  await expect(notebook.getByText('notes.txt').first()).toBeAttached({ timeout: 60_000 });
  await expect(notebook.locator('.hubw-msg.hubw-assistant h1', { hasText: 'Payload model card' })).toHaveCount(1, {
    timeout: 60_000
  });
  const errors = await outputs.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts();
  expect(errors.join('\n')).not.toContain('Traceback');

  // The legitimate parts, visible.
  const firstCard = notebook.locator('.jp-OutputArea-output').filter({ has: page.locator('h1', { hasText: 'Payload model card' }) }).first();
  await expect(firstCard.locator('table').first()).toBeVisible();
  await expect(firstCard.locator('pre code').first()).toBeVisible();
  const logo = firstCard.locator('img[alt="the logo"]').first();
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(48);

  // Click every link the views show (new tabs are closed; only loopback is reachable).
  const links = outputs.locator('a');
  const count = await links.count();
  let clicked = 0;
  for (let i = 0; i < count; i++) {
    const link = links.nth(i);
    if (!(await link.isVisible())) {
      continue;
    }
    await link.scrollIntoViewIfNeeded();
    await link.click({ timeout: 5_000 }).catch(() => undefined);
    clicked++;
  }
  expect(clicked).toBeGreaterThan(10);
  await page.waitForTimeout(500);
  expect(await flags(page)).toEqual([]);
  expect(page.url()).toContain(`/lab/tree/${NOTEBOOK}`); // no link navigated the page away
  // Nothing dangerous reached the DOM of any notebook's outputs: this one's, and those the other specs left
  // open (the workspace brings them back; their widgets are live views of the same code).
  // The package's own copy button (ui/html.py copy_button): its one handler is a constant with no data in
  // it (what it copies is escaped text beside it). Exactly that handler is allowed, on that button only.
  const copyHandler = execFileSync(PYTHON, ['-c', 'from hub_widgets.ui.html import COPY_ONCLICK; print(COPY_ONCLICK)'], {
    encoding: 'utf8'
  }).trim();
  const dangerous = await outputs.evaluateAll(
    (nodes, copy) =>
    nodes.flatMap(node =>
      Array.from(node.querySelectorAll('*'))
        .filter(
          el =>
            !(
              el.tagName === 'BUTTON' &&
              el.classList.contains('hubw-copy') &&
              el.getAttribute('onclick') === copy &&
              Array.from(el.attributes).every(a => a.name === 'onclick' || !a.name.startsWith('on'))
            ) &&
            // The package's own stylesheet (ui/style.py): a <style> directly in the content of the HTML
            // widget that carries the hubw-style class, first child of a view's root. Nothing else.
            !(
              el.tagName === 'STYLE' &&
              el.parentElement?.classList.contains('widget-html-content') &&
              el.parentElement?.parentElement?.classList.contains('hubw-style')
            ) &&
            (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'FORM', 'BASE', 'META', 'STYLE'].includes(el.tagName) ||
            // MathML is what the page's own typesetter makes of `$…$`; SVG can only come from a payload.
            el.namespaceURI === 'http://www.w3.org/2000/svg' ||
            (el.namespaceURI === 'http://www.w3.org/1998/Math/MathML' && el.hasAttribute('href')) ||
            Array.from(el.attributes).some(
              a =>
                a.name.startsWith('on') ||
                (['href', 'src', 'action', 'data'].includes(a.name) && /^\s*(javascript|vbscript|data:text)/i.test(a.value))
            ))
        )
        .map(el => `<${el.tagName.toLowerCase()} ${Array.from(el.attributes).map(a => `${a.name}=${a.value.slice(0, 80)}`).join(' ')}>`)
    ),
    copyHandler
  );
  expect(dangerous).toEqual([]);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, 'xss.json'), JSON.stringify({ clicked, popups }, null, 2));
});
