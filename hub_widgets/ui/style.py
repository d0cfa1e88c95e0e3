"""The package's one stylesheet: every view's layout from a 260 px sidebar to a wide notebook.

Core ipywidgets controls come with fixed widths (an 80 px label column that cuts "Temperature" to
"Temperat…", 300 px fields that overflow a sidebar, 148 px buttons). Views put `stylesheet()` first in
their root box and give the root the `hubw` class; the rules below are keyed on that class and on a
container query, so a view lays itself out by its own width (a notebook cell or the sidebar), not the
window's. The CSS is our own constant text: no Hub content ever reaches it.

Widget-specific rules live in this module too, each group under a comment naming its view and prefixed by
the view's root class.
"""

from __future__ import annotations

import ipywidgets as W

__all__ = ["NARROW_PX", "STYLESHEET", "ROOT_CLASS", "stylesheet", "style_root"]

ROOT_CLASS = "hubw"
NARROW_PX = 480  # below this width a view stacks labels above fields

STYLESHEET = f"""
/* hub-widgets base: sizes follow the content and the container, never a fixed 80/148/300 px. */
.{ROOT_CLASS} {{ container-type: inline-size; container-name: hubw; box-sizing: border-box;
  width: 100%; max-width: 100%; min-width: 0; }}
.{ROOT_CLASS} .hubw-style {{ display: none; }}
.{ROOT_CLASS} .widget-box, .{ROOT_CLASS} .widget-inline-hbox {{ min-width: 0; max-width: 100%; }}
.{ROOT_CLASS} .widget-hbox {{ flex-wrap: wrap; gap: 4px; }}
.{ROOT_CLASS} .widget-inline-hbox {{ width: auto; }}
/* Labels show their whole text: an at-least-80 px column that grows for long (German) labels. */
.{ROOT_CLASS} .widget-inline-hbox > .widget-label {{ width: auto !important; flex: 0 0 auto;
  min-width: var(--jp-widgets-inline-label-width, 80px); max-width: none; overflow: visible;
  text-overflow: clip; }}
.{ROOT_CLASS} .widget-inline-hbox > input, .{ROOT_CLASS} .widget-inline-hbox > select,
.{ROOT_CLASS} .widget-inline-hbox > textarea {{ min-width: 60px; flex: 1 1 auto; }}
.{ROOT_CLASS} .widget-checkbox {{ width: auto; max-width: 100%; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); }}
.{ROOT_CLASS} .widget-checkbox > .widget-label {{ min-width: 0; }}
/* A long (German) checkbox label wraps under its box instead of being cut. */
.{ROOT_CLASS} .widget-checkbox > .widget-label-basic {{ white-space: normal; overflow: visible;
  text-overflow: clip; height: auto; line-height: 1.4; }}
/* Buttons as wide as their text (icon included), rows of them wrap. */
.{ROOT_CLASS} .jupyter-button {{ width: auto; min-width: max-content; padding: 0 10px;
  overflow: visible; text-overflow: clip; flex: 0 0 auto; }}
.{ROOT_CLASS} .jupyter-button.hubw-icon-only {{ min-width: 32px; padding: 0 6px; }}
.{ROOT_CLASS} .widget-toggle-buttons .widget-toggle-button {{ width: auto; min-width: max-content; }}
.{ROOT_CLASS} .widget-toggle-buttons {{ flex-wrap: wrap; height: auto; }}
.{ROOT_CLASS} .hubw-row {{ display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }}
/* Tab titles whole; a tab bar that does not fit wraps to a second row. */
.{ROOT_CLASS} .jupyter-widget-tab > .lm-TabBar .lm-TabBar-content {{ flex-wrap: wrap; }}
.{ROOT_CLASS} .jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab {{ flex: 0 0 auto; min-width: max-content;
  max-width: none; }}
.{ROOT_CLASS} .jupyter-widget-tab > .lm-TabBar .lm-TabBar-tabLabel {{ overflow: visible; text-overflow: clip; }}
.{ROOT_CLASS} .jupyter-widget-tab > .lm-TabBar {{ height: auto; min-height: var(--jp-widgets-horizontal-tab-height, 24px); }}
.{ROOT_CLASS} .widget-html-content {{ overflow-wrap: anywhere; max-width: 100%; }}
.{ROOT_CLASS} .widget-html-content pre {{ overflow-x: auto; max-width: 100%; }}
.{ROOT_CLASS} .widget-html-content table {{ display: block; overflow-x: auto; max-width: 100%; }}
.{ROOT_CLASS} .widget-html-content img {{ max-width: 100%; }}

/* InferencePlayground: lanes side by side, stacked when narrow; the result box never wider than its lane. */
.{ROOT_CLASS}.hubw-playground .hubw-lanes {{ flex-wrap: wrap; gap: 8px; }}
.{ROOT_CLASS}.hubw-playground .hubw-lanes > .widget-box {{ min-width: 0; }}
.{ROOT_CLASS}.hubw-playground .hubw-form > .widget-inline-hbox {{ align-self: stretch; width: auto; }}

/* PushPanel: the Push button's label is the plan's summary ("Nothing to push: everything is up to
   date", longer translated): in a sidebar it wraps onto two lines instead of sticking out. */
.{ROOT_CLASS}.hubw-push .jupyter-button.hubw-push-button {{ min-width: 0; max-width: 100%; white-space: normal;
  height: auto; min-height: var(--jp-widgets-inline-height); line-height: 1.3; padding: 4px 10px; }}

/* Narrow (sidebar, split notebook): labels above their fields, fields the full width. */
@container hubw (max-width: {NARROW_PX}px) {{
  .{ROOT_CLASS} .widget-inline-hbox:not(.widget-checkbox):not(.widget-toggle-button):not(.widget-button) {{
    flex-direction: column; align-items: stretch; height: auto; width: 100% !important; }}
  .{ROOT_CLASS} .widget-inline-hbox:not(.widget-checkbox) > .widget-label {{ text-align: left;
    min-width: 0; white-space: normal; line-height: 1.4; }}
  .{ROOT_CLASS} .widget-inline-hbox:not(.widget-checkbox) > input,
  .{ROOT_CLASS} .widget-inline-hbox:not(.widget-checkbox) > select,
  .{ROOT_CLASS} .widget-inline-hbox:not(.widget-checkbox) > textarea {{ width: 100%; flex: 0 0 auto; }}
  .{ROOT_CLASS} .widget-inline-hbox > .widget-readout {{ text-align: left; }}
  /* InferencePlayground: one lane under the other. */
  .{ROOT_CLASS}.hubw-playground .hubw-lanes {{ flex-direction: column; }}
  .{ROOT_CLASS}.hubw-playground .hubw-lanes > .widget-box {{ width: 100%; flex: 0 0 auto; }}
}}

/* RepoBrowser (.hubw-browser) and ModelCardEditor (.hubw-card). Row lists (ui/rows.py): each row
   a button whose label wraps, so a long repo id, file name or commit title is never cut. */
.{ROOT_CLASS} .hubw-rows {{ flex-wrap: nowrap; gap: 1px; padding: 2px; box-sizing: border-box;
  border: var(--jp-border-width, 1px) solid var(--jp-border-color1, #bdbdbd); }}
.{ROOT_CLASS} .hubw-rows .jupyter-button.hubw-row-button {{ min-width: 0; width: 100%; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); white-space: normal; overflow-wrap: anywhere;
  text-align: left; line-height: 1.35; padding: 3px 8px; margin: 0; flex: 0 0 auto; }}
.{ROOT_CLASS} .hubw-rows .hubw-row-pair {{ flex-wrap: nowrap; gap: 2px; flex: 0 0 auto; }}
.{ROOT_CLASS} .hubw-rows .hubw-row-pair > .jupyter-button.hubw-row-button {{ flex: 1 1 auto; width: auto; }}
.{ROOT_CLASS} .hubw-rows .hubw-row-pair > .jupyter-button.hubw-icon-only {{ flex: 0 0 32px; }}
.hubw-browser .widget-text, .hubw-browser .widget-textarea, .hubw-card .widget-text,
.hubw-card .widget-textarea, .hubw-card .widget-combobox {{ align-self: stretch; }}
.hubw-card .hubw-tag-chips .jupyter-button.hubw-tag {{ height: auto; min-height: 24px; }}
"""


def stylesheet() -> W.HTML:
    """The package's `<style>` block as a hidden widget: the first child of a view's root box."""
    html = W.HTML(f"<style>{STYLESHEET}</style>", layout=W.Layout(margin="0", height="0", width="0"))
    html.add_class("hubw-style")
    return html


def style_root(root: W.Box) -> W.Box:
    """Give `root` the class the stylesheet keys on and put the stylesheet first among its children."""
    root.add_class(ROOT_CLASS)
    if not any(isinstance(child, W.HTML) and "hubw-style" in child._dom_classes for child in root.children):
        root.children = (stylesheet(), *root.children)
    return root
