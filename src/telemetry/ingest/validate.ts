import Ajv, { type ValidateFunction } from 'ajv';

/** The wire shape of one reading as DCUs publish it (before OBIS normalisation). */
export interface RawReading {
  ts: number | string;
  meter?: string;
  seq?: number;
  values?: Record<string, number | boolean | string>;
  obis?: Record<string, number | boolean | string>;
}

const VALUE = { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'string', maxLength: 256 }] };

export const READING_SCHEMA = {
  type: 'object',
  required: ['ts'],
  anyOf: [{ required: ['values'] }, { required: ['obis'] }],
  additionalProperties: false,
  properties: {
    ts: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', maxLength: 40 }] },
    meter: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[^/#+\\s]+$' },
    seq: { type: 'integer', minimum: 0 },
    values: { type: 'object', minProperties: 1, maxProperties: 256, propertyNames: { maxLength: 64, pattern: '^[A-Za-z0-9_.:*-]+$' }, additionalProperties: VALUE },
    obis: { type: 'object', minProperties: 1, maxProperties: 256, propertyNames: { maxLength: 32 }, additionalProperties: VALUE },
  },
} as const;

/** A payload is one reading, an array of readings, or `{readings:[...]}`. */
export const ENVELOPE_SCHEMA = {
  anyOf: [
    { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'object' } },
    { type: 'object', required: ['readings'], additionalProperties: false, properties: { readings: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'object' } } } },
    { type: 'object', required: ['ts'], properties: { ts: {} } },
  ],
} as const;

export interface Validators {
  envelope: ValidateFunction;
  reading: ValidateFunction<RawReading>;
}

let compiled: Validators | undefined;

/** Compiled once per process; ajv's compile is the expensive part. */
export function validators(): Validators {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
    compiled = { envelope: ajv.compile(ENVELOPE_SCHEMA), reading: ajv.compile<RawReading>(READING_SCHEMA) };
  }
  return compiled;
}

export function describeErrors(validate: ValidateFunction): string {
  const error = validate.errors?.[0];
  if (!error) return 'invalid';
  const where = error.instancePath || '(root)';
  const extra = error.keyword === 'additionalProperties' ? ` '${String((error.params as { additionalProperty?: string }).additionalProperty)}'` : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}
