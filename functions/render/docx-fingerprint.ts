/**
 * What a rendered .docx says, as a hash that is the same for the same document rendered again:
 * every part of the package except its timestamps (docProps/core.xml) and the drawing ids the
 * docx package numbers per process (wp:docPr id). A store compares it with what it published
 * last, so a document that did not change costs no upload (Docs allows 60 writes a minute).
 */
import { createHash } from "node:crypto";
import JSZip from "jszip";

const VOLATILE_PARTS = new Set(["docProps/core.xml"]);
const DRAWING_ID = /(<wp:docPr\b[^>]*?\bid=")\d+"/gu;

/** sha256 (hex) of the document's content parts in name order, volatile parts left out. */
export async function docxFingerprint(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const hash = createHash("sha256");
  const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir && !VOLATILE_PARTS.has(n)).sort();
  for (const name of names) {
    const part = zip.files[name]!;
    hash.update(`${name}\0`);
    if (name.endsWith(".xml")) hash.update((await part.async("string")).replace(DRAWING_ID, '$1"'));
    else hash.update(await part.async("nodebuffer"));
    hash.update("\0");
  }
  return hash.digest("hex");
}
