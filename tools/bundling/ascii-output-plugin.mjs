// esbuild's `charset: 'ascii'` leaves non-ASCII characters inside regular-expression literals as they
// are (the `coap` library's dependency `capitalize` has /['"`’]/), and one such character makes V8 keep
// the whole bundle source as a two-byte string: twice its size in every service's heap. This plugin
// escapes what is left after the build, as \uXXXX (valid, with the same meaning, in strings, template
// literals, regular expressions with or without the u flag, and identifiers).

/** Every character outside ASCII as a \uXXXX escape (astral ones as their two surrogates). */
export function escapeNonAscii(text) {
  return text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function asciiOutputPlugin() {
  return {
    name: 'smartgrid-ascii-output',
    setup(build) {
      build.onEnd(async (result) => {
        const { outfile, write } = build.initialOptions;
        if (result.errors.length || !outfile || write === false) return;
        const { readFile, writeFile } = await import('node:fs/promises');
        const text = await readFile(outfile, 'utf8');
        const escaped = escapeNonAscii(text);
        if (escaped !== text) await writeFile(outfile, escaped);
      });
    },
  };
}
