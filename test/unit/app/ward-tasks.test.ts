import { describe, expect, it } from "vitest";
import { enqueueWards, parseWardTask, type WardTaskQueue, wardTaskId } from "../../../functions/app/ward-tasks.js";

const base = { wardId: "nghi-thu", version: "42", modifiedTime: "2026-12-01T01:02:03.000Z", seenAt: "2026-12-01T01:05:00.000Z" };

describe("ward task ids", () => {
  it("are the same for the same change and differ for another version or ward", () => {
    expect(wardTaskId(base)).toBe(wardTaskId({ ...base, seenAt: "2026-12-01T02:00:00.000Z" }));
    expect(wardTaskId(base)).not.toBe(wardTaskId({ ...base, version: "43" }));
    expect(wardTaskId(base)).not.toBe(wardTaskId({ ...base, wardId: "nghi-tan" }));
    expect(wardTaskId(base)).toMatch(/^[0-9a-f]{8}-nghi-thu-v42$/);
  });

  it("fall back to the modified time, then to when the change was seen, and keep to Cloud Tasks' alphabet", () => {
    expect(wardTaskId({ ...base, version: null })).toMatch(/-nghi-thu-m1796086923000$/);
    expect(wardTaskId({ ...base, version: null, modifiedTime: null })).toMatch(/-nghi-thu-s1796087100000$/);
    expect(wardTaskId({ ...base, wardId: "phường/ấp 1" })).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
    expect(wardTaskId({ ...base, wardId: "a/b" })).not.toBe(wardTaskId({ ...base, wardId: "a_b" })); // the hash tells them apart
  });
});

describe("parseWardTask", () => {
  it("takes a task body and refuses anything else", () => {
    expect(parseWardTask(base)).toEqual(base);
    expect(parseWardTask({ ...base, version: null, modifiedTime: null })).toEqual({ ...base, version: null, modifiedTime: null });
    for (const bad of [null, "x", {}, { ...base, wardId: "" }, { ...base, version: 42 }, { ...base, seenAt: undefined }]) expect(parseWardTask(bad)).toBeNull();
  });
});

describe("enqueueWards", () => {
  it("reserves one block for the batch: changes first, re-checks counted apart and given the slots after them", async () => {
    const reserved: Array<[number, number | undefined]> = [];
    const created = new Map<string, number | undefined>();
    const queue: WardTaskQueue = {
      reserveSlots: async (count, rechecks) => (reserved.push([count, rechecks]), Array.from({ length: count + (rechecks ?? 0) }, (_, i) => 100 + i)),
      enqueue: async (task, notBefore) => (created.has(task.wardId) ? "duplicate" : (created.set(task.wardId, notBefore), "queued")),
    };
    const file = { version: "3", modifiedTime: base.modifiedTime };
    const wards = [{ wardId: "a", file, recheck: true }, { wardId: "b", file }, { wardId: "c", file, recheck: true }, { wardId: "d", file: null }];
    const done = await enqueueWards(queue, wards, base.seenAt);
    expect(reserved).toEqual([[2, 2]]);
    expect(Object.fromEntries(created)).toEqual({ b: 100, d: 101, a: 102, c: 103 });
    expect(done.queued.sort()).toEqual(["a", "b", "c", "d"]);
  });
});
