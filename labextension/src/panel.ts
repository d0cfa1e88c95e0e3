/**
 * Panels that host the Python widgets of a dedicated kernel.
 *
 * One `KernelHost` owns the kernel session (a stable path, so a page reload reconnects) and a
 * rendermime bound to a widget manager for that kernel. Each `HostPanel` runs a little display
 * code in that kernel and shows its output: the sidebar, or a main-area panel.
 */
import { ISessionContext, SessionContext } from '@jupyterlab/apputils';
import {
  OutputArea,
  OutputAreaModel,
  SimplifiedOutputArea
} from '@jupyterlab/outputarea';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ServiceManager } from '@jupyterlab/services';
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import * as base from '@jupyter-widgets/base';
import {
  KernelWidgetManager,
  output,
  registerWidgetManager,
  WidgetRenderer
} from '@jupyter-widgets/jupyterlab-manager';
import { PromiseDelegate } from '@lumino/coreutils';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';
import { Panel, Widget } from '@lumino/widgets';

import {
  displayCode,
  HostedKind,
  IDisplayMessages,
  IHostedArgs,
  isAbandonedStart,
  KERNEL_SESSION_PATH,
  PROBE_EXPRESSION
} from './kernelcode';

const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';
/** How long to wait for the widget manager's restore from the kernel before displaying anyway. */
const RESTORE_TIMEOUT_MS = 10_000;

/** The session type of the dedicated kernel (its path is KERNEL_SESSION_PATH). */
const SESSION_TYPE = 'hub-widgets';

/** What the host can tell a panel about its kernel. */
export type HostState =
  | 'idle'
  | 'starting'
  | 'ready'
  | 'dead'
  | 'missing'
  | 'error';

/**
 * The dedicated kernel and its widget-aware rendermime.
 */
export class KernelHost implements IDisposable {
  constructor(options: KernelHost.IOptions) {
    this.trans = options.trans ?? nullTranslator.load('hub_widgets');
    this.rendermime = options.rendermime.clone();
    this._serviceManager = options.serviceManager;
    this.sessionContext = new SessionContext({
      sessionManager: options.serviceManager.sessions,
      specsManager: options.serviceManager.kernelspecs,
      path: KERNEL_SESSION_PATH,
      name: this.trans.__('Hugging Face'),
      type: SESSION_TYPE,
      kernelPreference: {
        shouldStart: true,
        canStart: true,
        autoStartDefault: true
      }
    });
    this.sessionContext.statusChanged.connect(this._onStatus, this);
  }

  readonly rendermime: IRenderMimeRegistry;
  readonly sessionContext: SessionContext;
  readonly trans: TranslationBundle;

  get state(): HostState {
    return this._state;
  }

  get stateChanged(): ISignal<this, HostState> {
    return this._stateChanged;
  }

  /** Emitted when the kernel is (again) ready to display widgets: panels re-run their code. */
  get booted(): ISignal<this, void> {
    return this._booted;
  }

  get kernelId(): string {
    return this.sessionContext.session?.kernel?.id ?? '';
  }

  get message(): string {
    return this._message;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /**
   * Start or reconnect the kernel once; later calls wait for the same start.
   */
  start(): Promise<void> {
    if (!this._started) {
      this._started = this._start();
    }
    return this._started;
  }

  /** Restart the kernel (the Restart button of a dead kernel). */
  async restart(): Promise<void> {
    this._setState('starting');
    try {
      if (this.sessionContext.session?.kernel) {
        await this.sessionContext.restartKernel();
      } else {
        await this.sessionContext.changeKernel({
          name: this.sessionContext.kernelPreference.name
        });
      }
      await this._probe();
    } catch (err) {
      this._fail(err);
    }
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    this._managerBinding?.dispose();
    this.sessionContext.dispose();
    Signal.clearData(this);
  }

  private async _start(): Promise<void> {
    this._setState('starting');
    try {
      await this._ensureSession();
      await this.sessionContext.initialize();
      await this.sessionContext.ready;
      if (!this.sessionContext.session?.kernel) {
        throw new Error('no kernel');
      }
      this._bindWidgetManager();
      await this._widgetsRestored();
      await this._probe();
    } catch (err) {
      this._fail(err);
    }
  }

  /**
   * Make sure a server session exists at the fixed path before the `SessionContext` looks for it.
   *
   * Left to itself, `SessionContext` starts a kernel under a random path and renames the session
   * afterwards: a page reloaded in between leaves that session (and its kernel) behind under the
   * random name, and the next page, finding nothing at the fixed path, starts one more. Asking the
   * server for the fixed path directly returns the running session when there is one; sessions an
   * interrupted start left behind are shut down.
   */
  private async _ensureSession(): Promise<void> {
    const sessions = this._serviceManager.sessions;
    await sessions.ready;
    await sessions.refreshRunning();
    const running = Array.from(sessions.running());
    for (const model of running) {
      if (isAbandonedStart(model, SESSION_TYPE)) {
        await sessions.shutdown(model.id).catch(() => undefined);
      }
    }
    if (running.some(model => model.path === KERNEL_SESSION_PATH)) {
      return;
    }
    const specs = this._serviceManager.kernelspecs;
    await specs.ready;
    const session = await sessions.startNew(
      {
        path: KERNEL_SESSION_PATH,
        type: SESSION_TYPE,
        name: this.trans.__('Hugging Face'),
        kernel: specs.specs?.default ? { name: specs.specs.default } : {}
      },
      {}
    );
    // The SessionContext connects to it by path; this connection is not needed.
    session.dispose();
  }

  /** Check hub_widgets imports in the kernel, then tell the panels to display. */
  private async _probe(): Promise<void> {
    const kernel = this.sessionContext.session?.kernel;
    if (!kernel) {
      this._setState('dead');
      return;
    }
    const reply = await kernel.requestExecute({
      code: '',
      silent: true,
      store_history: false,
      user_expressions: { ok: PROBE_EXPRESSION }
    }).done;
    const content = reply.content as any;
    const result = content.user_expressions?.ok;
    const ok =
      result?.status === 'ok' && result.data?.['text/plain'] === 'True';
    if (!ok) {
      this._message = this.trans.__(
        'hub_widgets is not installed in the kernel environment: %1',
        'pip install hub-widgets'
      );
      this._setState('missing');
      return;
    }
    this._setState('ready');
    this._booted.emit();
  }

  /**
   * Bind a widget manager for this kernel to the panel's rendermime.
   *
   * `registerWidgetManager` with a stand-in document context builds the manager the widgets
   * extension builds for notebooks (all registered widget modules). If that fails, an own
   * `KernelWidgetManager` with the core modules (base, controls, output) still renders controls.
   */
  private _bindWidgetManager(): void {
    if (this._managerBound) {
      return;
    }
    this._managerBound = true;
    try {
      const context = {
        sessionContext: this.sessionContext,
        saveState: new Signal<any, string>(this),
        model: {
          getMetadata: () => undefined,
          setMetadata: () => undefined,
          dirty: false
        },
        urlResolver: {
          resolveUrl: async (url: string) => url,
          getDownloadUrl: async (url: string) => url
        }
      };
      // registerWidgetManager hands its manager to the renderers it is given: this one keeps it.
      const receiver = {
        set manager(manager: any) {
          managerDelegate.resolve(manager);
        }
      };
      const managerDelegate = this._manager;
      this._managerBinding = registerWidgetManager(
        context as any,
        this.rendermime,
        ([receiver] as unknown as WidgetRenderer[])[Symbol.iterator]()
      );
    } catch (err) {
      console.warn('hub-widgets: falling back to an own widget manager', err);
      const kernel = this.sessionContext.session!.kernel!;
      const manager = new KernelWidgetManager(kernel, this.rendermime);
      manager.register({
        name: '@jupyter-widgets/base',
        version: base.JUPYTER_WIDGETS_VERSION,
        exports: base as any
      });
      manager.register({
        name: '@jupyter-widgets/output',
        version: output.OUTPUT_WIDGET_VERSION,
        exports: output as any
      });
      void import('@jupyter-widgets/controls').then(controls =>
        manager.register({
          name: '@jupyter-widgets/controls',
          version: controls.JUPYTER_CONTROLS_VERSION,
          exports: controls as any
        })
      );
      this.rendermime.removeMimeType(WIDGET_VIEW_MIMETYPE);
      this.rendermime.addFactory(
        {
          safe: false,
          mimeTypes: [WIDGET_VIEW_MIMETYPE],
          createRenderer: options => new WidgetRenderer(options, manager)
        },
        -10
      );
      this._managerBinding = manager;
      this._manager.resolve(manager);
    }
  }

  /**
   * Wait until the widget manager has loaded the widgets the kernel already has (a reconnect after
   * a page reload). Widgets displayed while that restore runs can get two frontend models, and the
   * one their view uses never reaches the kernel: its buttons do nothing.
   */
  private async _widgetsRestored(): Promise<void> {
    const manager = await Promise.race([
      this._manager.promise,
      new Promise<null>(resolve =>
        setTimeout(() => resolve(null), RESTORE_TIMEOUT_MS)
      )
    ]);
    if (!manager || manager.restoredStatus) {
      return;
    }
    await new Promise<void>(resolve => {
      const done = () => {
        manager.restored.disconnect(done);
        resolve();
      };
      manager.restored.connect(done);
      setTimeout(done, RESTORE_TIMEOUT_MS);
    });
  }

  private _onStatus(_: ISessionContext, status: string): void {
    if (status === 'dead') {
      this._message = this.trans.__('The Hugging Face kernel died.');
      this._setState('dead');
    } else if (status === 'restarting' || status === 'autorestarting') {
      this._setState('starting');
      if (!this._restarting) {
        this._restarting = true;
        void this._afterRestart();
      }
    }
  }

  /**
   * Wait for the restarted kernel to answer, then display again. Polling a kernel_info request
   * (instead of waiting for an 'idle' status) also works when the new kernel's first status
   * arrived before the server's 'restarting' notice.
   */
  private async _afterRestart(): Promise<void> {
    const deadline = Date.now() + 120_000;
    try {
      while (Date.now() < deadline && !this._isDisposed) {
        const kernel = this.sessionContext.session?.kernel;
        if (kernel && kernel.status !== 'dead') {
          const answered = await Promise.race([
            kernel.requestKernelInfo().then(
              () => true,
              () => false
            ),
            new Promise<boolean>(resolve =>
              setTimeout(() => resolve(false), 3000)
            )
          ]);
          if (answered) {
            this._restarting = false;
            await this._probe();
            return;
          }
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
      this._restarting = false;
      this._message = this.trans.__(
        'The Hugging Face kernel did not come back after a restart.'
      );
      this._setState('dead');
    } catch (err) {
      this._restarting = false;
      this._fail(err);
    }
  }

  private _fail(err: unknown): void {
    this._message = this.trans.__(
      'Could not start the Hugging Face kernel: %1',
      String((err as Error)?.message ?? err)
    );
    this._setState(this.sessionContext.session?.kernel ? 'error' : 'dead');
  }

  private _setState(state: HostState): void {
    this._state = state;
    this._stateChanged.emit(state);
  }

  private _serviceManager: ServiceManager.IManager;
  private _state: HostState = 'idle';
  private _message = '';
  private _started: Promise<void> | null = null;
  private _restarting = false;
  private _managerBound = false;
  private _managerBinding: IDisposable | null = null;
  private _manager = new PromiseDelegate<any>();
  private _isDisposed = false;
  private _stateChanged = new Signal<this, HostState>(this);
  private _booted = new Signal<this, void>(this);
}

export namespace KernelHost {
  export interface IOptions {
    serviceManager: ServiceManager.IManager;
    rendermime: IRenderMimeRegistry;
    /** The extension's translations (`translator.load('hub_widgets')`); English without. */
    trans?: TranslationBundle;
  }
}

/**
 * A panel showing one Python widget from the host kernel, with clear kernel states.
 */
export class HostPanel extends Panel {
  constructor(options: HostPanel.IOptions) {
    super();
    this.addClass('jp-HubWidgets-panel');
    this.host = options.host;
    this.kind = options.kind;
    this.args = options.args ?? {};
    this.trans = options.trans ?? this.host.trans;
    this._language = options.language ?? '';
    this._status = document.createElement('div');
    this._status.className = 'jp-HubWidgets-status';
    this._statusText = document.createElement('span');
    this._restartButton = document.createElement('button');
    this._restartButton.className =
      'jp-mod-styled jp-mod-accept jp-HubWidgets-restart';
    this._restartButton.textContent = this.trans.__('Restart kernel');
    this._restartButton.onclick = () => void this.host.restart();
    this._status.append(this._statusText, this._restartButton);
    this.addWidget(new Widget({ node: this._status }));
    this._area = new SimplifiedOutputArea({
      model: new OutputAreaModel({ trusted: true }),
      rendermime: this.host.rendermime
    });
    this._area.addClass('jp-HubWidgets-output');
    this.addWidget(this._area);
    this.host.stateChanged.connect(this._renderState, this);
    this.host.booted.connect(this._display, this);
    this._renderState();
  }

  readonly host: KernelHost;
  readonly kind: HostedKind;
  readonly args: IHostedArgs;

  /** Resolves once the widget output has been rendered (for benchmarks and tests). */
  get displayed(): Promise<void> {
    return this._displayed.promise;
  }

  /** Start the kernel if needed and display the widget (also when the kernel is already up). */
  activateHost(): void {
    if (this.host.state === 'ready') {
      if (!this._shown) {
        void this._display();
      }
    } else {
      void this.host.start();
    }
  }

  protected onAfterShow(): void {
    this.activateHost();
  }

  private async _display(): Promise<void> {
    this._shown = true;
    this._area.model.clear();
    try {
      const messages: IDisplayMessages = {
        sidebarUnavailable: this.trans.__('Hugging Face sidebar unavailable:'),
        notAvailable: this.trans.__('Not available:')
      };
      const code = displayCode(this.kind, this.args, {
        language: this._language,
        messages
      });
      await OutputArea.execute(code, this._area, this.host.sessionContext);
      this.node.dataset.kernelId = this.host.kernelId;
      this._displayed.resolve();
    } catch (err) {
      this._shown = false;
      this._statusText.textContent = this.trans.__(
        'Could not show the widget: %1',
        String((err as Error)?.message ?? err)
      );
      this._status.dataset.state = 'error';
    }
  }

  private _renderState(): void {
    const state = this.host.state;
    const text: Record<HostState, string> = {
      idle: '',
      starting: this.trans.__('Starting the Hugging Face kernel…'),
      ready: '',
      dead:
        this.host.message ||
        this.trans.__('The Hugging Face kernel is not running.'),
      missing: this.host.message,
      error: this.host.message
    };
    this._status.dataset.state = state;
    this._statusText.textContent = text[state];
    this._restartButton.style.display =
      state === 'dead' || state === 'error' ? '' : 'none';
    this._status.style.display = text[state] ? '' : 'none';
    this.node.dataset.state = state;
    if (state === 'ready') {
      this.node.dataset.kernelId = this.host.kernelId;
    }
  }

  readonly trans: TranslationBundle;
  private _language: string;
  private _area: SimplifiedOutputArea;
  private _status: HTMLDivElement;
  private _statusText: HTMLSpanElement;
  private _restartButton: HTMLButtonElement;
  private _shown = false;
  private _displayed = new PromiseDelegate<void>();
}

export namespace HostPanel {
  export interface IOptions {
    host: KernelHost;
    kind: HostedKind;
    args?: IHostedArgs;
    /** The extension's translations; the host's without. */
    trans?: TranslationBundle;
    /** JupyterLab's display language, told to the kernel before the widget is built. */
    language?: string;
  }
}
