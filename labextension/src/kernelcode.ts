/**
 * Pure helpers that build the Python the frontend sends to the kernel.
 *
 * No JupyterLab imports here, so Jest can test them without a browser.
 */

/** The session path of the dedicated kernel: stable, so a page reload reconnects to it. */
export const KERNEL_SESSION_PATH = 'hub-widgets-sidebar';

/** The code a "Insert login cell" command adds to a notebook. */
export const LOGIN_CELL_SOURCE = 'from hub_widgets import login; login()';

/** The variable holding the sidebar widget in the dedicated kernel. */
export const SIDEBAR_VARIABLE = '_hub_widgets_sidebar';

/** What a host panel shows: the sidebar or one of the main-area widgets. */
export type HostedKind = 'sidebar' | 'login' | 'push' | 'browser' | 'playground';

/** Arguments of a hosted widget (all optional). */
export interface IHostedArgs {
  path?: string;
  repoId?: string;
  repoType?: string;
}

/**
 * Quote a string as a Python literal (JSON string syntax is valid Python for str).
 */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The folder part of a contents path ('' for the server root).
 */
export function dirname(path: string): string {
  const clean = path.replace(/\/+$/, '');
  const index = clean.lastIndexOf('/');
  return index < 0 ? '' : clean.slice(0, index);
}

/**
 * The path the kernel should use for a contents path: relative paths resolve against the kernel's
 * working directory (the server root for the dedicated kernel), and the root itself is '.'.
 */
export function kernelPath(path: string): string {
  const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return clean === '' ? '.' : clean;
}

/**
 * Whether a contents path names a notebook.
 */
export function isNotebookPath(path: string): boolean {
  return /\.ipynb$/i.test(path);
}

/**
 * Code that checks the kernel can import hub_widgets, as a user expression.
 */
export const PROBE_EXPRESSION =
  "__import__('importlib.util').util.find_spec('hub_widgets') is not None";

/**
 * Code that tells the sidebar in the kernel which document is current.
 */
export function setCurrentPathCode(path: string | null): string {
  const value = path === null ? 'None' : pyString(kernelPath(path));
  return (
    `_w = globals().get(${pyString(SIDEBAR_VARIABLE)})\n` +
    `if _w is not None:\n    _w.set_current_path(${value})\n` +
    'del _w'
  );
}

/**
 * The expression that builds a hosted widget.
 */
export function widgetExpression(kind: HostedKind, args: IHostedArgs = {}): string {
  const kw: string[] = [];
  switch (kind) {
    case 'sidebar':
      return 'hub_widgets.HubSidebar()';
    case 'login':
      return 'hub_widgets.LoginWidget()';
    case 'push':
      if (args.path !== undefined) {
        kw.push(`source=${pyString(kernelPath(args.path))}`);
      }
      if (args.repoId) {
        kw.push(`repo_id=${pyString(args.repoId)}`);
      }
      return `hub_widgets.PushPanel(${kw.join(', ')})`;
    case 'browser':
      if (args.repoId) {
        kw.push(`repo_id=${pyString(args.repoId)}`);
      }
      if (args.repoType) {
        kw.push(`repo_type=${pyString(args.repoType)}`);
      }
      return `hub_widgets.RepoBrowser(${kw.join(', ')})`;
    case 'playground':
      if (args.repoId) {
        kw.push(`model=${pyString(args.repoId)}`);
      }
      return `hub_widgets.InferencePlayground(${kw.join(', ')})`;
  }
}

/**
 * The code a host panel runs to display its widget.
 *
 * The sidebar widget is kept in a kernel variable and displayed again on reconnect, so a page
 * reload shows the same widget (same state, same kernel) instead of building a new one. A missing
 * module (a helper not installed yet) shows a one-line message instead of a traceback.
 */
export function displayCode(kind: HostedKind, args: IHostedArgs = {}): string {
  const build = widgetExpression(kind, args);
  const lines = ['import hub_widgets', 'from IPython.display import display, HTML'];
  if (kind === 'sidebar') {
    const name = pyString(SIDEBAR_VARIABLE);
    lines.push(
      `if globals().get(${name}) is None:`,
      '    try:',
      `        globals()[${name}] = ${build}`,
      '    except Exception as _e:',
      "        display(HTML('<b>Hugging Face sidebar unavailable:</b> ' + type(_e).__name__ + ': ' + str(_e)))",
      `if globals().get(${name}) is not None:`,
      `    display(globals()[${name}])`
    );
  } else {
    lines.push(
      'try:',
      `    display(${build})`,
      'except Exception as _e:',
      "    display(HTML('<b>Not available:</b> ' + type(_e).__name__ + ': ' + str(_e)))"
    );
  }
  return lines.join('\n');
}
