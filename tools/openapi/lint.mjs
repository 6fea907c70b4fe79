#!/usr/bin/env node
// Lints an OpenAPI document with Redocly CLI (the `recommended` ruleset, see redocly.yaml).
// Usage: node lint.mjs [openapi.yaml]   (default: ../../docs/openapi.yaml)
// Exits with Redocly's status. Runs offline: telemetry and update notices are switched off.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const document = path.resolve(process.argv[2] ?? path.join(here, '../../docs/openapi.yaml'));
const redocly = path.join(here, 'node_modules', '.bin', 'redocly');
const config = path.join(here, 'redocly.yaml');

if (!existsSync(document)) {
  console.error(`lint: no such file: ${document}`);
  process.exit(2);
}
if (!existsSync(redocly)) {
  console.error(`lint: ${redocly} is missing; run \`npm ci\` in ${here} first`);
  process.exit(2);
}

// Both output streams go to one file so the report keeps its order.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'openapi-lint-'));
const logPath = path.join(scratch, 'report.txt');
const log = openSync(logPath, 'w');
const result = spawnSync(redocly, ['lint', '--config', config, '--format', 'stylish', document], {
  stdio: ['ignore', log, log],
  env: {
    ...process.env,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
    NO_UPDATE_NOTIFIER: '1',
  },
});
closeSync(log);
const report = readFileSync(logPath, 'utf8')
  // The boxed notice about the Node.js version says nothing about the document.
  .replace(/^[ \t]*╔[^]*?Node\.js \d+ support is ending[^]*?╚[^\n]*\n/m, '')
  .replace(/^\s*\n/, '')
  .replace(/\n\s*$/, '\n');
rmSync(scratch, { recursive: true, force: true });
process.stdout.write(report);

if (result.error) {
  console.error(`lint: cannot run ${redocly}: ${result.error.message}`);
  process.exit(2);
}
process.exit(result.status ?? 1);
