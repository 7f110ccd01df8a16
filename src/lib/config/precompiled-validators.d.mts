import type { Plugin } from 'esbuild';
import type { SectionSchema } from './schema-types.js';

export declare const SCHEMAS_DIR: string;
export declare const AJV_OPTIONS: { allErrors: boolean; useDefaults: boolean; strict: boolean };
export declare function readSectionSchemas(dir?: string): Record<string, SectionSchema>;
export declare function generateValidatorModule(schemas?: Record<string, SectionSchema>): string;
/** A runtime-compiling module swapped for generated code (see precompiledValidatorsPlugin). */
export interface ValidatorRedirect { module: string; generate(): string; watchFiles?: string[] }
export declare function pickSections(schemas: Record<string, SectionSchema>, sections?: readonly string[]): Record<string, SectionSchema>;
export declare function precompiledValidatorsPlugin(options?: { outFile?: string; redirects?: ValidatorRedirect[]; sections?: readonly string[] }): Plugin;
