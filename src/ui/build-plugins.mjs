// esbuild plugins of the LuCI page build (scripts/build.mjs): po catalogues as objects, and
// ajv standalone validators of the section schemas, so pages validate without the ajv compiler.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `msgid "..."` / `msgstr "..."` pairs of a gettext po file (multi-line strings joined). */
export function parsePo(text) {
  const entries = {};
  let current = null;
  let msgid = null;
  const flush = () => { if (msgid !== null && current && current.msgstr) entries[msgid] = current.msgstr; };
  const unquote = (s) => JSON.parse(s);
  for (const line of text.split(/\r?\n/)) {
    const m = /^(msgid|msgstr)\s+(".*")\s*$/.exec(line);
    if (m) {
      if (m[1] === 'msgid') { flush(); msgid = unquote(m[2]); current = { msgstr: '' }; }
      else if (current) { current.msgstr = unquote(m[2]); current.field = 'msgstr'; }
      if (m[1] === 'msgid' && current) current.field = 'msgid';
      continue;
    }
    const cont = /^(".*")\s*$/.exec(line);
    if (cont && current) {
      if (current.field === 'msgid') msgid += unquote(cont[1]);
      else current.msgstr += unquote(cont[1]);
    }
  }
  flush();
  delete entries[''];
  return entries;
}

export function pagePlugins(root) {
  return [{
    name: 'smartgrid-pages',
    setup(build) {
      build.onLoad({ filter: /\.po$/ }, (args) => ({
        contents: `export default ${JSON.stringify(parsePo(readFileSync(args.path, 'utf8')))};`,
        loader: 'js',
      }));
      build.onResolve({ filter: /^smartgrid:validator\// }, (args) => ({ path: args.path.slice('smartgrid:validator/'.length), namespace: 'smartgrid-validator' }));
      build.onLoad({ filter: /.*/, namespace: 'smartgrid-validator' }, (args) => {
        const file = join(root, 'src', 'lib', 'config', 'schemas', `${args.path}.schema.json`);
        const schema = JSON.parse(readFileSync(file, 'utf8'));
        const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, code: { source: true, esm: true } });
        const validate = ajv.compile(schema);
        return { contents: standaloneCode(ajv, validate), loader: 'js', resolveDir: root, watchFiles: [file] };
      });
    },
  }];
}
