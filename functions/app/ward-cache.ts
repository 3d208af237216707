/**
 * Evaluations remembered across runs (the local runtime's parse cache): a ward whose workbook
 * is unchanged since its run was remembered is neither read, evaluated nor fed back again.
 */
import type { WardConfig } from "../config.js";
import type { WardRun } from "./run-town.js";

export interface WardCache {
  /**
   * The run remembered for the ward's workbook as it is now (same content, catalogues, ward
   * and code), whose feedback is still in place; null when there is none.
   */
  recall(ward: WardConfig): Promise<WardRun | null>;
  /** Remember the run just made from the workbook as read by this run (its feedback written). */
  remember(ward: WardConfig, run: WardRun): Promise<void>;
  /** The run's wards are all recalled or remembered: store what it remembered (until then it may be kept in memory only). */
  settle?(): Promise<void>;
}
