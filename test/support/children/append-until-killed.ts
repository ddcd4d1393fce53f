// A writer the crash test kills with SIGKILL: appends events one at a time and prints the
// revision of each append on stdout once the store has acknowledged it.
import { SqliteEventStore } from '@app/event-store';

async function run(file: string, count: number): Promise<void> {
  const store = new SqliteEventStore({ file });
  for (let index = 0; index < count; index++) {
    const { nextExpectedRevision } = await store.appendToStream(
      'crash-1',
      [{ type: 'Noted', data: { n: index } }],
      { expectedRevision: index === 0 ? 'no_stream' : BigInt(index - 1) },
    );
    process.stdout.write(`${nextExpectedRevision}\n`);
  }
  await store.close();
}

void run(process.argv[2]!, Number(process.argv[3]));
