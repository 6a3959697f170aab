import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * A headless Chromium for the browser tests, with nothing installed by hand: CHROMIUM_PATH or a
 * system Chromium when the machine has one, otherwise the binary shipped inside the
 * `@sparticuz/chromium` registry package (unpacked into the temporary directory on first use).
 */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

// Flags that keep a headless browser off this machine's closed network and out of the sandbox
// a container lacks.
const QUIET = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  const system = process.env.CHROMIUM_PATH ?? SYSTEM_CHROMIUM.find((path) => existsSync(path));
  if (system) return chromium.launch({ executablePath: system, headless: true, args: QUIET });
  const { default: packaged } = await import('@sparticuz/chromium');
  return chromium.launch({
    executablePath: await packaged.executablePath(),
    headless: true,
    args: [...new Set([...packaged.args, ...QUIET])],
  });
}
