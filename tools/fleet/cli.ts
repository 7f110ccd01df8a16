// smartgrid-fleet: OpenWISP templates for fleet managers.
//   smartgrid-fleet templates <dir>                  write the generated templates and variables.md
//   smartgrid-fleet check <template.json> [vars.json] check a template with per-site variables
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECTION_SCHEMAS } from '../../src/lib/config/schemas/index.js';
import { checkTemplate } from './check.js';
import { fleetTemplates } from './templates.js';
import { variablesMarkdown } from './variables-doc.js';

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
}

function writeTemplates(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const templates = fleetTemplates(SECTION_SCHEMAS);
  for (const [file, template] of templates) writeFileSync(join(dir, file), `${JSON.stringify(template, null, 2)}\n`);
  writeFileSync(join(dir, 'variables.md'), variablesMarkdown(SECTION_SCHEMAS));
  console.log(`wrote ${templates.size} OpenWISP templates and variables.md to ${dir}`);
  return 0;
}

function check(templateFile: string, varsFile?: string): number {
  const variables = varsFile ? readJson(varsFile) as Record<string, string> : {};
  const result = checkTemplate(readJson(templateFile), variables, SECTION_SCHEMAS);
  for (const message of result.messages) console.error(message);
  console.log(result.ok ? `${templateFile}: ok` : `${templateFile}: ${result.messages.length} problem(s)`);
  return result.ok ? 0 : 1;
}

export function main(argv: string[]): number {
  const [command, ...args] = argv;
  if (command === 'templates' && args.length === 1) return writeTemplates(args[0]!);
  if (command === 'check' && (args.length === 1 || args.length === 2)) return check(args[0]!, args[1]);
  console.error('usage: smartgrid-fleet templates <dir> | smartgrid-fleet check <template.json> [vars.json]');
  return 2;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(`smartgrid-fleet: ${(error as Error).message}`);
  process.exitCode = 2;
}
