/**
 * What a user would call a broken layout, measured in the page: a label, button, tab title, option or
 * placeholder whose text is cut; a control too narrow to use; anything sticking out of its container.
 * `layoutProblems` runs inside the page (`locator.evaluate(layoutProblems, options)`), so it must stay
 * self-contained (no imports, no closures over module values).
 */

export interface ILayoutOptions {
  /** The box nothing may stick out of (default: the root itself). */
  container?: string;
  /** The narrowest usable text field, select or text area, in px. */
  minField?: number;
  /** The narrowest usable button, in px (an icon-only button). */
  minButton?: number;
}

export function layoutProblems(
  root: Element,
  options: ILayoutOptions = {},
): string[] {
  const minField = options.minField ?? 60;
  const minButton = options.minButton ?? 24;
  const containerEl =
    (options.container && root.closest(options.container)) || root;
  const box = containerEl.getBoundingClientRect();
  const problems: string[] = [];
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d") as CanvasRenderingContext2D;

  const visible = (el: Element): boolean => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) {
      return false;
    }
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") {
      return false;
    }
    return (
      (el as HTMLElement).offsetParent !== null || style.position === "fixed"
    );
  };
  const textOf = (el: Element): string => {
    const input = el as HTMLInputElement;
    const text =
      (el as HTMLElement).innerText ||
      input.value ||
      input.placeholder ||
      el.getAttribute("title") ||
      "";
    return text
      .replace(/[\s\u200b]+/g, " ")
      .trim()
      .slice(0, 48);
  };
  const describe = (el: Element): string => {
    const classes =
      typeof el.className === "string"
        ? el.className.trim().split(/\s+/).filter(Boolean)
        : [];
    const own = classes.filter(
      (c) =>
        c.startsWith("hubw") || c.startsWith("widget-") || c.startsWith("lm-"),
    );
    return `${el.tagName.toLowerCase()}${own.length ? "." + own.slice(0, 2).join(".") : ""} "${textOf(el)}"`;
  };
  const textWidth = (text: string, el: Element): number => {
    const s = getComputedStyle(el);
    ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    return ctx.measureText(text).width;
  };
  const padding = (el: Element): number => {
    const s = getComputedStyle(el);
    return (
      parseFloat(s.paddingLeft) +
      parseFloat(s.paddingRight) +
      parseFloat(s.borderLeftWidth) +
      parseFloat(s.borderRightWidth)
    );
  };

  const rootRect = root.getBoundingClientRect();
  if (rootRect.right > box.right + 1.5) {
    problems.push(
      `overflow: the widget is ${Math.round(rootRect.width)} px wide in ${Math.round(box.width)} px`,
    );
  }
  const selector = [
    ".widget-label",
    ".widget-label-basic",
    "button",
    ".widget-checkbox label",
    ".lm-TabBar-tabLabel",
    ".widget-toggle-button",
    "select",
    'input[type="text"]',
    'input[type="password"]',
    'input[type="number"]',
    "input:not([type])",
    "textarea",
    ".widget-html",
  ].join(", ");
  for (const el of Array.from(root.querySelectorAll(selector))) {
    if (!visible(el) || el.closest(".hubw-style")) {
      continue;
    }
    const r = el.getBoundingClientRect();
    const tag = el.tagName.toLowerCase();
    if (r.right > box.right + 1.5 || r.left < box.left - 1.5) {
      problems.push(
        `overflow: ${describe(el)} spans ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} px of ${Math.round(box.width)}`,
      );
    }
    if (el.classList.contains("widget-html")) {
      continue; // content (cards, tables, code) may scroll inside; only its box is checked
    }
    if (tag === "select") {
      const select = el as HTMLSelectElement;
      const room =
        select.clientWidth -
        padding(select) +
        parseFloat(getComputedStyle(select).borderLeftWidth) * 2;
      if (r.width < minField) {
        problems.push(`narrow: ${describe(el)} is ${Math.round(r.width)} px`);
      }
      const list = select.multiple || select.size > 1;
      const shown = list
        ? Array.from(select.options)
        : [select.options[select.selectedIndex]].filter(Boolean);
      for (const option of shown) {
        // A closed dropdown also draws its arrow (about 16 px) inside the padding box.
        const need = textWidth(option.text, select) + (list ? 0 : 16);
        if (need > room + 1) {
          problems.push(
            `clipped option: "${option.text.slice(0, 48)}" needs ${Math.round(need)} px, has ${Math.round(room)}`,
          );
        }
      }
    } else if (tag === "input" || tag === "textarea") {
      const input = el as HTMLInputElement;
      if (r.width < minField) {
        problems.push(`narrow: ${describe(el)} is ${Math.round(r.width)} px`);
      }
      if (!input.value && input.placeholder && tag === "input") {
        const need = textWidth(input.placeholder, input);
        if (need > input.clientWidth - padding(input) + 1) {
          problems.push(
            `clipped placeholder: "${input.placeholder.slice(0, 48)}" in ${Math.round(r.width)} px`,
          );
        }
      }
    } else {
      if (el.scrollWidth > el.clientWidth + 1) {
        problems.push(
          `clipped: ${describe(el)} (${el.scrollWidth} px of text in ${el.clientWidth})`,
        );
      }
      const isButton =
        tag === "button" || el.classList.contains("widget-toggle-button");
      if (isButton && r.width < minButton) {
        problems.push(`narrow: ${describe(el)} is ${Math.round(r.width)} px`);
      }
      if (!isButton && textOf(el) && r.width < 8) {
        problems.push(`narrow: ${describe(el)} is ${Math.round(r.width)} px`);
      }
    }
  }
  return Array.from(new Set(problems));
}
