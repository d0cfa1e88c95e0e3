import {
  dirname,
  displayCode,
  isNotebookPath,
  kernelPath,
  pyString,
  setCurrentPathCode,
  widgetExpression
} from '../src/kernelcode';

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
    expect(widgetExpression('browser', { repoId: 'alice/m', repoType: 'dataset' })).toBe(
      'hub_widgets.RepoBrowser(repo_id="alice/m", repo_type="dataset")'
    );
    expect(widgetExpression('browser')).toBe('hub_widgets.RepoBrowser()');
    expect(widgetExpression('playground', { repoId: 'alice/m' })).toBe(
      'hub_widgets.InferencePlayground(model="alice/m")'
    );
    expect(widgetExpression('playground')).toBe('hub_widgets.InferencePlayground()');
  });

  it('keeps the sidebar in a kernel variable so a reload shows the same widget', () => {
    const code = displayCode('sidebar');
    expect(code).toContain('globals().get("_hub_widgets_sidebar") is None');
    expect(code).toContain('display(globals()["_hub_widgets_sidebar"])');
  });

  it('tells the sidebar the current path, or None', () => {
    expect(setCurrentPathCode("it's.ipynb")).toContain('set_current_path("it\'s.ipynb")');
    expect(setCurrentPathCode(null)).toContain('set_current_path(None)');
  });
});
