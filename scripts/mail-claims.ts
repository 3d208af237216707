/**
 * Claims of a local run: the holder names this machine and process, so a later run on the
 * same machine can tell that a claim's holder was killed and take its messages over at once
 * instead of waiting for the lease to run out.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ClaimSettings } from "../functions/app/send-mail.js";

const HOLDER = /^local:(.+):(\d+):[0-9a-f-]+$/u;

/** True when `pid` names no running process here (EPERM: it runs, as someone else). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Claim settings for one local run: "local:<host>:<pid>:<random>". */
export function localClaims(): Pick<ClaimSettings, "holder" | "isAbandoned"> {
  const host = hostname();
  return {
    holder: `local:${host}:${process.pid}:${randomUUID()}`,
    isAbandoned: (holder) => {
      const match = HOLDER.exec(holder);
      // Another machine, the cloud, or this very process (another run inside `tieuchi start`): the lease decides.
      if (!match || match[1] !== host || Number(match[2]) === process.pid) return false;
      return isGone(Number(match[2]));
    },
  };
}
