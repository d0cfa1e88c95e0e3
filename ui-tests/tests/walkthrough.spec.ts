import { BrowserContext, expect, Locator, Page, test } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import { labReady, openLab, putNotebook, server, showSidebar, SIDEBAR } from './lab';

/**
 * The demo as a new user walks it (issue 15, "Done when"), in Chromium against JupyterLab on a
 * SandboxHub: log in with the browser (device flow), push a folder with a secret (blocked) then without
 * it (pushed), browse the pushed repo, edit its card and open a pull request, chat in the playground
 * and compare two models, quick push from the sidebar, reload the page. Each result link kind (repo
 * page, commit, pull request) is opened once: it must be a sandbox page, not a JSON 404.
 *
 * It fails on any console error or uncaught page error (in JupyterLab and in every page it opens) and
 * on any Python traceback shown in an output or the sidebar.
 *
 * Selectors are roles, button texts and `.hubw-*` classes, scoped to the cell whose output holds the
 * widget, so layout changes (issue 15 §1) do not break them.
 */

const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'walkthrough');
const PYTHON = process.env.PYTHON || path.resolve(__dirname, '..', '..', '.venv', 'bin', 'python');
const STAMP = Date.now().toString(36);
const NOTEBOOK = `walkthrough-${STAMP}.ipynb`;
const MODEL_NAME = `walk-model-${STAMP}`;
const QUICK_REPO = `walk-quick-${STAMP}`;
const RENDERED = `${SIDEBAR} .hub-sidebar`;

/** The walkthrough notebook: one widget per cell, as the README and the demo notebooks build them. */
function cells(): string[] {
  return [
    'from hub_widgets import LoginWidget\n\nLoginWidget()',
    [
      'import tempfile',
      'from pathlib import Path',
      '',
      'from hub_widgets import PushPanel',
      '',
      `folder = Path(tempfile.mkdtemp()) / "${MODEL_NAME}"`,
      'folder.mkdir()',
      '(folder / "README.md").write_text("---\\nlicense: mit\\n---\\n# Walk model\\n\\nMade by the walkthrough.\\n")',
      '(folder / "config.json").write_text(\'{"hidden_size": 8}\')',
      '# A token left in the training script (built here so no token-shaped text is in the notebook).',
      '(folder / "train.py").write_text("TOKEN = \'" + "hf_" + "Wa1k" * 9 + "\'\\n")',
      'panel = PushPanel(str(folder))',
      'panel'
    ].join('\n'),
    '(folder / "train.py").write_text("import os\\n\\nTOKEN = os.environ.get(\'HF_TOKEN\')\\n")\nprint("train.py reads the token from the environment now")',
    'from hub_widgets import ModelCardEditor\n\nModelCardEditor(repo_id=panel.repo_id)',
    'from hub_widgets import InferencePlayground\n\nInferencePlayground(model="alice/e2e-chat")',
    'InferencePlayground(model="alice/e2e-sentiment")'
  ];
}

const CELL = { login: 0, push: 1, fix: 2, card: 3, chat: 4, compare: 5 };

/** Every console error and uncaught exception of `context`'s pages (popups included). */
let step = 'start';

function watchErrors(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', message => {
      if (message.type() === 'error') {
        errors.push(`[${step}] console error on ${page.url()}: ${message.text()}`);
      }
    });
    page.on('pageerror', error => errors.push(`[${step}] page error on ${page.url()}: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

/** No traceback text anywhere a user reads outputs: notebook outputs and the sidebar. */
async function expectNoTraceback(page: Page): Promise<void> {
  const texts = await page.locator('.jp-OutputArea-output, #hub-widgets-sidebar').allInnerTexts();
  for (const text of texts) {
    expect(text, 'a traceback is shown').not.toMatch(/\bTraceback\b/);
  }
  // Warnings and progress bars go to stderr: a new user should see none (issue 15 §2, tqdm bars).
  expect(await page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').allInnerTexts()).toEqual([]);
}

async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

/**
 * The button whose whole text is `text`. (Its accessible name also holds the Font Awesome glyph, so
 * an exact role name would not match.)
 */
function button(scope: Locator, text: string): Locator {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.locator('button', { hasText: new RegExp(`^\\s*${escaped}\\s*$`) });
}

const NOTEBOOK_PANEL = '.jp-NotebookPanel:not(.lm-mod-hidden)';

function cell(page: Page, index: number): Locator {
  return page.locator(`${NOTEBOOK_PANEL} .jp-Notebook .jp-Cell`).nth(index);
}

function output(page: Page, index: number): Locator {
  return cell(page, index).locator('.jp-Cell-outputArea');
}

/** Click into a cell and press Shift+Enter, as a user runs it; wait until the kernel is done. */
async function runCell(page: Page, index: number): Promise<void> {
  const target = cell(page, index);
  // click() scrolls the cell into view and waits while JupyterLab redraws the notebook.
  await target.locator('.jp-InputArea-editor').click();
  await page.keyboard.press('Shift+Enter');
  await expect(target.locator('.jp-InputPrompt')).toHaveText(/\[\d+\]/, { timeout: 90_000 });
}

/** Click a result link (it opens a new tab, as links from widgets do) and check it is a sandbox page. */
async function openResultLink(page: Page, anchor: Locator): Promise<Page> {
  const href = await anchor.getAttribute('href');
  expect(href, 'the result link points at the sandbox').toContain(server().endpoint);
  const [tab] = await Promise.all([page.context().waitForEvent('page'), anchor.click()]);
  const response = await tab.waitForResponse(answer => answer.url() === href, { timeout: 30_000 }).catch(() => null);
  await tab.waitForLoadState();
  if (response) {
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/html');
  }
  await expect(tab.locator('header')).toContainText('Sandbox Hub');
  return tab;
}

test.describe.serial('the demo walkthrough', () => {
  test.beforeAll(async ({ request }) => {
    await putNotebook(request, NOTEBOOK, cells());
  });

  test('a new user walks the demo', async ({ page, context }) => {
    test.setTimeout(900_000);
    const errors = watchErrors(context);
    const { endpoint, alice } = server();
    // Loopback only: a link that leaves the machine is refused (and its error fails the test).
    await context.route('**/*', route => {
      const host = new URL(route.request().url()).hostname;
      return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
    });

    await test.step('open the notebook', async () => {
      step = 'open the notebook';
      // A new user's JupyterLab: no tabs left open by earlier specs on this server (`reset`).
      await openLab(page, `lab/tree/${NOTEBOOK}?reset`);
      await expect(cell(page, CELL.compare)).toBeAttached({ timeout: 60_000 });
      await page.waitForFunction(
        p => {
          const current = (window as any).jupyterapp.shell.currentWidget;
          return current?.context?.path === p && current.sessionContext?.session?.kernel?.status === 'idle';
        },
        NOTEBOOK,
        { timeout: 90_000 }
      );
      expect(page.url()).not.toContain('reset'); // (or the reload below would reset the layout again)
    });

    await test.step('log in with the browser (device flow)', async () => {
      step = 'log in with the browser (device flow)';
      await runCell(page, CELL.login);
      const login = output(page, CELL.login).locator('.hubw-login');
      await expect(login).toBeVisible({ timeout: 60_000 });
      const browserButton = login.getByRole('button', { name: 'Log in with browser' });
      const logOut = login.getByRole('button', { name: 'Log out of all' });
      await expect(browserButton.or(logOut)).toBeVisible({ timeout: 60_000 });
      if (await logOut.isVisible()) {
        // An earlier spec on this server logged in: start from the logged-out state a new user sees.
        await logOut.click();
      }
      await browserButton.click();
      const verify = login.locator(`a[href^="${endpoint}"]`).first();
      await expect(verify).toBeVisible({ timeout: 30_000 });
      const [approval] = await Promise.all([context.waitForEvent('page'), verify.click()]);
      await approval.waitForLoadState();
      await expect(approval.locator('h1')).toContainText('Sandbox Hub');
      await approval.getByLabel('Your token:').fill(alice);
      await approval.getByRole('button', { name: 'Sign in' }).click();
      await approval.getByRole('button', { name: 'Approve' }).click();
      await expect(approval.locator('.msg')).toContainText('Approved');
      await approval.close();
      await expect(login).toContainText('alice', { timeout: 60_000 });
      await expect(button(login, 'Log out')).toBeVisible();
      await expect(page.locator('body')).not.toContainText(alice);
      await expectNoTraceback(page);
      await screenshot(page, '1-logged-in.png');
    });

    const push = output(page, CELL.push);
    await test.step('push with a secret: blocked', async () => {
      step = 'push with a secret: blocked';
      await runCell(page, CELL.push);
      const planButton = push.getByRole('button', { name: 'Plan' });
      await expect(planButton).toBeVisible({ timeout: 60_000 });
      // The defaults a new user gets (issue 15 §2): the logged-in user's namespace, the folder's name.
      await expect(push.locator('select').first()).toHaveValue('alice', { timeout: 30_000 });
      await expect(push.locator('input[placeholder="my-model"]')).toHaveValue(MODEL_NAME);
      await planButton.click();
      const blocked = push.getByRole('button', { name: /Push blocked/ });
      await expect(blocked).toBeVisible({ timeout: 90_000 });
      await expect(blocked).toBeDisabled();
      await expect(push).toContainText('train.py');
      await expectNoTraceback(page);
      await screenshot(page, '2-push-blocked.png');
    });

    await test.step('push without the secret: pushed, links open sandbox pages', async () => {
      step = 'push without the secret: pushed, links open sandbox pages';
      await runCell(page, CELL.fix);
      await expect(output(page, CELL.fix)).toContainText('reads the token from the environment');
      await push.getByRole('button', { name: 'Plan' }).click();
      // "Push", or with the plan's size ("Push 3 files, 124 B"); not "Push blocked: …".
      const pushButton = push.locator('button', { hasText: /^\s*Push(?! blocked)\b/ });
      await expect(pushButton).toBeEnabled({ timeout: 90_000 });
      await pushButton.click();
      await expect(push).toContainText(`Pushed`, { timeout: 120_000 });
      await expect(push).toContainText(`alice/${MODEL_NAME}`);
      // Nothing of the blocked attempt is left (issue 15 §2: what is shown belongs to the current plan).
      await expect(push.getByRole('button', { name: /Push blocked/ })).toHaveCount(0);
      await expectNoTraceback(page);
      await screenshot(page, '3-pushed.png');

      const repoPage = await openResultLink(page, push.getByRole('link', { name: 'Repo page' }).first());
      await expect(repoPage.locator('article.card h1')).toHaveText('Walk model');
      await expect(repoPage.locator('table.files')).toContainText('train.py');
      await repoPage.close();
      const commitPage = await openResultLink(page, push.getByRole('link', { name: 'Commit' }).first());
      await expect(commitPage.locator('main')).toContainText('train.py');
      await commitPage.close();
      // The pushed repo holds the clean script, as the Hub client sees it.
      const repo = JSON.parse(
        execFileSync(PYTHON, [path.resolve(__dirname, '..', 'hub_check.py'), endpoint, alice, `alice/${MODEL_NAME}`], {
          encoding: 'utf8'
        })
      );
      expect(repo.files).toEqual(expect.arrayContaining(['README.md', 'config.json', 'train.py']));
    });

    await test.step('browse the pushed repo', async () => {
      step = 'browse the pushed repo';
      await push.getByRole('button', { name: 'Open in repo browser' }).click();
      await expect(push.getByRole('tab', { name: 'Files' })).toBeVisible({ timeout: 60_000 });
      // The Card tab: the card rendered.
      await expect(push.locator('h1', { hasText: 'Walk model' })).toBeVisible({ timeout: 60_000 });
      await push.getByRole('tab', { name: 'Files' }).click();
      // A file row: a button today, an option of a list before.
      const file = push.getByRole('button', { name: /train\.py/ }).or(push.locator('option', { hasText: 'train.py' }));
      await expect(file.first()).toBeVisible({ timeout: 60_000 });
      await push.getByRole('tab', { name: 'History' }).click();
      // A commit row (a button today, an option of a list before); one click shows what it changed.
      const commit = push
        .getByRole('button', { name: /Upload with hub-widgets/ })
        .or(push.locator('option', { hasText: 'Upload with hub-widgets' }));
      await expect(commit.first()).toBeVisible({ timeout: 60_000 });
      await commit.first().click();
      await expect(push).toContainText("TOKEN = os.environ.get('HF_TOKEN')", { timeout: 60_000 });
      await expectNoTraceback(page);
      await screenshot(page, '4-browse.png');
    });

    await test.step('edit the card and open a pull request', async () => {
      step = 'edit the card and open a pull request';
      await runCell(page, CELL.card);
      const editor = output(page, CELL.card);
      const license = editor.locator('input[placeholder^="apache-2.0"]');
      await expect(license).toBeVisible({ timeout: 60_000 });
      await expect(license).toHaveValue('mit', { timeout: 60_000 });
      await license.fill('apache-2.0');
      await license.press('Enter');
      await editor.getByRole('button', { name: 'Pull request' }).click();
      // A pull request has its own title field, shown once the kernel has switched the target (the
      // commit message field may still be visible for a moment: never type into that one).
      const message = editor.locator('input[placeholder="Update the model card"]');
      await expect(message).toBeVisible({ timeout: 30_000 });
      await expect(editor.locator('input[placeholder="Update README.md"]')).toBeHidden({ timeout: 30_000 });
      await message.fill('Walkthrough: Apache-2.0 license', { timeout: 30_000 });
      await message.press('Enter');
      await editor.getByRole('button', { name: 'Review & save…' }).click();
      await expect(editor).toContainText('apache-2.0', { timeout: 60_000 });
      await editor.getByRole('button', { name: 'Confirm' }).click();
      const prLink = editor.getByRole('link', { name: 'Open the pull request' });
      await expect(prLink).toBeVisible({ timeout: 60_000 });
      await expectNoTraceback(page);
      await screenshot(page, '5-card-pr.png');
      const prPage = await openResultLink(page, prLink);
      await expect(prPage.locator('main h2')).toContainText('Walkthrough: Apache-2.0 license');
      await expect(prPage.locator('main')).toContainText('refs/pr/');
      await prPage.close();
    });

    await test.step('chat in the playground', async () => {
      step = 'chat in the playground';
      await runCell(page, CELL.chat);
      const chat = output(page, CELL.chat).locator('.hubw-playground');
      await expect(chat).toContainText('alice/e2e-chat: Chat.', { timeout: 60_000 });
      const message = chat.locator('textarea').filter({ visible: true }).last();
      await message.fill('Tell me about the sea.');
      await chat.getByRole('button', { name: 'Send' }).click();
      await expect(chat.locator('.hubw-assistant').first()).toBeVisible({ timeout: 60_000 });
      await expect(chat).toContainText('completion tokens', { timeout: 60_000 });
      await expectNoTraceback(page);
    });

    await test.step('compare two models', async () => {
      step = 'compare two models';
      await runCell(page, CELL.compare);
      const compare = output(page, CELL.compare).locator('.hubw-playground');
      await expect(compare).toContainText('alice/e2e-sentiment: Text classification.', { timeout: 60_000 });
      await compare.getByRole('button', { name: 'Compare' }).click();
      const laneB = compare.locator('input[placeholder="owner/name"]').nth(1);
      await expect(laneB).toBeVisible({ timeout: 30_000 });
      await laneB.fill('alice/e2e-sentiment-b');
      await laneB.press('Enter');
      await expect(laneB).toHaveValue('alice/e2e-sentiment-b');
      await compare.locator('textarea').filter({ visible: true }).first().fill('What a wonderful, lovely day!');
      await compare.getByRole('button', { name: 'Run' }).click();
      await expect(compare.locator('.hubw-bars')).toHaveCount(2, { timeout: 60_000 });
      for (const bars of await compare.locator('.hubw-bars').all()) {
        await expect(bars.locator('.hubw-bar-row').first()).toContainText('POSITIVE');
      }
      await expectNoTraceback(page);
      await screenshot(page, '6-compare.png');
    });

    const sidebar = page.locator(SIDEBAR);
    await test.step('quick push from the sidebar', async () => {
      step = 'quick push from the sidebar';
      await showSidebar(page);
      await expect(page.locator(RENDERED)).toBeVisible({ timeout: 90_000 });
      // The sidebar's kernel notices the login the notebook's kernel stored (no refresh click).
      await expect(sidebar).toContainText('alice', { timeout: 60_000 });
      await expect(sidebar).toContainText(`Current: ${NOTEBOOK}`, { timeout: 30_000 });
      const name = sidebar.locator('input[placeholder="repo name"]');
      await name.fill(QUICK_REPO);
      await name.press('Enter');
      await sidebar.getByRole('button', { name: 'Push notebook' }).click();
      // The plan is shown in a panel below the list, nothing is uploaded before its Push click, and the
      // new repo is private.
      await expect(sidebar).toContainText('Nothing was uploaded', { timeout: 90_000 });
      await expect(sidebar.getByRole('checkbox', { name: 'Private' })).toBeChecked();
      await screenshot(page, '7-quick-push-plan.png');
      const confirm = sidebar.locator('button', { hasText: /^\s*Push(?! blocked| notebook| folder)\b/ });
      await expect(confirm).toBeEnabled({ timeout: 60_000 });
      await confirm.click();
      await expect(sidebar).toContainText('Pushed', { timeout: 120_000 });
      const repo = JSON.parse(
        execFileSync(PYTHON, [path.resolve(__dirname, '..', 'hub_check.py'), endpoint, alice, `alice/${QUICK_REPO}`], {
          encoding: 'utf8'
        })
      );
      expect(repo.files).toContain(NOTEBOOK);
      await expectNoTraceback(page);
      await screenshot(page, '7-quick-pushed.png');
    });

    await test.step('reload the page: the sidebar comes back', async () => {
      step = 'reload the page: the sidebar comes back';
      // Save first, as a user does (else the reload asks to leave unsaved changes): the notebook on disk
      // holds the widget outputs, which must render again from the running kernel.
      await page.evaluate(async () => {
        await (window as any).jupyterapp.commands.execute('docmanager:save');
      });
      await page.reload();
      await labReady(page);
      // The layout restorer reopens the sidebar, on the same kernel, without a click.
      const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="hub-widgets-sidebar"]');
      await expect(tab).toHaveClass(/lm-mod-current/, { timeout: 60_000 });
      await expect(page.locator(RENDERED)).toBeVisible({ timeout: 90_000 });
      await expect(sidebar.locator('.hub-sidebar')).toContainText('alice', { timeout: 60_000 });
      // The notebook's widgets come back too, live: still logged in, the push result still there.
      await expect(output(page, CELL.login).locator('.hubw-login')).toContainText('alice', { timeout: 60_000 });
      await expect(output(page, CELL.push)).toContainText('Pushed');
      await expect(page.locator('body')).not.toContainText('model not found');
      await expect(page.locator('body')).not.toContainText(alice);
      await expectNoTraceback(page);
      await screenshot(page, '8-reloaded.png');
    });

    expect(errors, 'console errors and page errors').toEqual([]);
  });
});
