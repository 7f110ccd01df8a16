// Reads vitest's JSON report and prints the closing line CI looks for: "N passed, N failed".
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2] ?? 'build/test-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`test report ${file} unreadable: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A suite that failed to load counts as a failure even though it ran no test.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length;
const failed = (report.numFailedTests ?? 0) + failedSuites;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const suite of report.testResults ?? []) {
  for (const test of suite.assertionResults ?? []) {
    if (test.status === 'failed') console.log(`FAILED: ${suite.name.replace(process.cwd() + '/', '')} > ${test.fullName}`);
  }
  if (suite.status === 'failed' && !(suite.assertionResults ?? []).length) console.log(`FAILED TO LOAD: ${suite.name}: ${suite.message ?? ''}`);
}
const line = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync('build/test-summary.txt', `${line}\n`);
console.log(line);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
