/**
 * `_()` of the pages: LuCI's own `_()` (window._, fed by the catalogues of the installed
 * `luci-i18n-smartgrid-<lang>` packages), so the bundles carry no catalogue and a new language is a
 * new po file and package. `setCatalogue` stands in where no LuCI runtime is (unit tests, benches).
 */

let catalogue: Record<string, string> = {};

export function setCatalogue(entries: Record<string, string>): void {
  catalogue = entries;
}

declare global {
  interface Window {
    _?: (text: string) => string;
  }
}

function translate(text: string): string {
  const luci = typeof window === 'undefined' ? undefined : window._;
  return (luci ? luci(text) : catalogue[text]) || text;
}

/** `_('Queue depth %d', 4)`: `%s`/`%d` are filled in order. */
export function _(text: string, ...args: unknown[]): string {
  let index = 0;
  return translate(text).replace(/%[sd]/g, () => String(args[index++] ?? ''));
}

/** LuCI writes the UI language into `<html lang>`; `?lang=` wins for the demo. */
export function pageLanguage(doc: Document = document): string {
  return (doc.documentElement.lang || 'en').toLowerCase().split(/[-_]/)[0]!;
}
