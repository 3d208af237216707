/** files.list: `q`, `orderBy`, `pageSize`/`pageToken`, and Drive's default field selection. */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, ok, queryInteger, queryValue } from "./common.js";
import type { FakeDrive, FakeDriveFile } from "./drive.js";
import { parseDriveQuery } from "./drive-query.js";
import { GoogleApiError } from "./errors.js";
import { selectResponse } from "./field-mask.js";

/** Without `fields`, Drive v3 returns only these; code that needs `version` must ask for it. */
const defaultListFields = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)";

export function listFiles(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const matches = parseDriveQuery(queryValue(request.query, "q"));
  const pageSize = queryInteger(request.query, "pageSize", 100);
  if (pageSize < 1 || pageSize > 1000) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "pageSize" });
  const files = [...drive.state.files.values()].filter(matches);
  files.sort(byOrder(queryValue(request.query, "orderBy")));
  const offset = pageOffset(queryValue(request.query, "pageToken"));
  const page = files.slice(offset, offset + pageSize);
  const body: drive_v3.Schema$FileList = { kind: "drive#fileList", incompleteSearch: false, files: page.map((file) => drive.toSchema(file)) };
  if (offset + pageSize < files.length) body.nextPageToken = Buffer.from(`offset:${offset + pageSize}`).toString("base64url");
  return ok(selectResponse(body, queryValue(request.query, "fields"), defaultListFields));
}

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"))?.[1];
  if (offset === undefined) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "pageToken" });
  return Number(offset);
}

const sortKeys: Record<string, (file: FakeDriveFile) => string> = {
  name: (file) => file.name,
  modifiedTime: (file) => file.modifiedTime,
  createdTime: (file) => file.createdTime,
};

/** Creation order unless `orderBy` names name/modifiedTime/createdTime (each optionally " desc"). */
function byOrder(orderBy: string | undefined): (a: FakeDriveFile, b: FakeDriveFile) => number {
  const keys = (orderBy ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "").map((part) => {
    const [field = "", direction] = part.split(/\s+/);
    const key = sortKeys[field];
    if (!key) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "orderBy" });
    return { key, sign: direction?.toLowerCase() === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const order = key(a).localeCompare(key(b));
      if (order !== 0) return order * sign;
    }
    return 0;
  };
}
