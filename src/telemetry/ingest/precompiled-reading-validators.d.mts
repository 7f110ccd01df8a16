import type { ValidatorRedirect } from '../../lib/config/precompiled-validators.mjs';

export declare const READING_SCHEMAS_FILE: string;
export declare const READING_AJV_OPTIONS: { allErrors: boolean; strict: boolean; strictRequired: boolean };
export declare function generateReadingValidatorModule(schemas?: Record<string, object>): string;
export declare const readingValidatorsRedirect: ValidatorRedirect;
