import { expect, Locator, Page, test } from "@playwright/test";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

import {
  kernelIdle,
  openLab,
  putNotebook,
  runAllCells,
  server,
  setLanguage,
  showSidebar,
  SIDEBAR,
} from "./lab";
import { layoutProblems } from "./layout-check";
import { catalog } from "./po";

/**
 * Every widget at every width a user meets: in a notebook at 1440 and 1024 px, and hosted in the
 * sidebar at its default width and at 280 px. Nothing may be cut, too narrow to use, or stick out of
 * its container (layout-check.ts says what that means). Screenshots of each case land in
 * test-artifacts/layout/, and the problems found in test-artifacts/layout/problems.json.
 * `LAYOUT_WIDGETS=browser,card` limits the run to some widgets.
 */

interface ICase {
  /** The widget group (LAYOUT_WIDGETS filters on it). */
  widget: string;
  /** A name for reports and screenshots. */
  name: string;
  /** Python building the widget (as `w`), run in a notebook cell or the sidebar's kernel. */
  code: string;
}

const PYTHON =
  process.env.PYTHON ||
  path.resolve(__dirname, "..", "..", ".venv", "bin", "python");
const ARTIFACTS = path.resolve(
  __dirname,
  "..",
  "..",
  "test-artifacts",
  "layout",
);
const REPO = `alice/layout-demo-${Date.now().toString(36)}`;
const NOTEBOOK = "layout.ipynb";
const ONLY = (process.env.LAYOUT_WIDGETS || "").split(",").filter(Boolean);
// JupyterLab's display language for each pass (language packs and our catalogs are installed).
const LANGUAGES = (process.env.LAYOUT_LANGUAGES || "en,de_DE,zh_CN,ja_JP")
  .split(",")
  .filter(Boolean);

// Buttons each language pass expects in a notebook widget, by case: the LoginWidget and the PushPanel.
const SPOKEN: Record<string, string[]> = {
  "login-logged-out": ["Log in with browser", "Log in"],
  "push-plan": ["Plan", "Cancel"],
};

function prelude(): string {
  const { endpoint, alice } = server();
  return [
    "import os, time",
    "import ipywidgets as W",
    "import hub_widgets",
    "from hub_widgets.session import HubSession",
    `REPO = ${JSON.stringify(REPO)}`,
    `S = HubSession(endpoint=${JSON.stringify(endpoint)}, token=${JSON.stringify(alice)})`,
    `ANON = HubSession(endpoint=${JSON.stringify(endpoint)})`,
    "def until(check, timeout=60):",
    "    deadline = time.monotonic() + timeout",
    "    while time.monotonic() < deadline:",
    "        try:",
    "            if check():",
    "                return True",
    "        except Exception:",
    "            pass",
    "        time.sleep(0.05)",
    "    return False",
  ].join("\n");
}

const CASES: ICase[] = [
  {
    widget: "login",
    name: "login-logged-out",
    code: "w = hub_widgets.LoginWidget(session=ANON)\nw.wait(60)",
  },
  {
    widget: "login",
    name: "login-logged-in",
    code: "w = hub_widgets.LoginWidget(session=S)\nw.wait(60)",
  },
  {
    widget: "push",
    name: "push-plan",
    code: 'w = hub_widgets.PushPanel(source="layout-push", session=S)\nw.wait(60)\nw.plan()\nw.wait(60)',
  },
  {
    // What the file browser's commands and the sidebar's quick push open: compact, planned at once.
    widget: "push",
    name: "push-quick",
    code: 'w = hub_widgets.PushPanel(source="layout-push", session=S, compact=True, quick=True)\nw.wait(60)',
  },
  {
    // A logged-in sidebar (the spec's own one is logged out) with its quick push panel open.
    widget: "push",
    name: "push-sidebar-quick",
    code:
      'w = hub_widgets.HubSidebar(session=S)\nw.wait(60)\nw.set_current_path("layout-push/README.md")\n' +
      "p = w.quick_push(folder=True)\np.wait(60)\nw.wait(60)",
  },
  {
    widget: "browser",
    name: "browser-search",
    code: 'w = hub_widgets.RepoBrowser(query="layout", session=S)\nw.wait(60)',
  },
  {
    widget: "browser",
    name: "browser-card",
    code: "w = hub_widgets.RepoBrowser(repo_id=REPO, session=S)\nw.info_task.wait(60)\nw.wait(60)",
  },
  {
    widget: "browser",
    name: "browser-files",
    code:
      "w = hub_widgets.RepoBrowser(repo_id=REPO, session=S)\nw.info_task.wait(60)\nw.tabs.selected_index = 1\n" +
      'until(lambda: w.files.folder_entries(""))\nw.files.open_folder("tokenizer").wait(60)\nw.wait(60)',
  },
  {
    widget: "browser",
    name: "browser-history",
    code:
      "w = hub_widgets.RepoBrowser(repo_id=REPO, session=S)\nw.info_task.wait(60)\nw.tabs.selected_index = 2\n" +
      "w.history.commits_task.wait(60)\nuntil(lambda: w.history.commit_list.options)\nw.wait(60)",
  },
  {
    widget: "playground",
    name: "playground-task",
    code: 'w = hub_widgets.InferencePlayground(model="alice/e2e-sentiment", session=S)\nw.info_task.wait(60)\nw.wait(60)',
  },
  {
    widget: "playground",
    name: "playground-compare",
    code:
      'w = hub_widgets.InferencePlayground(model="alice/e2e-sentiment", session=S)\nw.info_task.wait(60)\n' +
      "w.compare.value = True\nw.wait(60)",
  },
  {
    widget: "playground",
    name: "playground-chat",
    code: 'w = hub_widgets.InferencePlayground(model="alice/e2e-chat", session=S)\nw.info_task.wait(60)\nw.wait(60)',
  },
  {
    widget: "card",
    name: "card-editor",
    code: "w = hub_widgets.ModelCardEditor(repo_id=REPO, session=S)\nw.wait(60)",
  },
];

function selected(): ICase[] {
  return CASES.filter((c) => ONLY.length === 0 || ONLY.includes(c.widget));
}

/** Scroll `target` into view, let the layout settle, measure, and keep a screenshot. */
async function check(
  page: Page,
  target: Locator,
  label: string,
  container?: string,
): Promise<string[]> {
  await target.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await target
    .screenshot({ path: path.join(ARTIFACTS, `${label}.png`) })
    .catch(() => undefined);
  return target.evaluate(layoutProblems, { container });
}

const report: Record<string, string[]> = {};

function record(label: string, problems: string[]): void {
  report[label] = problems;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(
    path.join(ARTIFACTS, "problems.json"),
    JSON.stringify(report, null, 2),
  );
  expect.soft(problems, `layout problems in ${label}`).toEqual([]);
}

test.describe("layout at every width", () => {
  test.beforeAll(() => {
    const { endpoint, alice, root } = server();
    execFileSync(PYTHON, [
      path.resolve(__dirname, "..", "seed_layout.py"),
      endpoint,
      alice,
      REPO,
      root,
    ]);
  });
  test.afterAll(async ({ request }) => {
    await setLanguage(request, "en");
  });

  for (const language of LANGUAGES) {
    // English at every width; each other language where space is tightest (German is the longest).
    const notebookWidths = language === "en" ? [1440, 1024] : [1024];
    const sidebarWidths: ("default" | 280)[] =
      language === "en" ? ["default", 280] : [280];
    const prefix = language === "en" ? "" : `${language}-`;

    test(`${language}: in a notebook at ${notebookWidths.join(" and ")} px`, async ({
      page,
      request,
    }) => {
      const cases = selected().filter((c) => c.widget !== "sidebar");
      test.skip(cases.length === 0, "no notebook case selected");
      await setLanguage(request, language);
      await putNotebook(request, NOTEBOOK, [
        prelude(),
        ...cases.map((c) => `${c.code}\nw`),
      ]);
      await page.setViewportSize({ width: 1440, height: 900 });
      await openLab(page, `lab/tree/${NOTEBOOK}`);
      await runAllCells(page, NOTEBOOK);
      const cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell");
      // Each case's cell shows a widget (the last cell's output means every cell ran).
      for (let i = 0; i < cases.length; i++) {
        const output = cells
          .nth(i + 1)
          .locator(".jp-OutputArea-output .jupyter-widgets")
          .first();
        await output.scrollIntoViewIfNeeded();
        await expect(output, `${cases[i].name} renders`).toBeVisible({
          timeout: 120_000,
        });
      }
      await kernelIdle(page, NOTEBOOK);
      const errors = await page
        .locator(
          '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]',
        )
        .allInnerTexts();
      expect(errors.join("\n")).not.toContain("Traceback");
      if (language !== "en") {
        // The notebook's kernel read JupyterLab's language: its widgets speak it (texts from our catalog).
        const t = catalog(language);
        for (const [name, msgids] of Object.entries(SPOKEN)) {
          const index = cases.findIndex((c) => c.name === name);
          if (index < 0) {
            continue;
          }
          const view = cells.nth(index + 1).locator(".jp-OutputArea-output");
          for (const msgid of msgids) {
            const text = t.get(msgid);
            expect(text, `"${msgid}" is translated into ${language}`).toBeTruthy();
            // By text: a button's accessible name starts with its icon's glyph.
            await expect(
              view.locator("button", { hasText: text as string }).first(),
              `${name} shows "${text}"`,
            ).toBeVisible();
          }
        }
      }
      for (const width of notebookWidths) {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(500);
        for (let i = 0; i < cases.length; i++) {
          const area = cells
            .nth(i + 1)
            .locator(".jp-OutputArea-output")
            .first();
          const label = `${prefix}notebook-${width}-${cases[i].name}`;
          record(label, await check(page, area, label));
        }
      }
    });

    test(`${language}: in the sidebar at ${sidebarWidths.join(" and ")} px`, async ({
      page,
      request,
    }) => {
      const cases = selected();
      test.skip(cases.length === 0, "no case selected");
      await setLanguage(request, language);
      await page.setViewportSize({ width: 1440, height: 900 });
      await openLab(page);
      const panel = page.locator(SIDEBAR);
      await showSidebar(page);
      await expect(panel.locator(".hub-sidebar")).toBeVisible({
        timeout: 90_000,
      });
      const defaultWidth = Math.round((await panel.boundingBox())!.width);
      for (const c of cases) {
        if (c.widget === "sidebar") {
          continue; // the sidebar itself is measured with every case below
        }
        await runInSidebar(
          page,
          `${prelude()}\n${c.code}\n_hub_widgets_sidebar.show_widget(w, ${JSON.stringify(c.name)})`,
        );
        await page.waitForTimeout(500);
        for (const size of sidebarWidths) {
          await setSidebarWidth(page, size === 280 ? 280 : defaultWidth);
          const label = `${prefix}sidebar-${size}-${c.name}`;
          record(label, await check(page, panel, label));
        }
        await setSidebarWidth(page, defaultWidth);
      }
      // The sidebar is left as found: the specs after this one expect nothing hosted below its list.
      await runInSidebar(page, "_hub_widgets_sidebar.close_detail()");
      if (cases.some((c) => c.widget === "sidebar") || ONLY.length === 0) {
        for (const size of sidebarWidths) {
          await setSidebarWidth(page, size === 280 ? 280 : defaultWidth);
          const label = `${prefix}sidebar-${size}-sidebar`;
          record(label, await check(page, panel, label));
        }
      }
    });
  }
});

/** Run Python in the sidebar's kernel on a second connection that leaves the widgets' comms alone. */
async function runInSidebar(page: Page, code: string): Promise<void> {
  const error = await page.evaluate(async (source) => {
    const app = (window as any).jupyterapp;
    const model = Array.from(
      app.serviceManager.sessions.running() as Iterable<any>,
    ).find((m: any) => m.path === "hub-widgets-sidebar");
    if (!model) {
      return "no sidebar session";
    }
    const connection = app.serviceManager.sessions.connectTo({
      model,
      kernelConnectionOptions: { handleComms: false },
    });
    let failure = "";
    try {
      const future = connection.kernel.requestExecute({
        code: source,
        store_history: false,
      });
      future.onIOPub = (msg: any) => {
        if (msg.header.msg_type === "error") {
          failure = `${msg.content.ename}: ${msg.content.evalue}`;
        }
      };
      await future.done;
    } finally {
      connection.dispose();
    }
    return failure;
  }, code);
  expect(error, "sidebar kernel code").toBe("");
}

/** Drag the handle between the left panel and the main area, as a user would. */
async function setSidebarWidth(page: Page, width: number): Promise<void> {
  const panel = page.locator("#jp-left-stack");
  const handle = page
    .locator("#jp-main-split-panel > .lm-SplitPanel-handle")
    .first();
  for (let attempt = 0; attempt < 3; attempt++) {
    const box = (await panel.boundingBox())!;
    if (Math.abs(box.width - width) <= 2) {
      break;
    }
    const grip = (await handle.boundingBox())!;
    const y = grip.y + grip.height / 2;
    await page.mouse.move(grip.x + grip.width / 2, y);
    await page.mouse.down();
    await page.mouse.move(box.x + width + grip.width / 2, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(300);
  }
  const final = Math.round((await panel.boundingBox())!.width);
  expect(
    Math.abs(final - width),
    `sidebar width ${final} for ${width}`,
  ).toBeLessThanOrEqual(4);
}
