/**
 * The local runtime's state: the same app code as the cloud (kvStateStore, kvLedger) over the
 * workspace's file store `.tieuchi/kv/`, after importing once what a previous release left in
 * `.tieuchi/ledger.json` and `.tieuchi/snapshots/`.
 */
import { kvLedger, kvStateStore, snapshotKey } from "../functions/app/kv-state.js";
import { fileKeyValueStore } from "../functions/adapters/local/file-kv.js";
import { dryRunKeyValueStore } from "../functions/adapters/local/dry-run-kv.js";
import { importLegacyState } from "../functions/adapters/local/legacy-state.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock, KeyValueStore, Ledger, StateStore } from "../functions/ports.js";

export interface LocalState {
  kv: KeyValueStore;
  state: StateStore;
  ledger: Ledger;
}

/**
 * Open the workspace's state; `warn` gets one Vietnamese line per damaged file set aside.
 * `readOnly` (for --dry-run): everything reads as usual, every write stays in memory.
 */
export async function openLocalState(dir: string, clock: Clock, warn: (line: string) => void, options: { readOnly?: boolean } = {}): Promise<LocalState> {
  const paths = workspacePaths(dir);
  const files = fileKeyValueStore(paths.kv);
  const kv = options.readOnly ? dryRunKeyValueStore(files) : files;
  const ledger = kvLedger(kv);
  await importLegacyState(
    paths.state,
    {
      // An entry already in the new ledger is newer than the old file's: left alone.
      sent: async (key, entry) => {
        await ledger.update(key, (current) => (current === null ? { status: "sent", ...entry } : null));
      },
      snapshot: async (period, snapshot) => {
        await kv.put(snapshotKey(period), snapshot, null);
      },
    },
    warn,
    options,
  );
  return { kv, ledger, state: kvStateStore(kv, { warn, clock }) };
}
