/**
 * A child process for file-kv-processes.test.ts.
 * - `race DIR KEY ROUNDS START_AT`: increments one counter ROUNDS times by compare-and-set,
 *   starting at START_AT (ms epoch) so two children race; prints {"wins": [the version each
 *   successful put replaced], "conflicts": n}.
 * - `hold DIR KEY`: takes the key's lock, prints "held" and keeps it until killed.
 */
import { fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import { withFileLock } from "../../functions/adapters/local/file-lock.js";

const [mode, dir, key, rounds, startAt] = process.argv.slice(2);
const kv = fileKeyValueStore(dir!);

if (mode === "hold") {
  await withFileLock(kv.lockOf(key!), key!, async () => {
    process.stdout.write("held");
    await new Promise(() => undefined);
  });
} else {
  while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 1));
  const wins: Array<string | null> = [];
  let conflicts = 0;
  for (let round = 0; round < Number(rounds); round++) {
    for (;;) {
      const current = await kv.get<number>(key!);
      if ((await kv.put(key!, (current?.value ?? 0) + 1, current?.version ?? null)) !== null) {
        wins.push(current?.version ?? null);
        break;
      }
      conflicts++;
    }
  }
  process.stdout.write(JSON.stringify({ wins, conflicts }));
}
