import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';

const root = resolve(__dirname, '../../../..');

describe('SqliteEventStore durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged append when the writer is killed with SIGKILL mid-stream', async () => {
    const file = join(dir, 'events.sqlite');
    const total = 1_000;
    const killAfter = 400;
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(root, 'test/support/register-ts.js'),
        join(root, 'test/support/children/append-until-killed.ts'),
        file,
        String(total),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let acknowledged = -1;
    let buffer = '';
    const exited = new Promise<NodeJS.Signals | null>((done) =>
      child.on('exit', (_code, signal) => done(signal)),
    );
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) acknowledged = Number(line);
      if (acknowledged >= killAfter) child.kill('SIGKILL');
    });

    expect(await exited).toBe('SIGKILL');
    expect(acknowledged).toBeGreaterThanOrEqual(killAfter);
    expect(acknowledged).toBeLessThan(total - 1);

    const reopened = new SqliteEventStore({ file });
    const events = await reopened.readStream('crash-1');
    await reopened.close();
    // Every acknowledged revision is there, in order; at most the append in flight may be too.
    expect(events.length).toBeGreaterThanOrEqual(acknowledged + 1);
    expect(events.map((event) => (event.data as { n: number }).n)).toEqual(events.map((_, index) => index));
  }, 60_000);
});
