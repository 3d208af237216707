/**
 * The province sample (`tieuchi init --sample province`): a SYNTHETIC province the size of
 * Nghệ An after the 2025 reform — 130 units, 119 xã and 11 phường, no đặc khu — followed
 * directly by the provincial police. Unit names are made up from common place-name syllables
 * (any likeness to a real xã or phường is chance) and the config says so. Results are spread
 * the way a real province's would be, from a fixed seed: some units met everything, most miss a
 * few criteria, a few miss many, about one in twelve has sent nothing and one file cannot be read.
 */
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { Answers } from "../../../sheets-schema/workbook-plan.js";
import { foldKey } from "../../../sheets-schema/text.js";
import type { UnitKind } from "../../core/organisation.js";
import { answerFor, nextWardDeadline } from "./sample-town.js";

/** One unit of the province sample; `workbook` says what the unit has sent. */
export interface ProvinceUnit {
  id: string;
  name: string;
  kind: UnitKind;
  group: string;
  /** The name as staff typed it in the workbook ("UBND xã An Châu"). */
  typedName: string;
  workbook: "filled" | "missing" | "unreadable";
  unmet: Record<string, string[]>;
  saysKhongDat: boolean;
  forgotEvidence: Record<string, string[]>;
}

const PROVINCE_UNITS = 130;
const PHUONG_COUNT = 11;
const GROUP_SIZE = 10;
const FIRST = ["An", "Bình", "Cẩm", "Diễn", "Đông", "Giang", "Hải", "Hưng", "Kim", "Lam", "Minh", "Nam", "Ngọc", "Phúc", "Quang", "Tân", "Thanh", "Trung", "Vĩnh", "Xuân"];
const SECOND = ["Châu", "Điền", "Hòa", "Khánh", "Lạc", "Lĩnh", "Lộc", "Mỹ", "Phong", "Sơn", "Thái", "Thành", "Thịnh", "Thủy", "Tiến", "Trường", "Tường", "Yên", "Long", "Hợp"];

/** A small deterministic generator (LCG, glibc constants): the same province on every machine. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function names(next: () => number): string[] {
  const pairs = FIRST.flatMap((a) => SECOND.filter((b) => foldKey(a) !== foldKey(b)).map((b) => `${a} ${b}`));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  return pairs.slice(0, PROVINCE_UNITS);
}

/** How many criteria a unit has not met yet: a fifth none, most a few, some many. */
function unmetCount(next: () => number, criteria: number): number {
  const r = next();
  if (r < 0.2) return 0;
  if (r < 0.6) return 1 + Math.floor(next() * 3);
  if (r < 0.9) return 4 + Math.floor(next() * 5);
  return Math.min(criteria, 9 + Math.floor(next() * 8));
}

function unmetCodes(next: () => number, catalogue: Catalogue): string[] {
  const codes = catalogue.criteria.map((c) => c.code);
  const picked = new Set<string>();
  for (let n = unmetCount(next, codes.length); picked.size < n; ) picked.add(codes[Math.floor(next() * codes.length)]!);
  // About one in three criteria not met yet is still in progress.
  return [...picked].map((code) => (next() < 0.33 ? `~${code}` : code));
}

function typed(name: string, kind: UnitKind, r: number): string {
  const noun = kind === "xã" ? "xã" : "phường";
  if (r < 0.4) return `${noun === "xã" ? "Xã" : "Phường"} ${name}`;
  return r < 0.6 ? `UBND ${noun} ${name}` : name;
}

/**
 * The units of the province sample for these catalogues, always the same.
 *
 * @example provinceUnits(catalogues).filter((u) => u.kind === "phường").length // → 11
 */
export function provinceUnits(catalogues: readonly Catalogue[]): ProvinceUnit[] {
  const next = random(2025_07_01);
  return names(next).map((name, i) => {
    const kind: UnitKind = i % 12 === 5 && Math.floor(i / 12) < PHUONG_COUNT ? "phường" : "xã";
    const r = next();
    const workbook = i === 77 ? "unreadable" : r < 0.08 ? "missing" : "filled";
    // About one unit in twenty marked a criterion Đạt and forgot its evidence: the findings a new user sees.
    const needsEvidence = catalogues[0]?.criteria.find((c) => c.evidenceRequired);
    const forgot = next() < 0.05 && needsEvidence ? { [catalogues[0]!.id]: [needsEvidence.code] } : {};
    return {
      id: foldKey(name).replace(/ /gu, "-"),
      name,
      kind,
      group: `Cụm thi đua số ${1 + Math.floor(i / GROUP_SIZE)}`,
      typedName: typed(name, kind, next()),
      workbook,
      unmet: Object.fromEntries(catalogues.map((c) => [c.id, unmetCodes(next, c)])),
      saysKhongDat: next() < 0.1,
      forgotEvidence: forgot,
    };
  });
}

/** A unit's answers; evidence is dated in `year` (the year before the assessment, never in the future). */
export function provinceAnswers(unit: ProvinceUnit, index: number, catalogues: readonly Catalogue[], year: number): Answers {
  return Object.fromEntries(catalogues.map((c) => [c.id, Object.fromEntries(c.criteria.map((cr, i) => [cr.code, answerFor(unit, index, c, i, year)]))]));
}

function unitYaml(u: ProvinceUnit): string {
  return `  - { id: ${u.id}, name: ${u.name}, kind: ${u.kind}, group: ${u.group}, effectiveFrom: "2025-07-01", contacts: [{ name: Công an ${u.kind} ${u.name}, email: ca.${u.id}@nghean.example }] }`;
}

/** The province sample's config file, with Vietnamese comments for the provincial staff office. */
export function provinceConfigYaml(today: string, units: readonly ProvinceUnit[]): string {
  return `# Cấu hình tieuchi cho Công an tỉnh Nghệ An: DỮ LIỆU MẪU GIẢ ĐỊNH để thử ở quy mô một tỉnh.
# 130 đơn vị (119 xã, 11 phường) theo quy mô sau sắp xếp năm 2025; TÊN XÃ, PHƯỜNG LÀ TÊN GIẢ ĐỊNH,
# không phải danh sách đơn vị hành chính thật. Kết quả tự đánh giá được sinh ngẫu nhiên (cố định).
timezone: Asia/Ho_Chi_Minh

agency:
  parent: BỘ CÔNG AN
  issuer: CÔNG AN TỈNH NGHỆ AN
  issuerName: Công an tỉnh Nghệ An
  documentCode: CAT-PV01      # chữ viết tắt trong "Số: 05/BC-CAT-PV01" (cần xác minh)
  place: Nghệ An
  signer:
    authority: KT. GIÁM ĐỐC
    title: PHÓ GIÁM ĐỐC
    rank: Đại tá
    name: Trần Văn Minh

# Cấp của đơn vị chủ quản: tỉnh (từ 01/07/2025 chính quyền địa phương hai cấp).
organisation:
  level: tỉnh
  name: Nghệ An
  effectiveFrom: "2025-07-01"

programmes:
  - id: ca-phuong-dien-hinh
    catalogue: builtin:ca-phuong-dien-hinh
  - id: phuong-bao-ve-antq
    catalogue: builtin:phuong-bao-ve-antq

# Các xã, phường. kind: xã | phường | đặc khu | thị trấn (mặc định phường); group: cụm thi đua,
# dùng cho biểu đồ tổng hợp theo nhóm. Tệp tự đánh giá: wards/<id>.xlsx.
wards:
${units.map(unitYaml).join("\n")}

reports:
  distribution:
    - Bộ Công an (V05) (để báo cáo);
    - Thường trực Tỉnh ủy, UBND tỉnh (để báo cáo);
    - Lãnh đạo Công an tỉnh;
    - Công an các xã, phường;
  archive: VT, PV01

schedule:
  digest: "0 7 * * 1"
  deadlines:
    - date: "${nextWardDeadline(today)}"
      title: Xã, phường hoàn thành tự đánh giá, phân loại tiêu chí
      remindDaysBefore: [7, 3, 1]

# Thư điện tử. Máy chủ thư đặt trong biến môi trường TIEUCHI_SMTP_URL; khi chưa đặt, thư được ghi vào
# thư mục out/outbox để xem trước, chưa gửi đi. from: THAY tên miền catinh-nghean.gov.vn bằng tên miền thư của đơn vị.
smtp:
  from: "Công an tỉnh Nghệ An <tieuchi@catinh-nghean.gov.vn>"

recipients:
  leadership:
    - lanhdao@catinh-nghean.example
  cc:
    - phongtm@catinh-nghean.example
`;
}
