// Writes precompressed siblings (file.br, file.gz) next to each compressible file in dist/,
// so the server can send them without compressing on every request.
import { readdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompress, gzip, constants } from 'node:zlib';
import { promisify } from 'node:util';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
const root = fileURLToPath(new URL('../dist/', import.meta.url));
const compressible = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.webmanifest']);
const minimumBytes = 256;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

let files = 0;
let before = 0;
let after = 0;
const jobs = [];
for await (const path of walk(root)) {
  if (!compressible.has(extname(path))) continue;
  if ((await stat(path)).size < minimumBytes) continue;
  jobs.push(
    (async () => {
      const body = await readFile(path);
      const [br, gzipped] = await Promise.all([
        brotli(body, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        }),
        gz(body, { level: 9 }),
      ]);
      await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gzipped)]);
      files += 1;
      before += body.length;
      after += br.length;
    })(),
  );
}
await Promise.all(jobs);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`compress: ${files} files, ${kib(before)} -> ${kib(after)} (brotli)`);
