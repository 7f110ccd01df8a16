import type { Plugin } from 'esbuild';
import type { SectionSchema } from './schema-types.js';

export declare const SCHEMAS_DIR: string;
export declare const AJV_OPTIONS: { allErrors: boolean; useDefaults: boolean; strict: boolean };
export declare function readSectionSchemas(dir?: string): Record<string, SectionSchema>;
export declare function generateValidatorModule(schemas?: Record<string, SectionSchema>): string;
export declare function precompiledValidatorsPlugin(options?: { outFile?: string }): Plugin;
