/**
 * hub-widgets JupyterLab extension: a Hugging Face sidebar and commands hosting the Python widgets.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { DocumentWidget } from '@jupyterlab/docregistry';
import { IFileBrowserFactory } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';

import iconSvg from '../style/icon.svg';
import { registerCommands } from './commands';
import { setCurrentPathCode } from './kernelcode';
import { HostPanel, KernelHost } from './panel';

export const hubIcon = new LabIcon({
  name: 'hub-widgets:icon',
  svgstr: iconSvg
});

const SIDEBAR_ID = 'hub-widgets-sidebar';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'hub-widgets:plugin',
  description:
    'The Hugging Face Hub in a sidebar, hosting the hub_widgets Python widgets.',
  autoStart: true,
  requires: [IRenderMimeRegistry, IJupyterWidgetRegistry],
  optional: [
    ICommandPalette,
    INotebookTracker,
    IFileBrowserFactory,
    ILabShell,
    ILayoutRestorer,
    ITranslator
  ],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    _widgetRegistry: IJupyterWidgetRegistry,
    palette: ICommandPalette | null,
    notebooks: INotebookTracker | null,
    browsers: IFileBrowserFactory | null,
    labShell: ILabShell | null,
    restorer: ILayoutRestorer | null,
    translator: ITranslator | null
  ) => {
    translator = translator ?? nullTranslator;
    // One gettext domain for the Python widgets and this extension (catalogs: jupyterlab.locale).
    const trans = translator.load('hub_widgets');
    const language = translator.languageCode;
    const host = new KernelHost({
      serviceManager: app.serviceManager,
      rendermime,
      trans
    });

    const sidebar = new HostPanel({ host, kind: 'sidebar', trans, language });
    sidebar.id = SIDEBAR_ID;
    sidebar.addClass('jp-HubWidgets-sidebar');
    sidebar.title.icon = hubIcon;
    sidebar.title.caption = trans.__('Hugging Face');
    app.shell.add(sidebar, 'left', { rank: 900 });
    // The restorer reopens the sidebar after a reload if it was open.
    restorer?.add(sidebar, SIDEBAR_ID);

    /** The contents path of the current document (notebook or file), if any. */
    const currentPath = (): string | null => {
      const current = app.shell.currentWidget;
      if (current instanceof DocumentWidget) {
        return current.context.path;
      }
      return notebooks?.currentWidget?.context.path ?? null;
    };

    // Tell the kernel which document is current, for quick push.
    let lastPath: string | null | undefined = undefined;
    const sendPath = () => {
      const path = currentPath();
      const kernel = host.sessionContext.session?.kernel;
      if (host.state !== 'ready' || !kernel || path === lastPath) {
        return;
      }
      lastPath = path;
      kernel.requestExecute({
        code: setCurrentPathCode(path),
        silent: true,
        store_history: false
      });
    };
    labShell?.currentChanged.connect(sendPath);
    notebooks?.currentChanged.connect(sendPath);
    host.booted.connect(() => {
      lastPath = undefined;
      // After the sidebar is displayed, so the widget exists in the kernel.
      void sidebar.displayed.then(sendPath);
    });

    registerCommands(app, {
      host,
      icon: hubIcon,
      sidebarId: SIDEBAR_ID,
      trans,
      language,
      palette,
      restorer,
      notebooks,
      browsers,
      currentPath
    });

    // For the end-to-end tests and the benchmark.
    (window as any).hubWidgets = { host, sidebar };
  }
};

export default plugin;
