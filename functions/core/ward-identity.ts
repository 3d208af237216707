/** Matching the ward name typed in a workbook against the configured ward. */
import { foldKey } from "../../sheets-schema/text.js";
import { UNIT_KINDS } from "./organisation.js";

/** What the core needs to know about a configured ward to recognise its name. */
export interface WardIdentity {
  id: string;
  name: string;
  aliases: readonly string[];
}

// "Phường Nghi Hòa", "UBND xã Nghi Lộc", "Công an đặc khu …": any kind's prefix, folded like the name.
const PREFIXES = UNIT_KINDS.map(foldKey).flatMap((kind) => [`ubnd ${kind} `, `cong an ${kind} `, `${kind} `]);

function stripPrefix(key: string): string {
  const prefix = PREFIXES.find((p) => key.startsWith(p));
  return prefix ? key.slice(prefix.length) : key;
}

/**
 * True when typed text names the ward: compared on folded keys (case, tone placement
 * "Hòa"/"Hoà", đ/d, spacing), with an optional "Phường" / "Xã" / "UBND xã" / "Công an phường" … prefix, against name and aliases.
 *
 * @example matchesWard("phường NGHI HOÀ", { id: "nghi-hoa", name: "Nghi Hòa", aliases: [] }) === true
 */
export function matchesWard(typed: string, ward: WardIdentity): boolean {
  const key = stripPrefix(foldKey(typed));
  return [ward.name, ...ward.aliases].some((name) => stripPrefix(foldKey(name)) === key);
}

/** The configured ward a typed name refers to, if exactly one matches. */
export function findWard<T extends WardIdentity>(typed: string, wards: readonly T[]): T | undefined {
  const matches = wards.filter((w) => matchesWard(typed, w));
  return matches.length === 1 ? matches[0] : undefined;
}
