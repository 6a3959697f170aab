import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The core is pure: it imports only the core and a few pure libraries, never AWS, never I/O. What
 * renders (HTML, Markdown, PDF), reads or writes lives outside and imports the core, never the
 * other way round.
 */

const CORE = resolve(dirname(fileURLToPath(import.meta.url)), '../../functions/core');

/** Packages the core may use: validation and CSV text, nothing that reaches outside the process. */
const ALLOWED_PACKAGES = ['zod', 'csv-parse/sync', 'csv-stringify/sync'];

/** Node's modules that read or write (files, network, processes, the clock's timers aside). */
const NODE_IO = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'child_process', 'cluster', 'worker_threads', 'readline', 'repl', 'inspector', 'os', 'process', 'module', 'vm'];

function coreFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? coreFiles(join(dir, e.name)) : /\.[cm]?tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Every module a source names: static imports, re-exports, dynamic `import()` and `require`. */
function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/** Why a core file's import breaks the layering, or null when it does not. */
function problem(file: string, spec: string): string | null {
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = resolve(dirname(file), spec);
    return target === CORE || target.startsWith(CORE + sep) ? null : `leaves functions/core (${relative(CORE, target)})`;
  }
  const bare = spec.replace(/^node:/, '');
  if (NODE_IO.includes(bare) || NODE_IO.includes(bare.split('/')[0]!)) return 'is Node I/O';
  if (/^(@aws-sdk\/|@aws-lambda-powertools\/|aws-)/.test(spec)) return 'is AWS';
  return ALLOWED_PACKAGES.includes(spec) ? null : 'is not among the pure packages the core may use';
}

describe('layers', () => {
  const files = coreFiles(CORE);

  it('finds the core', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('the core imports only the core and pure libraries: no renderer, no AWS, no I/O', () => {
    const problems = files.flatMap((file) => importsOf(readFileSync(file, 'utf8')).flatMap((spec) => {
      const why = problem(file, spec);
      return why ? [`${relative(CORE, file)}: '${spec}' ${why}`] : [];
    }));
    expect(problems).toEqual([]);
  });

  it('the check itself catches what it is for', () => {
    const file = join(CORE, 'example.ts');
    expect(problem(file, '../inbox/html.ts')).toMatch(/leaves functions\/core/);
    expect(problem(file, '../core-extra/x.ts')).toMatch(/leaves functions\/core/);
    expect(problem(file, '@aws-sdk/client-dynamodb')).toBe('is AWS');
    expect(problem(file, 'node:fs')).toBe('is Node I/O');
    expect(problem(file, 'fs/promises')).toBe('is Node I/O');
    expect(problem(file, 'node:http')).toBe('is Node I/O');
    expect(problem(file, './ledger.ts')).toBeNull();
    expect(problem(file, 'zod')).toBeNull();
    expect(problem(file, 'node:crypto')).toMatch(/not among/);
    expect(importsOf("import a from './a.ts';\nexport { b } from '../b.ts';\nconst c = await import('node:fs');\nimport type { D } from '@aws-sdk/x';"))
      .toEqual(['./a.ts', '../b.ts', 'node:fs', '@aws-sdk/x']);
  });
});
