/**
 * `tieuchi doctor [DIR]`: checks a Google deployment's prerequisites with safe calls, as the
 * identity googleAuthFromEnv chooses, and prints each as ✓/✗ with what to do. Exit 0 only when
 * every check passed, 1 otherwise (2: the config cannot be read).
 */
import { activeWards, type Config } from "../functions/config.js";
import { localDate } from "../functions/core/period.js";
import type { Clock } from "../functions/ports.js";
import { doctorExitCode, formatDoctorReport, runDoctor } from "../functions/app/doctor.js";
import { GOOGLE_SCOPES, USER_SCOPES, createGoogleClients, googleAuthFromEnv } from "../functions/adapters/google/clients.js";
import { googleDoctorProbes } from "../functions/adapters/google/doctor-probes.js";
import type { CliContext, Io } from "./cli-io.js";

export interface DoctorOptions {
  /** The HTTP client for tokeninfo and the webhook (tests inject one). */
  fetch?: typeof fetch;
  /** How retries wait (tests pass a manual clock's sleep). */
  sleep?: (ms: number) => Promise<void>;
}

const setting = (value: string | null | undefined): string | null => value?.trim() || null;

export async function commandDoctor(config: Config, ctx: CliContext, io: Io, clock: Clock, options: DoctorOptions = {}): Promise<number> {
  const setup = googleAuthFromEnv(ctx.env);
  const root = setup.rootUrl ? { rootUrl: setup.rootUrl } : {};
  const clients = createGoogleClients({ auth: setup.google, ...root, timeoutMs: 15_000 });
  const probes = googleDoctorProbes({ clients, auth: setup.google, stateAuth: setup.state as never, ...root, ...(options.fetch ? { fetch: options.fetch } : {}), ...(options.sleep ? { sleep: options.sleep } : {}) });
  const checks = await runDoctor(probes, {
    wardsFolderId: setting(config.google?.wardsFolderId),
    stateBucket: setting(ctx.env.TIEUCHI_STATE_BUCKET),
    webhookUrl: setting(config.google?.webhookUrl),
    channelToken: setting(ctx.env.TIEUCHI_CHANNEL_TOKEN),
    wardCount: activeWards(config.wards, localDate(clock.now())).length,
    requiredScopes: { serviceAccount: GOOGLE_SCOPES, user: USER_SCOPES },
  });
  io.out("Kiểm tra các điều kiện để chạy tieuchi trên Google:");
  io.out(formatDoctorReport(checks));
  return doctorExitCode(checks);
}
