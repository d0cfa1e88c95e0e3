import { expect, Page } from '@playwright/test';

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
