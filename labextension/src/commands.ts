/**
 * The extension's commands: ids, labels and handlers in one registry.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { INotebookTracker, NotebookActions } from '@jupyterlab/notebook';
import { LabIcon } from '@jupyterlab/ui-components';

import { dirname, HostedKind, IHostedArgs, isNotebookPath, LOGIN_CELL_SOURCE } from './kernelcode';
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

/** Palette category. */
export const CATEGORY = 'Hugging Face';

/** Labels, in one place (also used by the end-to-end tests). */
export const LABELS: Record<string, string> = {
  [CommandIDs.login]: 'Hugging Face: Log in',
  [CommandIDs.pushNotebook]: 'Push this notebook to the Hub',
  [CommandIDs.pushFolder]: 'Push this folder to the Hub',
  [CommandIDs.openBrowser]: 'Open repo browser',
  [CommandIDs.openPlayground]: 'Open inference playground',
  [CommandIDs.insertLoginCell]: 'Insert login cell',
  [CommandIDs.openSidebar]: 'Show the Hugging Face sidebar'
};

export interface ICommandDeps {
  host: KernelHost;
  icon: LabIcon;
  sidebarId: string;
  palette: ICommandPalette | null;
  notebooks: INotebookTracker | null;
  browsers: IFileBrowserFactory | null;
  /** The contents path of the current document, if any. */
  currentPath: () => string | null;
}

/**
 * Register every command, its palette entry and its file-browser context menu entry.
 */
export function registerCommands(app: JupyterFrontEnd, deps: ICommandDeps): void {
  const { commands } = app;

  /** The path a command acts on: the file browser selection, else the current document. */
  const targetPath = (args: any): string | null => {
    if (typeof args?.path === 'string') {
      return args.path;
    }
    if (args?.fromBrowser && deps.browsers) {
      const first = deps.browsers.tracker.currentWidget?.selectedItems().next();
      if (first && !first.done && first.value) {
        return first.value.path;
      }
    }
    return deps.currentPath();
  };

  const openMain = (kind: HostedKind, title: string, args: IHostedArgs = {}) => {
    const panel = new HostPanel({ host: deps.host, kind, args });
    const main = new MainAreaWidget({ content: panel });
    main.id = `hub-widgets-${kind}-${Private.nextId++}`;
    main.title.label = title;
    main.title.icon = deps.icon;
    main.title.closable = true;
    app.shell.add(main, 'main');
    app.shell.activateById(main.id);
    panel.activateHost();
    return main;
  };

  commands.addCommand(CommandIDs.login, {
    label: LABELS[CommandIDs.login],
    icon: deps.icon,
    execute: () => openMain('login', 'Hugging Face login')
  });

  commands.addCommand(CommandIDs.pushNotebook, {
    label: LABELS[CommandIDs.pushNotebook],
    icon: deps.icon,
    isEnabled: args => {
      const path = targetPath(args);
      return path !== null && isNotebookPath(path);
    },
    execute: args => {
      const path = targetPath(args);
      return openMain('push', 'Push to the Hub', path === null ? {} : { path });
    }
  });

  commands.addCommand(CommandIDs.pushFolder, {
    label: LABELS[CommandIDs.pushFolder],
    icon: deps.icon,
    execute: args => {
      let path = targetPath(args);
      // A file pushes its folder; a folder selected in the browser pushes itself.
      if (path !== null && (args?.isFolder !== true) && /\.[^/]+$/.test(path)) {
        path = dirname(path);
      }
      return openMain('push', 'Push to the Hub', { path: path ?? '' });
    }
  });

  commands.addCommand(CommandIDs.openBrowser, {
    label: LABELS[CommandIDs.openBrowser],
    icon: deps.icon,
    execute: args =>
      openMain('browser', 'Hub repo browser', {
        repoId: typeof args?.repoId === 'string' ? args.repoId : undefined,
        repoType: typeof args?.repoType === 'string' ? args.repoType : undefined
      })
  });

  commands.addCommand(CommandIDs.openPlayground, {
    label: LABELS[CommandIDs.openPlayground],
    icon: deps.icon,
    execute: args =>
      openMain('playground', 'Inference playground', {
        repoId: typeof args?.repoId === 'string' ? args.repoId : undefined
      })
  });

  commands.addCommand(CommandIDs.insertLoginCell, {
    label: LABELS[CommandIDs.insertLoginCell],
    icon: deps.icon,
    isEnabled: () => !!deps.notebooks?.currentWidget,
    execute: () => {
      const panel = deps.notebooks?.currentWidget;
      if (!panel) {
        return;
      }
      const notebook = panel.content;
      const active = notebook.activeCell;
      const empty = active && active.model.type === 'code' && active.model.sharedModel.getSource() === '';
      if (!empty) {
        NotebookActions.insertBelow(notebook);
      }
      notebook.activeCell?.model.sharedModel.setSource(LOGIN_CELL_SOURCE);
    }
  });

  commands.addCommand(CommandIDs.openSidebar, {
    label: LABELS[CommandIDs.openSidebar],
    icon: deps.icon,
    execute: () => app.shell.activateById(deps.sidebarId)
  });

  for (const command of Object.keys(LABELS)) {
    deps.palette?.addItem({ command, category: CATEGORY });
  }

  // File browser context menu: the selected item is the target.
  const browserItems: [string, string][] = [
    [CommandIDs.pushNotebook, '.jp-DirListing-item[data-file-type="notebook"]'],
    [CommandIDs.pushFolder, '.jp-DirListing-item[data-isdir="true"]'],
    [CommandIDs.pushFolder, '.jp-DirListing-item[data-isdir="false"]']
  ];
  browserItems.forEach(([command, selector], rank) => {
    app.contextMenu.addItem({
      command,
      selector,
      args: { fromBrowser: true, isFolder: selector.includes('"true"') },
      rank: 60 + rank
    });
  });
  app.contextMenu.addItem({ command: CommandIDs.login, selector: '.jp-DirListing-content', rank: 63 });
  app.contextMenu.addItem({ command: CommandIDs.openBrowser, selector: '.jp-DirListing-content', rank: 64 });
  app.contextMenu.addItem({ command: CommandIDs.openPlayground, selector: '.jp-DirListing-content', rank: 65 });
  app.contextMenu.addItem({ command: CommandIDs.insertLoginCell, selector: '.jp-Notebook', rank: 60 });
}

namespace Private {
  export let nextId = 0;
}
