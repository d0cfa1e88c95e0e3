import { expect, Page } from '@playwright/test';

/**
 * Show the Hugging Face sidebar without toggling it: the layout restorer may have reopened it already,
 * and a click on the current tab would close it.
 */
export async function showSidebar(page: Page): Promise<void> {
  const tab = page.locator('.jp-SideBar .lm-TabBar-tab[data-id="hub-widgets-sidebar"]');
  await expect(tab).toBeVisible();
  if (!(await tab.evaluate(el => el.classList.contains('lm-mod-current')))) {
    await tab.click();
  }
  await expect(tab).toHaveClass(/lm-mod-current/);
}
