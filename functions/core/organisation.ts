/**
 * The organisation as data: the kind of each unit (xã, phường, đặc khu, thị trấn) and the level
 * of the supervising police (tỉnh since the 2025 reform; a thị xã or thành phố for 2023 data),
 * and the wording that follows them. Pure: no I/O.
 */

import { numberVi } from "./vi-format.js";

/** Kinds of unit a supervising police follows, in the order a collective noun lists them. */
export const UNIT_KINDS = ["xã", "phường", "đặc khu", "thị trấn"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** Levels of the supervising agency (2-level government since 01/07/2025: tỉnh; before: districts and towns too). */
export const ORGANISATION_LEVELS = ["tỉnh", "thành phố", "thị xã", "huyện"] as const;

/** The kind a configured unit has when its entry names none: the 2023 sample is a town of phường. */
const DEFAULT_KIND: UnitKind = "phường";

/** What wording needs to know about a unit. */
export interface UnitRef {
  name: string;
  kind?: UnitKind | undefined;
}

/** A unit's kind, "phường" when not configured. */
export function unitKindOf(unit: { kind?: UnitKind | undefined }): UnitKind {
  return unit.kind ?? DEFAULT_KIND;
}

/**
 * The noun of one unit kind, lower case, as written before a name.
 *
 * @example unitNoun("xã") // → "xã"
 */
export function unitNoun(kind: UnitKind): string {
  return kind;
}

/**
 * A unit named with its kind, lower case as inside a sentence.
 *
 * @example unitLabel({ name: "Nghi Hương" }) // → "phường Nghi Hương"
 * @example unitLabel({ name: "Nghi Lộc", kind: "xã" }) // → "xã Nghi Lộc"
 */
export function unitLabel(unit: UnitRef): string {
  return `${unitNoun(unitKindOf(unit))} ${unit.name}`;
}

/**
 * The police of a unit, as named in "Kính gửi:" and Nơi nhận.
 *
 * @example unitPolice({ name: "Nghi Lộc", kind: "xã" }) // → "Công an xã Nghi Lộc"
 */
export function unitPolice(unit: UnitRef): string {
  return `Công an ${unitLabel(unit)}`;
}

/**
 * The collective noun of a set of units: each kind present once, in the fixed order xã, phường,
 * đặc khu, thị trấn; "phường" for an empty set (the default kind).
 *
 * @example unitsNoun(["phường", "phường"]) // → "phường"
 * @example unitsNoun(["phường", "xã", "đặc khu"]) // → "xã, phường, đặc khu"
 */
export function unitsNoun(kinds: Iterable<UnitKind>): string {
  const present = new Set(kinds);
  const listed = UNIT_KINDS.filter((k) => present.has(k));
  return (listed.length ? listed : [DEFAULT_KIND]).join(", ");
}

/**
 * A count of units with their collective noun.
 *
 * @example unitCount(7, ["phường"]) // → "7 phường"
 * @example unitCount(130, ["xã", "phường"]) // → "130 xã, phường"
 * @example unitCount(3321, ["xã", "phường", "đặc khu"]) // → "3.321 xã, phường, đặc khu"
 */
export function unitCount(count: number, kinds: Iterable<UnitKind>): string {
  return `${numberVi(count, 0)} ${unitsNoun(kinds)}`;
}
