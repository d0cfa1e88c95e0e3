/**
 * Pure helpers that build the Python the frontend sends to the kernel.
 *
 * No JupyterLab imports here, so Jest can test them without a browser.
 */

/** The session path of the dedicated kernel: stable, so a page reload reconnects to it. */
export const KERNEL_SESSION_PATH = 'hub-widgets-sidebar';

/**
 * Whether a server session is one an interrupted start of the dedicated kernel left behind:
 * JupyterLab's SessionContext starts under a random UUID path (in the fixed path's folder, the
 * root) and renames the session once the kernel is up; a page closed in between keeps the UUID.
 */
export function isAbandonedStart(
  model: { path: string; type: string },
  type: string
): boolean {
  return (
    model.type === type &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
      model.path
    )
  );
}

/** The code a "Insert login cell" command adds to a notebook. */
export const LOGIN_CELL_SOURCE = 'from hub_widgets import login; login()';

/** The variable holding the sidebar widget in the dedicated kernel. */
export const SIDEBAR_VARIABLE = '_hub_widgets_sidebar';

/** What a host panel shows: the sidebar or one of the main-area widgets. */
export type HostedKind =
  | 'sidebar'
  | 'login'
  | 'push'
  | 'browser'
  | 'playground';

/** Arguments of a hosted widget (all optional). */
export interface IHostedArgs {
  path?: string;
  repoId?: string;
  repoType?: string;
  /**
   * Push opened by a quick path (palette, file browser): `PushPanel(quick=True)`, which ticks
   * "Private" and plans at once; with a hub_widgets that has no `quick`, "Private" is ticked here.
   */
  quick?: boolean;
}

/** The one-line messages the display code shows when a widget cannot be built (already translated). */
export interface IDisplayMessages {
  /** Prefix of the sidebar's error line, e.g. "Hugging Face sidebar unavailable:". */
  sidebarUnavailable: string;
  /** Prefix of a main-area panel's error line, e.g. "Not available:". */
  notAvailable: string;
}

/** English messages (tests, and callers without a translator). */
export const ENGLISH_MESSAGES: IDisplayMessages = {
  sidebarUnavailable: 'Hugging Face sidebar unavailable:',
  notAvailable: 'Not available:'
};

/** Options of the display code. */
export interface IDisplayOptions {
  /** JupyterLab's display language (`translator.languageCode`, e.g. "zh-CN"), told to the kernel. */
  language?: string;
  messages?: IDisplayMessages;
}

/** The kernel variable remembering the language the sidebar widget was built in. */
export const SIDEBAR_LANGUAGE_VARIABLE = '_hub_widgets_sidebar_language';

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
export function widgetExpression(
  kind: HostedKind,
  args: IHostedArgs = {}
): string {
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
 * Code that tells the kernel JupyterLab's display language, before any widget is built (JupyterLab
 * passes it to no kernel). `HUB_WIDGETS_LANG` in the kernel's environment ranks above JupyterLab's
 * language, so it is left to win; a hub_widgets without `set_language` keeps its own choice.
 */
export function setLanguageCode(language: string): string {
  return [
    "if not __import__('os').environ.get('HUB_WIDGETS_LANG', '').strip():",
    '    try:',
    `        hub_widgets.set_language(${pyString(language)})`,
    '    except Exception:',
    '        pass'
  ].join('\n');
}

/** Python that shows a one-line error: a translated prefix, then the exception, escaped. */
function errorLine(prefix: string, indent: string): string {
  return (
    `${indent}display(HTML('<b>' + __import__('html').escape(${pyString(prefix)}) + '</b> ' + ` +
    "__import__('html').escape(type(_e).__name__ + ': ' + str(_e))))"
  );
}

/**
 * The code a host panel runs to display its widget.
 *
 * The sidebar widget is kept in a kernel variable and displayed again on reconnect, so a page
 * reload shows the same widget (same state, same kernel) instead of building a new one; it is
 * built again only when JupyterLab's display language changed since. A missing module (a helper
 * not installed yet) shows a one-line message instead of a traceback.
 */
export function displayCode(
  kind: HostedKind,
  args: IHostedArgs = {},
  options: IDisplayOptions = {}
): string {
  const build = widgetExpression(kind, args);
  const messages = options.messages ?? ENGLISH_MESSAGES;
  const lines = [
    'import hub_widgets',
    'from IPython.display import display, HTML'
  ];
  if (options.language) {
    lines.push(setLanguageCode(options.language));
  }
  if (kind === 'sidebar') {
    const name = pyString(SIDEBAR_VARIABLE);
    const lang = pyString(SIDEBAR_LANGUAGE_VARIABLE);
    const language = pyString(options.language ?? '');
    lines.push(
      `if globals().get(${lang}, ${language}) != ${language}:`,
      `    globals()[${name}] = None`,
      `if globals().get(${name}) is None:`,
      '    try:',
      `        globals()[${name}] = ${build}`,
      `        globals()[${lang}] = ${language}`,
      '    except Exception as _e:',
      errorLine(messages.sidebarUnavailable, '        '),
      `if globals().get(${name}) is not None:`,
      `    display(globals()[${name}])`
    );
  } else {
    if (kind === 'push' && args.quick) {
      lines.push(
        'try:',
        "    _kw = {'quick': True} if 'quick' in __import__('inspect').signature(hub_widgets.PushPanel).parameters else {}",
        `    _w = ${build.replace(/\)$/, build.endsWith('()') ? '**_kw)' : ', **_kw)')}`,
        '    _w.private.value = True'
      );
    } else {
      lines.push('try:', `    _w = ${build}`);
    }
    lines.push(
      '    display(_w)',
      '    del _w',
      'except Exception as _e:',
      errorLine(messages.notAvailable, '    ')
    );
  }
  return lines.join('\n');
}
