/** The fake Cloud Storage JSON API: objects get (metadata or alt=media), insert (media/multipart), delete, list; generation preconditions. */
import { createHash } from "node:crypto";
import { type FakeRequest, type FakeResponse, type Ticker, decodeSegment, noContent, ok, parseMultipart, queryInteger, queryValue } from "./common.js";
import { GoogleApiError, invalidArgument, notFound } from "./errors.js";
import type { FakeQuotas } from "./quota.js";

export interface StoredObject {
  name: string;
  data: Buffer;
  /** A decimal integer, unique and increasing across every write. */
  generation: string;
  metageneration: string;
  contentType: string;
  timeCreated: string;
  updated: string;
}

/** The JSON API's object resource (the subset the fake fills). */
export interface StorageObjectResource {
  kind: "storage#object";
  id: string;
  selfLink: string;
  mediaLink: string;
  name: string;
  bucket: string;
  generation: string;
  metageneration: string;
  contentType: string;
  storageClass: string;
  size: string;
  md5Hash: string;
  etag: string;
  timeCreated: string;
  updated: string;
}

export interface StorageObjectList {
  kind: "storage#objects";
  items?: StorageObjectResource[];
  prefixes?: string[];
  nextPageToken?: string;
}

export class FakeStorage {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();
  private lastGeneration = 0;

  constructor(
    private readonly ticker: Ticker,
    private readonly quotas: FakeQuotas,
  ) {}

  get(bucket: string, name: string): { data: Buffer; generation: string; contentType: string } | undefined {
    const object = this.bucket(bucket).get(name);
    return object && { data: Buffer.from(object.data), generation: object.generation, contentType: object.contentType };
  }

  /** Object names in the bucket, sorted, optionally under a prefix. */
  list(bucket: string, prefix = ""): string[] {
    return [...this.bucket(bucket).keys()].filter((name) => name.startsWith(prefix)).sort();
  }

  /** Writes an object directly (as another writer would; it counts towards the object's mutation rate); returns its generation. */
  put(bucket: string, name: string, data: Buffer | string, contentType = "application/octet-stream"): string {
    return this.write(bucket, name, Buffer.from(data), contentType).generation;
  }

  /** Routes a request whose path starts after "storage/v1/" (upload: after "upload/storage/v1/"). */
  handle(request: FakeRequest, upload: boolean): FakeResponse | undefined {
    const [b, rawBucket, o, rawName, ...rest] = request.segments;
    if (b !== "b" || rawBucket === undefined || o !== "o" || rest.length > 0) return undefined;
    const bucket = decodeSegment(rawBucket);
    if (rawName === undefined) {
      if (upload && request.method === "POST") return this.insert(bucket, request);
      if (!upload && request.method === "GET") return this.listObjects(bucket, request);
      return undefined;
    }
    if (upload) return undefined;
    const name = decodeSegment(rawName);
    if (request.method === "GET") return this.getObject(bucket, name, request);
    if (request.method === "DELETE") {
      this.quotas.checkObjectMutation(bucket, name);
      this.checkPreconditions(bucket, name, request);
      if (!this.bucket(bucket).delete(name)) throw noSuchObject(bucket, name);
      this.quotas.recordObjectMutation(bucket, name);
      return noContent;
    }
    return undefined;
  }

  private bucket(name: string): Map<string, StoredObject> {
    let bucket = this.buckets.get(name);
    if (!bucket) this.buckets.set(name, (bucket = new Map()));
    return bucket;
  }

  private write(bucket: string, name: string, data: Buffer, contentType: string): StoredObject {
    const now = this.ticker.next();
    this.lastGeneration = Math.max(now * 1000, this.lastGeneration + 1);
    const previous = this.bucket(bucket).get(name);
    const time = new Date(now).toISOString();
    const object: StoredObject = { name, data, generation: String(this.lastGeneration), metageneration: "1", contentType, timeCreated: previous?.timeCreated ?? time, updated: time };
    this.bucket(bucket).set(name, object);
    this.quotas.recordObjectMutation(bucket, name);
    return object;
  }

  private checkPreconditions(bucket: string, name: string, request: FakeRequest): void {
    const current = this.bucket(bucket).get(name);
    const match = queryValue(request.query, "ifGenerationMatch");
    const notMatch = queryValue(request.query, "ifGenerationNotMatch");
    const generation = current?.generation ?? "0";
    if ((match !== undefined && match !== generation) || (notMatch !== undefined && notMatch === generation)) {
      throw new GoogleApiError(412, "At least one of the pre-conditions you specified did not hold.", { reason: "conditionNotMet" });
    }
  }

  private insert(bucket: string, request: FakeRequest): FakeResponse {
    const uploadType = queryValue(request.query, "uploadType");
    let name = queryValue(request.query, "name");
    let contentType = String(request.headers["content-type"] ?? "application/octet-stream");
    let data = request.body;
    if (uploadType === "multipart") {
      const [metadataPart, mediaPart] = parseMultipart(request.headers["content-type"], request.body);
      if (!metadataPart || !mediaPart) throw invalidArgument("A multipart upload needs a metadata part and a media part.");
      const metadata = parseMetadata(metadataPart.body);
      name = metadata.name ?? name;
      contentType = metadata.contentType ?? mediaPart.contentType;
      data = mediaPart.body;
    } else if (uploadType !== "media") {
      throw invalidArgument(`The fake Storage API supports uploadType=media or multipart, not ${uploadType ?? "none"}.`);
    }
    if (!name) throw new GoogleApiError(400, "Required", { reason: "required", location: "name" });
    this.quotas.checkObjectMutation(bucket, name);
    this.checkPreconditions(bucket, name, request);
    return ok(resource(bucket, this.write(bucket, name, Buffer.from(data), contentType)));
  }

  private getObject(bucket: string, name: string, request: FakeRequest): FakeResponse {
    const object = this.bucket(bucket).get(name);
    if (!object) throw noSuchObject(bucket, name);
    this.checkPreconditions(bucket, name, request);
    if (queryValue(request.query, "alt") !== "media") return ok(resource(bucket, object));
    return {
      status: 200,
      body: Buffer.from(object.data),
      headers: {
        "content-type": object.contentType,
        "x-goog-generation": object.generation,
        "x-goog-metageneration": object.metageneration,
        "x-goog-stored-content-length": String(object.data.length),
        etag: etag(object),
      },
    };
  }

  /** Lexicographic order; `delimiter` folds deeper names into `prefixes`; no `items` key when nothing matches. */
  private listObjects(bucket: string, request: FakeRequest): FakeResponse {
    const prefix = queryValue(request.query, "prefix") ?? "";
    const delimiter = queryValue(request.query, "delimiter");
    const maxResults = Math.min(queryInteger(request.query, "maxResults", 1000), 1000);
    const start = queryValue(request.query, "pageToken");
    const entries: Array<{ key: string; object?: StoredObject }> = [];
    const seenPrefixes = new Set<string>();
    for (const name of this.list(bucket, prefix)) {
      const cut = delimiter ? name.indexOf(delimiter, prefix.length) : -1;
      const key = cut === -1 ? name : name.slice(0, cut + (delimiter?.length ?? 0));
      if (start !== undefined && key <= Buffer.from(start, "base64url").toString("utf8")) continue;
      if (cut !== -1) {
        if (!seenPrefixes.has(key)) entries.push({ key });
        seenPrefixes.add(key);
      } else entries.push({ key, object: this.bucket(bucket).get(name) as StoredObject });
    }
    const page = entries.slice(0, Math.max(1, maxResults));
    const body: StorageObjectList = { kind: "storage#objects" };
    const items = page.flatMap((entry) => (entry.object ? [resource(bucket, entry.object)] : []));
    const prefixes = page.filter((entry) => !entry.object).map((entry) => entry.key);
    if (prefixes.length > 0) body.prefixes = prefixes;
    if (items.length > 0) body.items = items;
    const last = page[page.length - 1];
    if (entries.length > page.length && last) body.nextPageToken = Buffer.from(last.key).toString("base64url");
    return ok(body);
  }
}

function parseMetadata(body: Buffer): { name?: string; contentType?: string } {
  try {
    return JSON.parse(body.toString("utf8")) as { name?: string; contentType?: string };
  } catch {
    throw invalidArgument("Invalid JSON payload received in the metadata part.");
  }
}

function noSuchObject(bucket: string, name: string): GoogleApiError {
  return notFound(`No such object: ${bucket}/${name}`);
}

function etag(object: StoredObject): string {
  return createHash("md5").update(object.generation).digest("base64");
}

function resource(bucket: string, object: StoredObject): StorageObjectResource {
  const path = `b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object.name)}`;
  return {
    kind: "storage#object",
    id: `${bucket}/${object.name}/${object.generation}`,
    selfLink: `https://www.googleapis.com/storage/v1/${path}`,
    mediaLink: `https://storage.googleapis.com/download/storage/v1/${path}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket,
    generation: object.generation,
    metageneration: object.metageneration,
    contentType: object.contentType,
    storageClass: "STANDARD",
    size: String(object.data.length),
    md5Hash: createHash("md5").update(object.data).digest("base64"),
    etag: etag(object),
    timeCreated: object.timeCreated,
    updated: object.updated,
  };
}
