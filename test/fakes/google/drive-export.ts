/** files.export: a Google Docs Editors file as bytes of another type, at most 10 MB (as Drive documents). */
import { type FakeRequest, type FakeResponse, queryValue } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { accessFile } from "./drive-access.js";
import { googleAppsPrefix } from "./drive-model.js";
import { GoogleApiError, invalidArgument } from "./errors.js";

const MAX_EXPORT_BYTES = 10 * 1024 * 1024;

export function exportFile(drive: FakeDrive, id: string, request: FakeRequest): FakeResponse {
  // files.export takes no supportsAllDrives: a shared drive's Doc is exported like any other.
  const { file } = accessFile(drive, { identity: request.identity, supportsAllDrives: true }, id, "content");
  const mimeType = queryValue(request.query, "mimeType");
  if (!mimeType) throw invalidArgument("Required parameter: mimeType");
  if (!file.mimeType.startsWith(googleAppsPrefix)) throw new GoogleApiError(403, "Export only supports Docs Editors files.", { reason: "fileNotExportable" });
  const exported = drive.apps?.exportDocument?.(id, mimeType) ?? null;
  if (!exported) throw new GoogleApiError(400, "The requested conversion is not supported.", { reason: "badRequest", location: "convertTo" });
  if (exported.body.length > MAX_EXPORT_BYTES) throw new GoogleApiError(403, "This file is too large to be exported.", { reason: "exportSizeLimitExceeded" });
  return { status: 200, body: exported.body, headers: { "content-type": exported.contentType } };
}
