import { APIRequestContext, expect, Locator, Page } from '@playwright/test';
import * as fs from 'fs';

import { INFO_FILE } from '../global-setup';

/**
 * What every spec needs of the JupyterLab that global-setup.ts started: where it is, opening it,
 * writing a notebook into it, waiting for a notebook's kernel, its display language, the sidebar.
 */

/** The servers of this run (launch.py writes them to INFO_FILE). */
export interface IServerInfo {
  lab: string;
  token: string;
  endpoint: string;
  root: string;
  alice: string;
}

export const SIDEBAR = '#hub-widgets-sidebar';
const LANGUAGE_SETTINGS = '/lab/api/settings/@jupyterlab/translation-extension:plugin';

export function server(): IServerInfo {
  return JSON.parse(fs.readFileSync(INFO_FILE, 'utf8'));
}

/** Wait until JupyterLab has started and restored its layout. */
export async function labReady(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const app = (window as any).jupyterapp;
    return !!app && !!app.started && !!app.restored;
  });
  await page.evaluate(async () => {
    const app = (window as any).jupyterapp;
    await app.started;
    await app.restored;
  });
}

/** Open `route` of the JupyterLab server (`lab`, `lab/tree/x.ipynb`, `notebooks/x.ipynb`), then wait for it. */
export async function openLab(page: Page, route = 'lab'): Promise<void> {
  const { lab, token } = server();
  await page.goto(`${lab}/${route}${route.includes('?') ? '&' : '?'}token=${token}`);
  await labReady(page);
}

/** Write a notebook of code cells (`sources`, in order) at `notebookPath` of the server's root. */
export async function putNotebook(request: APIRequestContext, notebookPath: string, sources: string[]): Promise<void> {
  const { lab, token } = server();
  const content = {
    cells: sources.map(source => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  };
  const response = await request.put(`${lab}/api/contents/${notebookPath}`, {
    headers: { Authorization: `token ${token}` },
    data: { type: 'notebook', format: 'json', content }
  });
  expect(response.ok(), `${notebookPath} written`).toBeTruthy();
}

/** Wait until the open notebook at `notebookPath` has an idle kernel. */
export async function kernelIdle(page: Page, notebookPath: string, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    p => {
      const app = (window as any).jupyterapp;
      for (const widget of app.shell.widgets('main')) {
        if (widget?.context?.path === p) {
          return widget?.sessionContext?.session?.kernel?.status === 'idle';
        }
      }
      return false;
    },
    notebookPath,
    { timeout }
  );
}

/** Once the open notebook at `notebookPath` has an idle kernel, run all its cells (as Run > Run All Cells). */
export async function runAllCells(page: Page, notebookPath: string, timeout = 90_000): Promise<void> {
  await kernelIdle(page, notebookPath, timeout);
  await page.evaluate(async p => {
    const app = (window as any).jupyterapp;
    // The notebook commands act on the tracker's current notebook: activate this one first.
    for (const widget of app.shell.widgets('main')) {
      if (widget?.context?.path === p) {
        app.shell.activateById(widget.id);
      }
    }
    await app.commands.execute('notebook:run-all-cells');
  }, notebookPath);
}

/** Choose JupyterLab's display language, as Settings > Language writes it (read on the next page load). */
export async function setLanguage(request: APIRequestContext, locale: string): Promise<void> {
  const { lab, token } = server();
  const response = await request.put(`${lab}${LANGUAGE_SETTINGS}`, {
    headers: { Authorization: `token ${token}` },
    data: { raw: JSON.stringify({ locale }) }
  });
  expect(response.ok(), `JupyterLab's language set to ${locale}`).toBeTruthy();
}

/**
 * Open the command palette (if it is not open) and return its search field. Through the command, not
 * Ctrl+Shift+C: the key goes wherever the focus is, and a widget's text field (the restored sidebar's)
 * keeps it.
 */
export async function openPalette(page: Page): Promise<Locator> {
  const search = page.locator('.lm-CommandPalette-input');
  if (!(await search.isVisible())) {
    await page.evaluate(() => (window as any).jupyterapp.commands.execute('apputils:activate-command-palette'));
  }
  await expect(search).toBeVisible();
  return search;
}

/**
 * Search the palette for `query` until `item` shows. The palette is modal and closes when it loses the
 * focus, which a widget rendering meanwhile (the sidebar being built) can take: open it again then.
 */
export async function searchPalette(page: Page, query: string, item: Locator): Promise<void> {
  await expect(async () => {
    const search = await openPalette(page);
    await search.fill(query, { timeout: 2_000 });
    await expect(item).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
}

/**
 * Show the Hugging Face sidebar without toggling it shut: the layout restorer may reopen it a moment
 * after the page is ready, and a click on the current tab closes it. Click only while it is closed, let
 * it settle, and try again until it stays open.
 */
export async function showSidebar(page: Page): Promise<void> {
  const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="hub-widgets-sidebar"]');
  await expect(tab).toBeVisible();
  const isOpen = () => tab.evaluate(el => el.classList.contains('lm-mod-current'));
  await expect(async () => {
    if (!(await isOpen())) {
      await tab.click();
    }
    await page.waitForTimeout(500);
    expect(await isOpen()).toBe(true);
  }).toPass({ timeout: 30_000 });
}
