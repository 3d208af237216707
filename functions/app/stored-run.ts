/**
 * A closed period's town run, rebuilt from the snapshot stored while the period ran: its
 * figures are never computed again from today's workbooks, so a report issued again for an
 * old period shows what it showed then.
 */
import { periodLabel } from "../core/vi-format.js";
import type { Config, WardConfig } from "../config.js";
import { PeriodError } from "../errors.js";
import type { StateStore, StoredSnapshot } from "../ports.js";
import type { TownRun } from "./run-town.js";

/** A ward of the snapshot as configured now, or by its stored name when the config no longer lists it. */
function wardOf(config: Config, id: string, name: string): WardConfig {
  return config.wards.find((w) => w.id === id) ?? { id, name, aliases: [], contacts: [] };
}

/** The snapshot of `period`, or a PeriodError saying why the period cannot be re-rendered. */
async function storedSnapshotOf(period: string, state: Pick<StateStore, "listSnapshots">): Promise<StoredSnapshot & Required<Pick<StoredSnapshot, "detail">>> {
  const label = periodLabel(period);
  const snapshot = (await state.listSnapshots()).find((s) => s.period === period);
  if (!snapshot) {
    throw new PeriodError(`Không có số liệu đã lưu của ${label}: báo cáo của kỳ đã kết thúc chỉ được dựng lại từ số liệu lưu trong kỳ đó, không tính lại từ các bảng tự đánh giá hiện nay.`);
  }
  if (!snapshot.detail) {
    throw new PeriodError(`Số liệu đã lưu của ${label} là bản lưu cũ, chỉ có số tiêu chí đạt của từng phường, không đủ để dựng lại báo cáo (số liệu của kỳ này vẫn được giữ nguyên trong lịch sử).`);
  }
  return { ...snapshot, detail: snapshot.detail };
}

/** The town run of a closed period as stored, and when it was computed. */
export async function storedRunOf(config: Config, period: string, state: Pick<StateStore, "listSnapshots">): Promise<{ run: TownRun; generatedAt: Date }> {
  const { detail, generatedAt } = await storedSnapshotOf(period, state);
  const wards = detail.wards.map((w) => ({ ward: wardOf(config, w.id, w.outcome.ward.name), outcome: w.outcome, findings: w.findings }));
  return { run: { summary: detail.summary, wards }, generatedAt: new Date(generatedAt) };
}
