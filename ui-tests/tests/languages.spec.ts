import { expect, test } from "@playwright/test";
import * as fs from "fs";
import * as path from "path";

import { openLab, searchPalette, setLanguage, showSidebar, SIDEBAR } from "./lab";
import { layoutProblems } from "./layout-check";
import { catalog } from "./po";

/**
 * JupyterLab's display language reaches hub-widgets: with a language pack's language chosen in
 * JupyterLab (the translation setting, as Settings > Language writes it), the sidebar and the palette
 * entries show that language (expected texts come from our catalogs, so an untranslated string fails), and the sidebar holds up at 280 px in it. The language goes back to
 * English at the end (the other specs share this JupyterLab).
 */

const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");
const DOCS =
  process.env.HUBW_DOCS_SCREENSHOTS === "1"
    ? path.resolve(__dirname, "..", "..", "docs")
    : ARTIFACTS;

test.describe.serial("languages", () => {
  test.afterAll(async ({ request }) => {
    await setLanguage(request, "en");
  });

  for (const language of ["zh_CN", "ja_JP", "de_DE"]) {
    test(`${language}: the sidebar and the palette follow JupyterLab's language`, async ({
      page,
      request,
    }) => {
      test.setTimeout(240_000); // a page load, a kernel told a new language, a rebuilt sidebar
      const t = catalog(language);
      const tr = (msgid: string): string => {
        const text = t.get(msgid);
        expect(text, `"${msgid}" is translated into ${language}`).toBeTruthy();
        return text as string;
      };
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(String(error)));
      await setLanguage(request, language);
      await openLab(page);
      // JupyterLab itself speaks the language (its language pack is installed): the File menu.
      await expect(
        page.locator(".lm-MenuBar-itemLabel").first(),
      ).not.toHaveText("File");

      // The sidebar: its kernel was told the language by the extension.
      const sidebar = page.locator(SIDEBAR);
      await showSidebar(page);
      await expect(sidebar.locator(".hub-sidebar")).toBeVisible({
        timeout: 90_000,
      });
      await expect(
        sidebar.getByText(tr("My repos"), { exact: true }),
      ).toBeVisible({ timeout: 60_000 });
      await expect(
        sidebar.getByText(tr("Quick push"), { exact: true }),
      ).toBeVisible();
      // The heading "More" has its own msgctxt (the browser's "More" button loads more results).
      await expect(
        sidebar.getByText(tr("heading\x04More"), { exact: true }),
      ).toBeVisible();
      await expect(
        sidebar.locator("button", { hasText: tr("Search the Hub") }),
      ).toBeVisible();
      const problems = await sidebar.evaluate(layoutProblems, {});
      expect.soft(problems, `sidebar layout in ${language}`).toEqual([]);
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const shot =
        language === "zh_CN"
          ? path.join(DOCS, "screenshot-sidebar-zh.png")
          : path.join(ARTIFACTS, `sidebar-${language}.png`);
      await page.screenshot({
        path: shot,
        clip: { ...(await sidebar.boundingBox())!, y: 0, height: 900 },
      });

      // The palette: our commands' labels, translated by the extension's own catalog. Once the sidebar
      // is built (a view rendered later would take the focus from the modal palette).
      await expect(sidebar).toHaveAttribute("data-state", "ready");
      await searchPalette(
        page,
        tr("Open the repo browser"),
        page
          .locator(".lm-CommandPalette-itemLabel", {
            hasText: tr("Open the repo browser"),
          })
          .first(),
      );
      await page.keyboard.press("Escape");

      // Notebook kernels read the same setting from JupyterLab's settings file: tests/test_i18n.py checks
      // that order in a fresh process, and the layout spec renders every widget in a notebook in each
      // language.
      expect(errors).toEqual([]);
    });
  }
});
