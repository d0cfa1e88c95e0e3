import * as fs from "fs";
import * as path from "path";

/** The translations of one language's catalog (`msgid` → first `msgstr`), read from the .po file. */
export function catalog(language: string): Map<string, string> {
  const file = path.resolve(
    __dirname,
    "..",
    "..",
    "hub_widgets",
    "locale",
    language,
    "LC_MESSAGES",
    "hub_widgets.po",
  );
  const entries = new Map<string, string>();
  let field = "";
  let context = "";
  let id = "";
  let str = "";
  const unquote = (text: string): string =>
    JSON.parse(text.replace(/\\'/g, "'"));
  const flush = (): void => {
    if (id && str) {
      // A message with a msgctxt is keyed as gettext keys it, "context\x04msgid".
      entries.set(context ? `${context}\x04${id}` : id, str);
    }
    id = str = field = context = "";
  };
  for (const raw of fs.readFileSync(file, "utf8").split("\n")) {
    const line = raw.trim();
    if (line.startsWith("msgctxt ")) {
      flush();
      context = unquote(line.slice(8));
    } else if (line.startsWith("msgid ")) {
      if (!context) {
        flush();
      }
      field = "id";
      id = unquote(line.slice(6));
    } else if (line.startsWith("msgid_plural ")) {
      field = "plural";
    } else if (line.startsWith("msgstr ") || line.startsWith("msgstr[0] ")) {
      field = "str";
      str = unquote(line.slice(line.indexOf(" ") + 1));
    } else if (line.startsWith("msgstr[")) {
      field = "other";
    } else if (line.startsWith('"')) {
      if (field === "id") {
        id += unquote(line);
      } else if (field === "str") {
        str += unquote(line);
      }
    } else if (line === "") {
      flush();
    }
  }
  flush();
  return entries;
}
