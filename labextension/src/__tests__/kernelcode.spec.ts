import {
  dirname,
  displayCode,
  isAbandonedStart,
  isNotebookPath,
  kernelPath,
  pyString,
  setCurrentPathCode,
  widgetExpression
} from '../kernelcode';

describe('path helpers', () => {
  it('takes the folder of a contents path', () => {
    expect(dirname('a/b/c.ipynb')).toBe('a/b');
    expect(dirname('c.ipynb')).toBe('');
    expect(dirname('a/b/')).toBe('a');
  });

  it('maps contents paths to kernel paths', () => {
    expect(kernelPath('')).toBe('.');
    expect(kernelPath('/x/y.ipynb')).toBe('x/y.ipynb');
    expect(kernelPath('dir/')).toBe('dir');
  });

  it('recognises notebooks', () => {
    expect(isNotebookPath('a/B.IPYNB')).toBe(true);
    expect(isNotebookPath('a/b.py')).toBe(false);
  });
});

describe('kernel code', () => {
  it('quotes strings safely', () => {
    expect(pyString('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });

  it('builds widget expressions with keyword arguments', () => {
    expect(widgetExpression('push', { path: 'nb/x.ipynb' })).toBe(
      'hub_widgets.PushPanel(source="nb/x.ipynb")'
    );
    expect(
      widgetExpression('browser', { repoId: 'alice/m', repoType: 'dataset' })
    ).toBe('hub_widgets.RepoBrowser(repo_id="alice/m", repo_type="dataset")');
    expect(widgetExpression('browser')).toBe('hub_widgets.RepoBrowser()');
    expect(widgetExpression('playground', { repoId: 'alice/m' })).toBe(
      'hub_widgets.InferencePlayground(model="alice/m")'
    );
    expect(widgetExpression('playground')).toBe(
      'hub_widgets.InferencePlayground()'
    );
  });

  it('keeps the sidebar in a kernel variable so a reload shows the same widget', () => {
    const code = displayCode('sidebar');
    expect(code).toContain('globals().get("_hub_widgets_sidebar") is None');
    expect(code).toContain('display(globals()["_hub_widgets_sidebar"])');
  });

  it('tells the sidebar the current path, or None', () => {
    expect(setCurrentPathCode("it's.ipynb")).toContain(
      'set_current_path("it\'s.ipynb")'
    );
    expect(setCurrentPathCode(null)).toContain('set_current_path(None)');
  });
});

describe('display code', () => {
  it('tells the kernel the display language before building the widget', () => {
    const code = displayCode('sidebar', {}, { language: 'zh-CN' });
    const setLanguage = code.indexOf('hub_widgets.set_language("zh-CN")');
    expect(setLanguage).toBeGreaterThan(0);
    expect(setLanguage).toBeLessThan(code.indexOf('hub_widgets.HubSidebar()'));
  });

  it('leaves HUB_WIDGETS_LANG to win over the display language', () => {
    const code = displayCode('login', {}, { language: 'ja-JP' });
    const guard = code.indexOf("environ.get('HUB_WIDGETS_LANG', '')");
    expect(guard).toBeGreaterThan(0);
    expect(guard).toBeLessThan(
      code.indexOf('hub_widgets.set_language("ja-JP")')
    );
  });

  it('builds the sidebar again when the display language changed', () => {
    const code = displayCode('sidebar', {}, { language: 'de-DE' });
    expect(code).toContain(
      'if globals().get("_hub_widgets_sidebar_language", "de-DE") != "de-DE":'
    );
    expect(code).toContain(
      'globals()["_hub_widgets_sidebar_language"] = "de-DE"'
    );
  });

  it('opens a quick push as PushPanel(quick=True) with Private ticked, and only then', () => {
    const quick = displayCode('push', { path: 'a.ipynb', quick: true });
    expect(quick).toContain(
      '_w = hub_widgets.PushPanel(source="a.ipynb", **_kw)'
    );
    expect(quick).toContain("_kw = {'quick': True} if 'quick' in");
    expect(quick.indexOf('_w.private.value = True')).toBeLessThan(
      quick.indexOf('display(_w)')
    );
    expect(displayCode('push', { quick: true })).toContain(
      '_w = hub_widgets.PushPanel(**_kw)'
    );
    const plain = displayCode('push', { path: 'a.ipynb' });
    expect(plain).not.toContain('private');
    expect(plain).not.toContain('quick');
  });

  it('shows a translated, escaped error line instead of a traceback', () => {
    const code = displayCode(
      'login',
      {},
      {
        messages: {
          sidebarUnavailable: 'x',
          notAvailable: '<Nicht> "verfügbar":'
        }
      }
    );
    expect(code).toContain(`escape(${JSON.stringify('<Nicht> "verfügbar":')})`);
    expect(code).toContain("escape(type(_e).__name__ + ': ' + str(_e))");
  });
});

describe('abandoned kernel starts', () => {
  it('are the sidebar type under a UUID path', () => {
    const uuid = '78263f0c-9aa1-4f55-9a86-9d36496d916b';
    expect(
      isAbandonedStart({ path: uuid, type: 'hub-widgets' }, 'hub-widgets')
    ).toBe(true);
    expect(
      isAbandonedStart(
        { path: 'hub-widgets-sidebar', type: 'hub-widgets' },
        'hub-widgets'
      )
    ).toBe(false);
    // A notebook's or console's session is never touched.
    expect(
      isAbandonedStart({ path: uuid, type: 'console' }, 'hub-widgets')
    ).toBe(false);
    expect(
      isAbandonedStart(
        { path: `nb/${uuid}`, type: 'hub-widgets' },
        'hub-widgets'
      )
    ).toBe(false);
  });
});
