import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '../local/embedded/dynalite.ts';

/** dynalite in its own process (so a measurement's memory is the run's only), with the table created; on disk when given a path. */
export async function startDynaliteProcess(table: string, path?: string): Promise<{ endpoint: string; child: ChildProcess }> {
  const port = await freePort();
  const args = [resolve('node_modules/dynalite/cli.js'), '--port', String(port), '--createTableMs', '0', ...(path ? ['--path', path] : [])];
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  for (let i = 0; ; i++) {
    try { await createTable(client, table); break; } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  client.destroy();
  return { endpoint, child };
}

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => ok(p)); });
  });
}
