/** `_()` like LuCI's: a lookup in the catalogue of the page language, the English text when missing. */

let catalogue: Record<string, string> = {};

export function setCatalogue(entries: Record<string, string>): void {
  catalogue = entries;
}

/** `_('Queue depth %d', 4)`: `%s`/`%d` are filled in order. */
export function _(text: string, ...args: unknown[]): string {
  const translated = catalogue[text] || text;
  let index = 0;
  return translated.replace(/%[sd]/g, () => String(args[index++] ?? ''));
}

/** LuCI writes the UI language into `<html lang>`; `?lang=` wins for the demo. */
export function pageLanguage(doc: Document = document): string {
  return (doc.documentElement.lang || 'en').toLowerCase().split(/[-_]/)[0]!;
}
