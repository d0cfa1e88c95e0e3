import { browserTarget, itemKind } from '../menus';

describe('the file browser submenu', () => {
  it('tells notebooks, files and folders apart', () => {
    expect(itemKind({ path: 'a/b.ipynb', type: 'notebook' })).toBe('notebook');
    // Uploaded as a plain file, still a notebook by its name.
    expect(itemKind({ path: 'a/B.IPYNB', type: 'file' })).toBe('notebook');
    expect(itemKind({ path: 'a/model.safetensors', type: 'file' })).toBe(
      'file'
    );
    expect(itemKind({ path: 'a/run.ipynb', type: 'directory' })).toBe(
      'directory'
    );
    expect(itemKind(null)).toBe('none');
  });

  it('offers a notebook itself and its folder', () => {
    expect(
      browserTarget({ path: 'work/x.ipynb', type: 'notebook' }, 'work')
    ).toEqual({
      kind: 'notebook',
      notebook: 'work/x.ipynb',
      folder: 'work'
    });
  });

  it('offers no notebook push on a folder or a file', () => {
    expect(
      browserTarget({ path: 'work/model', type: 'directory' }, 'work')
    ).toEqual({
      kind: 'directory',
      notebook: null,
      folder: 'work/model'
    });
    expect(browserTarget({ path: 'work/w.bin', type: 'file' }, 'work')).toEqual(
      {
        kind: 'file',
        notebook: null,
        folder: 'work'
      }
    );
  });

  it('pushes the folder shown from the blank area', () => {
    expect(browserTarget(null, 'work/models')).toEqual({
      kind: 'none',
      notebook: null,
      folder: 'work/models'
    });
  });
});
