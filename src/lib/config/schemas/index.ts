// Every section schema the project ships. Keep SECTION_SCHEMAS in sync with the
// `*.schema.json` files of this folder (a test checks it); docs/configuration.md is generated from them.
import type { SectionSchema } from '../schema-types.js';
import halow from './halow.schema.json';
import lte from './lte.schema.json';
import sep2 from './sep2.schema.json';
import telemetry from './telemetry.schema.json';
import thread from './thread.schema.json';

export const threadSchema = thread as SectionSchema;
export const halowSchema = halow as SectionSchema;
export const lteSchema = lte as SectionSchema;
export const telemetrySchema = telemetry as SectionSchema;
export const sep2Schema = sep2 as SectionSchema;

/** Section name (`telemetry`) -> schema. */
export const SECTION_SCHEMAS: Readonly<Record<string, SectionSchema>> = {
  thread: threadSchema,
  halow: halowSchema,
  lte: lteSchema,
  telemetry: telemetrySchema,
  sep2: sep2Schema,
};
