/**
 * The extension's commands: ids, labels and handlers in one registry, their palette entries, the
 * "Hugging Face" context submenus and the main-area panels' trackers (for the layout restorer).
 */
import { ILayoutRestorer, JupyterFrontEnd } from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Menu } from '@lumino/widgets';

import {
  dirname,
  HostedKind,
  IHostedArgs,
  isNotebookPath,
  LOGIN_CELL_SOURCE
} from './kernelcode';
import { browserTarget, IBrowserTarget } from './menus';
import { HostPanel, KernelHost } from './panel';

export namespace CommandIDs {
  export const login = 'hub-widgets:login';
  export const pushNotebook = 'hub-widgets:push-notebook';
  export const pushFolder = 'hub-widgets:push-folder';
  export const openBrowser = 'hub-widgets:open-repo-browser';
  export const openPlayground = 'hub-widgets:open-playground';
  export const insertLoginCell = 'hub-widgets:insert-login-cell';
  export const openSidebar = 'hub-widgets:open-sidebar';
}

/** The palette entries, in palette order. */
export const PALETTE_COMMANDS = [
  CommandIDs.openSidebar,
  CommandIDs.login,
  CommandIDs.pushNotebook,
  CommandIDs.pushFolder,
  CommandIDs.openBrowser,
  CommandIDs.openPlayground,
  CommandIDs.insertLoginCell
];

/** The main-area panel kinds (each has a tracker, restored after a page reload). */
export const MAIN_KINDS: Exclude<HostedKind, 'sidebar'>[] = [
  'login',
  'push',
  'browser',
  'playground'
];

export interface ICommandDeps {
  host: KernelHost;
  icon: LabIcon;
  sidebarId: string;
  trans: TranslationBundle;
  /** JupyterLab's display language, told to the kernel before a widget is built. */
  language: string;
  palette: ICommandPalette | null;
  notebooks: INotebookTracker | null;
  browsers: IFileBrowserFactory | null;
  restorer: ILayoutRestorer | null;
  /** The contents path of the current document, if any. */
  currentPath: () => string | null;
}

/** A main-area Hugging Face panel. */
type MainPanel = MainAreaWidget<HostPanel>;

/**
 * Register every command, its palette entry, the context submenus and the panel trackers.
 */
export function registerCommands(
  app: JupyterFrontEnd,
  deps: ICommandDeps
): void {
  const { commands } = app;
  const { trans } = deps;

  /** The file browser entry (or blank area) the open context menu was opened on. */
  const browserItem = (): IBrowserTarget | null => {
    const browser = deps.browsers?.tracker.currentWidget;
    if (!browser) {
      return null;
    }
    const hit = app.contextMenuHitTest(node =>
      node.classList.contains('jp-DirListing-item')
    );
    let item = null;
    if (hit) {
      // Right-clicking an entry selects it: the selection is that entry.
      const first = browser.selectedItems().next();
      item = first && !first.done && first.value ? first.value : null;
    }
    return browserTarget(item, browser.model.path);
  };

  /** The document a palette command acts on (an explicit `path` argument first). */
  const documentPath = (args: any): string | null =>
    typeof args?.path === 'string' ? args.path : deps.currentPath();

  const trackers = new Map<HostedKind, WidgetTracker<MainPanel>>();
  for (const kind of MAIN_KINDS) {
    trackers.set(
      kind,
      new WidgetTracker<MainPanel>({ namespace: `hub-widgets-${kind}` })
    );
  }

  const titles: Record<Exclude<HostedKind, 'sidebar'>, string> = {
    login: trans.__('Hugging Face login'),
    push: trans.__('Push to the Hub'),
    browser: trans.__('Hub repo browser'),
    playground: trans.__('Inference playground')
  };

  const openMain = (
    kind: Exclude<HostedKind, 'sidebar'>,
    args: IHostedArgs = {}
  ): MainPanel => {
    const panel = new HostPanel({
      host: deps.host,
      kind,
      args,
      trans,
      language: deps.language
    });
    const main = new MainAreaWidget({ content: panel });
    main.id = `hub-widgets-${kind}-${Private.nextId()}`;
    main.title.label = titles[kind];
    main.title.caption = titles[kind];
    main.title.icon = deps.icon;
    main.title.closable = true;
    void trackers.get(kind)!.add(main);
    app.shell.add(main, 'main');
    app.shell.activateById(main.id);
    panel.activateHost();
    return main;
  };

  commands.addCommand(CommandIDs.openSidebar, {
    label: trans.__('Show the sidebar'),
    caption: trans.__('Show the Hugging Face sidebar'),
    icon: deps.icon,
    execute: () => app.shell.activateById(deps.sidebarId)
  });

  commands.addCommand(CommandIDs.login, {
    label: trans.__('Log in'),
    caption: trans.__('Log in to the Hugging Face Hub'),
    icon: deps.icon,
    execute: () => openMain('login')
  });

  // Push commands open a quick PushPanel: the target filled, "Private" ticked and the plan shown;
  // nothing is uploaded before the user clicks Push.
  commands.addCommand(CommandIDs.pushNotebook, {
    label: trans.__('Push this notebook to the Hub'),
    caption: trans.__('Review the plan, then push the notebook to a Hub repo'),
    icon: deps.icon,
    isVisible: args =>
      args?.fromBrowser ? (browserItem()?.notebook ?? null) !== null : true,
    isEnabled: args => {
      const path = args?.fromBrowser
        ? (browserItem()?.notebook ?? null)
        : documentPath(args);
      return path !== null && isNotebookPath(path);
    },
    execute: args => {
      const path = args?.fromBrowser
        ? (browserItem()?.notebook ?? null)
        : documentPath(args);
      return openMain(
        'push',
        path === null ? { quick: true } : { path, quick: true }
      );
    }
  });

  commands.addCommand(CommandIDs.pushFolder, {
    label: args => {
      const kind = args?.fromBrowser ? browserItem()?.kind : 'none';
      return kind === 'notebook' || kind === 'file'
        ? trans.__("Push this file's folder to the Hub")
        : trans.__('Push this folder to the Hub');
    },
    caption: trans.__('Review the plan, then push the folder to a Hub repo'),
    icon: deps.icon,
    execute: args => {
      let path: string | null;
      if (args?.fromBrowser) {
        path = browserItem()?.folder ?? null;
      } else if (typeof args?.path === 'string' && args?.isFolder === true) {
        path = args.path;
      } else {
        // The current document's folder.
        const current = documentPath(args);
        path = current === null ? null : dirname(current);
      }
      return openMain('push', { path: path ?? '', quick: true });
    }
  });

  commands.addCommand(CommandIDs.openBrowser, {
    label: trans.__('Open the repo browser'),
    caption: trans.__('Browse and search Hub repos'),
    icon: deps.icon,
    execute: args =>
      openMain('browser', {
        repoId: typeof args?.repoId === 'string' ? args.repoId : undefined,
        repoType: typeof args?.repoType === 'string' ? args.repoType : undefined
      })
  });

  commands.addCommand(CommandIDs.openPlayground, {
    label: trans.__('Open the inference playground'),
    caption: trans.__('Try a model on the inference API'),
    icon: deps.icon,
    execute: args =>
      openMain('playground', {
        repoId: typeof args?.repoId === 'string' ? args.repoId : undefined
      })
  });

  commands.addCommand(CommandIDs.insertLoginCell, {
    label: trans.__('Insert login cell'),
    caption: trans.__('Insert a cell that shows the Hugging Face login'),
    icon: deps.icon,
    isEnabled: () => !!deps.notebooks?.currentWidget,
    execute: () => {
      const panel = deps.notebooks?.currentWidget;
      if (!panel) {
        return;
      }
      const notebook = panel.content;
      const active = notebook.activeCell;
      const empty =
        active &&
        active.model.type === 'code' &&
        active.model.sharedModel.getSource() === '';
      if (!empty) {
        NotebookActions.insertBelow(notebook);
      }
      notebook.activeCell?.model.sharedModel.setSource(LOGIN_CELL_SOURCE);
    }
  });

  const category = trans.__('Hugging Face');
  for (const command of PALETTE_COMMANDS) {
    deps.palette?.addItem({ command, category });
  }

  // One "Hugging Face" submenu where it applies: in the file browser its push entries follow the item
  // right-clicked; on a notebook, what applies to a notebook.
  const addSubmenu = (
    id: string,
    selector: string,
    items: Menu.IItemOptions[]
  ): void => {
    const menu = new Menu({ commands });
    menu.title.label = trans.__('Hugging Face');
    menu.title.icon = deps.icon;
    menu.id = id;
    items.forEach(item => menu.addItem(item));
    app.contextMenu.addItem({
      type: 'submenu',
      submenu: menu,
      selector,
      rank: 60
    });
  };
  addSubmenu('hub-widgets-browser-menu', '.jp-DirListing-content', [
    { command: CommandIDs.pushNotebook, args: { fromBrowser: true } },
    { command: CommandIDs.pushFolder, args: { fromBrowser: true } },
    { type: 'separator' },
    { command: CommandIDs.openBrowser },
    { command: CommandIDs.openPlayground },
    { command: CommandIDs.login }
  ]);
  addSubmenu('hub-widgets-notebook-menu', '.jp-Notebook', [
    { command: CommandIDs.insertLoginCell },
    { command: CommandIDs.pushNotebook }
  ]);

  // After a page reload the main-area panels come back with their arguments.
  if (deps.restorer) {
    const restoreArgs = (main: MainPanel): Record<string, any> => {
      const { path, repoId, repoType } = main.content.args;
      const args: Record<string, any> = {};
      if (path !== undefined) {
        args.path = path;
        args.isFolder = true;
      }
      if (repoId !== undefined) {
        args.repoId = repoId;
      }
      if (repoType !== undefined) {
        args.repoType = repoType;
      }
      return args;
    };
    const restoreCommand: Record<Exclude<HostedKind, 'sidebar'>, string> = {
      login: CommandIDs.login,
      // With isFolder the push command takes the path as it is (a notebook or a folder).
      push: CommandIDs.pushFolder,
      browser: CommandIDs.openBrowser,
      playground: CommandIDs.openPlayground
    };
    for (const kind of MAIN_KINDS) {
      void deps.restorer.restore(trackers.get(kind)!, {
        command: restoreCommand[kind],
        args: restoreArgs,
        name: main => `${kind}:${JSON.stringify(restoreArgs(main))}`
      });
    }
  }
}

namespace Private {
  let counter = 0;

  /** A page-unique number for a panel's id. */
  export function nextId(): number {
    return counter++;
  }
}
