/**
 * What the file browser's "Hugging Face" submenu offers for the item under the pointer.
 *
 * No JupyterLab imports here, so Jest can test it without a browser.
 */
import { dirname } from './kernelcode';

/** The item a context menu was opened on: a listing entry, or the listing's blank area. */
export type BrowserItemKind = 'notebook' | 'file' | 'directory' | 'none';

/** A file browser entry as the menu needs it (a subset of a contents model). */
export interface IBrowserItem {
  path: string;
  type: string;
}

/** The push entries a submenu shows, and the paths they act on. */
export interface IBrowserTarget {
  kind: BrowserItemKind;
  /** The notebook "Push this notebook" pushes, or null (no such entry). */
  notebook: string | null;
  /** The folder "Push this folder" / "Push this file's folder" pushes. */
  folder: string;
}

/**
 * The kind of a browser entry: its contents type, with notebooks told apart by name too (a
 * listing can show an .ipynb as a plain file when it was uploaded as one).
 */
export function itemKind(item: IBrowserItem | null): BrowserItemKind {
  if (!item) {
    return 'none';
  }
  if (item.type === 'directory') {
    return 'directory';
  }
  if (item.type === 'notebook' || /\.ipynb$/i.test(item.path)) {
    return 'notebook';
  }
  return 'file';
}

/**
 * What applies to the item: a notebook pushes itself or its folder, any other file its folder, a
 * folder itself, and the blank area the folder the browser shows.
 *
 * Args:
 *   item: The entry right-clicked, or null for the blank area.
 *   cwd: The folder the file browser shows.
 */
export function browserTarget(
  item: IBrowserItem | null,
  cwd: string
): IBrowserTarget {
  const kind = itemKind(item);
  switch (kind) {
    case 'notebook':
      return { kind, notebook: item!.path, folder: dirname(item!.path) };
    case 'file':
      return { kind, notebook: null, folder: dirname(item!.path) };
    case 'directory':
      return { kind, notebook: null, folder: item!.path };
    default:
      return { kind, notebook: null, folder: cwd };
  }
}
