// Starts a welfare server on a fresh database for the browser tests, and always stops it.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, access, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createWriteStream } from 'node:fs';

const run = promisify(execFile);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function lastJsonLine(text) {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('{'));
  for (const line of lines.reverse()) {
    try {
      return JSON.parse(line);
    } catch {
      // not this line
    }
  }
  throw new Error(`no JSON in output:\n${text}`);
}

async function waitForBinary(bin, seconds) {
  for (let i = 0; i < seconds; i += 1) {
    try {
      await access(bin);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  throw new Error(`server binary not found: ${bin} (set WELFARE_BIN)`);
}

export async function startServer({ bin, webRoot, logFile }) {
  await waitForBinary(bin, 120);
  const dir = await mkdtemp(join(tmpdir(), 'openwelfare-e2e-'));
  const database = `sqlite://${join(dir, 'welfare.db')}`;
  const keyFile = join(dir, 'secret.key');
  const common = ['--database', database, '--secret-key-file', keyFile];
  const options = { maxBuffer: 16 * 1024 * 1024, timeout: 180_000 };
  let seeded;
  try {
    seeded = await run(bin, ['seed-demo', ...common, '--json'], options);
  } catch (error) {
    if (!/migrat/i.test(`${error.stderr}${error.stdout}`)) throw error;
    await run(bin, ['migrate', ...common], options);
    seeded = await run(bin, ['seed-demo', ...common, '--json'], options);
  }
  const demo = lastJsonLine(seeded.stdout);
  const port = await freePort();
  const log = createWriteStream(logFile);
  const child = spawn(
    bin,
    ['serve', ...common, '--listen', '127.0.0.1', '--port', String(port), '--web-root', webRoot, '--migrate', '--threads', '4'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server not ready after 120 s; see ${logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  /** Stops the server with SIGTERM (SIGKILL after 30 s) and removes the temporary directory. */
  const stop = async () => {
    let report = 'server had already exited';
    if (!exited) {
      const asked = Date.now();
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        new Promise((resolve) => child.once('exit', () => resolve(true))),
        new Promise((resolve) => setTimeout(() => resolve(false), 30_000).unref()),
      ]);
      if (!stopped && !exited) {
        child.kill('SIGKILL');
        report = 'server did not stop within 30 s of SIGTERM: killed';
      } else {
        report = `server stopped ${((Date.now() - asked) / 1000).toFixed(1)} s after SIGTERM (${JSON.stringify(exited)})`;
      }
    }
    await new Promise((resolve) => log.end(resolve));
    await rm(dir, { recursive: true, force: true });
    return report;
  };
  await writeFile(join(dir, 'accounts.json'), JSON.stringify(demo));
  return { baseUrl, accounts: demo.accounts, stop, child };
}
