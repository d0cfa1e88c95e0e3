import { expect, test } from '@playwright/test';

import { kernelIdle, openLab, putNotebook, server } from './lab';

/**
 * The playground's "Copy as Python" in Chromium (issue 15 §2): one click puts the snippet of the last
 * call on the clipboard and the button says "Copied"; there is no second copy button. The kernel cannot
 * reach the clipboard, so only a real browser can show this.
 */

const NOTEBOOK = 'playground-copy.ipynb';
const MARKER = 'playground-copy-spec'; // finds this notebook's panel among the ones other specs left open

test('Copy as Python copies the last call in one click and says so', async ({ page, request, context }) => {
  const { lab, endpoint, alice } = server();
  const cells = [
    [
      `# ${MARKER}`,
      'import hub_widgets',
      'from hub_widgets.session import HubSession',
      `S = HubSession(endpoint=${JSON.stringify(endpoint)}, token=${JSON.stringify(alice)})`,
      'w = hub_widgets.InferencePlayground(model="alice/e2e-sentiment", session=S)',
      'w.info_task.wait(60)',
      'w.form().controls["text"].value = \'A "quoted" </button> day\'',
      'w.run()',
      'w.wait(60)',
      'w'
    ].join('\n'),
    'print(w.snippet(), end="")'
  ];
  await putNotebook(request, NOTEBOOK, cells);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(lab).origin });
  await openLab(page, `lab/tree/${NOTEBOOK}`);
  await kernelIdle(page, NOTEBOOK);
  await page.evaluate(async () => {
    await (window as any).jupyterapp.commands.execute('notebook:run-all-cells');
  });
  const panel = page.locator('.jp-NotebookPanel').filter({ hasText: MARKER });
  const playground = panel.locator('.hubw-playground').first();
  await expect(playground).toContainText('Done.', { timeout: 120_000 });
  await kernelIdle(page, NOTEBOOK);
  const snippet = await panel.locator('.jp-CodeCell').nth(1).locator('.jp-OutputArea-output').innerText();
  expect(snippet).toContain('InferenceClient(');

  const copy = playground.locator('button.hubw-copy');
  await expect(copy).toHaveCount(1); // no second, unstyled Copy button
  await expect(playground.getByRole('button', { name: /^Copy$/ })).toHaveCount(0);
  await expect(copy).toBeEnabled();
  await copy.click();
  await expect(copy).toHaveText(/Copied/);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.trim()).toBe(snippet.trim());
  await expect(copy).toHaveText(/Copy as Python/, { timeout: 10_000 }); // the label comes back
});
