// Loads the console's TypeScript (and TSX) sources in Node tests. Node 20 cannot import TypeScript, so the
// entry is bundled with esbuild (installed with vite) in memory and imported from the bundle's text.
import { buildSync } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const web = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Imports a TypeScript module. `withPackages: false` (the default) bundles everything it imports and imports
 * the result from a data: URL; `true` leaves npm packages (react, @mantine/core, …) to Node, so the bundle is
 * written to a temporary file under node_modules/.tmp, from where those packages resolve, and removed again.
 */
export async function importTypeScript(relativePath, { withPackages = false } = {}) {
  const entry = join(web, relativePath);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    write: false,
    logLevel: 'silent',
    ...(withPackages ? { packages: 'external' } : {}),
  });
  const code = result.outputFiles[0].text;
  if (!withPackages) return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  const dir = join(web, 'node_modules', '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `test-${basename(entry).replace(/\W/g, '_')}-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(file, code);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(file, { force: true });
  }
}

/** The shipped form definitions (config/forms/*.json at the top of the repository), by code. */
export async function shippedForms() {
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = join(web, '..', 'config', 'forms');
  const forms = {};
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    const form = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    forms[form.code] = form;
  }
  return forms;
}
