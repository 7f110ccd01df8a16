/** `*.po` catalogues are turned into `{msgid: msgstr}` objects by the page build (scripts/build.mjs). */
declare module '*.po' {
  const entries: Record<string, string>;
  export default entries;
}

/** The ajv standalone validator of one section schema (`smartgrid:validator/telemetry`). */
declare module 'smartgrid:validator/*' {
  import type { ValidateFunction } from 'ajv';
  const validate: ValidateFunction;
  export default validate;
}
