/**
 * Drive's lag behind the Sheets editor: Drive records a spreadsheet's edits in batches (about every 3 minutes),
 * so `version`, `modifiedTime`, the changes feed and push notifications all move once per burst, late.
 */

export interface PendingEdit {
  fileId: string;
  /** When the first edit of the burst was made: the burst is recorded at firstAt + lag. */
  firstAt: number;
  lastAt: number;
  /** Who made the last edit of the burst (Drive's lastModifyingUser). */
  by: string;
}

export class EditLag {
  private readonly pending = new Map<string, PendingEdit>();

  record(fileId: string, at: number, by: string): void {
    const burst = this.pending.get(fileId);
    if (burst) {
      burst.lastAt = Math.max(burst.lastAt, at);
      burst.by = by;
    } else {
      this.pending.set(fileId, { fileId, firstAt: at, lastAt: at, by });
    }
  }

  /** Removes and returns the bursts Drive has recorded by `now`, oldest first. */
  due(now: number, lagMs: number): PendingEdit[] {
    const due = [...this.pending.values()].filter((burst) => burst.firstAt + lagMs <= now).sort((a, b) => a.firstAt - b.firstAt);
    for (const burst of due) this.pending.delete(burst.fileId);
    return due;
  }
}
