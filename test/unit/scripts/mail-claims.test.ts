import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { localClaims } from "../../../scripts/mail-claims.js";

describe("localClaims", () => {
  it("names host and process in the holder, unique per run", () => {
    const [one, other] = [localClaims(), localClaims()];
    expect(one.holder).toMatch(new RegExp(`^local:${hostname()}:${process.pid}:[0-9a-f-]{36}$`, "u"));
    expect(one.holder).not.toBe(other.holder);
  });

  it("calls a claim abandoned only when its process on this machine is gone", async () => {
    const { isAbandoned } = localClaims();
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid!;
    await new Promise((resolve) => child.on("exit", resolve));
    const uuid = "00000000-0000-4000-8000-000000000000";
    expect(isAbandoned!(`local:${hostname()}:${pid}:${uuid}`)).toBe(true);
    // This process (another run inside `tieuchi start`), another machine, the cloud: the lease decides.
    expect(isAbandoned!(`local:${hostname()}:${process.pid}:${uuid}`)).toBe(false);
    expect(isAbandoned!(`local:another-host:${pid}:${uuid}`)).toBe(false);
    expect(isAbandoned!("5f1c2d7e-cloud-instance")).toBe(false);
  });
});
