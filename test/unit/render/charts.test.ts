import { describe, expect, it } from "vitest";
import type { BarChartSpec, TrendChartSpec } from "../../../functions/core/document-blocks.js";
import { renderBarChartSvg, renderChartPng, renderTrendChartSvg, svgToPng } from "../../../functions/render/charts.js";

const WARDS = ["Nghi Hải", "Nghi Hòa", "Nghi Hương", "Nghi Tân", "Nghi Thu", "Nghi Thủy", "Thu Thủy"];
const MET = [20, 16, 18, 22, 19, 21, 22];
const BAR: BarChartSpec = {
  kind: "bar",
  title: "Kết quả tự đánh giá 22 tiêu chí Công an phường điển hình, kiểu mẫu",
  categories: WARDS,
  values: MET,
  max: 22,
  highlight: MET.map((m) => m === 22),
};
const TREND: TrendChartSpec = {
  kind: "trend",
  title: "Diễn biến số tiêu chí đạt theo kỳ báo cáo",
  periods: ["Tuần 45/2026", "Tuần 46/2026", "Tuần 47/2026", "Tuần 48/2026"],
  max: 22,
  series: [
    { name: "Nghi Hương", values: [15, 16, 17, 18] },
    { name: "Nghi Hòa", values: [12, null, 15, 16] },
    { name: "Thu Thủy", values: [null, null, null, null] },
  ],
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const count = (text: string, needle: string): number => text.split(needle).length - 1;
const pngWidth = (png: Buffer): number => png.readUInt32BE(16);
const pngHeight = (png: Buffer): number => png.readUInt32BE(20);

describe("renderBarChartSvg", () => {
  it("is a bare <svg> element that can be inlined into HTML", async () => {
    const svg = await renderBarChartSvg(BAR);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<style|class="/i);
    expect(svg).toContain('width="600"');
  });

  it("labels every ward with its diacritics and its met/total count", async () => {
    const svg = await renderBarChartSvg(BAR);
    for (const ward of WARDS) expect(svg).toContain(`>${ward}</text>`);
    for (const label of ["20/22", "16/22", "18/22", "19/22", "21/22"]) expect(svg).toContain(`>${label}</text>`);
    expect(count(svg, ">22/22</text>")).toBe(2);
    expect(svg).toContain("Đạt đủ tiêu chí (22/22)");
    expect(svg).toContain("Số tiêu chí đạt");
    expect(svg).toContain(BAR.title);
  });

  it("writes NFD input as NFC", async () => {
    const svg = await renderBarChartSvg({ ...BAR, categories: WARDS.map((w) => w.normalize("NFD")) });
    for (const ward of WARDS) expect(svg).toContain(`>${ward}</text>`);
    expect(svg).toBe(svg.normalize("NFC"));
  });

  it("uses the number of criteria in the full-count line", async () => {
    const svg = await renderBarChartSvg({ kind: "bar", title: "Đề án 2", categories: ["Nghi Hương"], values: [31], max: 34, highlight: [false] });
    expect(svg).toContain("Đạt đủ tiêu chí (34/34)");
    expect(svg).toContain(">31/34</text>");
  });

  it("draws a ward without data as a labelled gap: no bar, no 0", async () => {
    const values = [...MET.slice(0, 3), null, ...MET.slice(4)];
    const svg = await renderBarChartSvg({ ...BAR, values, gapLabel: "Chưa gửi" });
    expect(count(svg, ">Chưa gửi</text>")).toBe(1);
    expect(svg).not.toContain(">0/22</text>");
    // Six filled bars (2 highlighted + 4 others), none for the gap.
    expect(count(svg, 'fill="#1b5e20"') + count(svg, 'fill="#8fb4e3"')).toBe(6);
  });

  it("prints counts without the full mark, decimals with a comma, and the axis it is given", async () => {
    const svg = await renderBarChartSvg({ kind: "bar", title: "Phân bố", categories: ["Cụm 1", "Cụm 2"], values: [6, 17.25], max: 22, highlight: [false, false], axisName: "Số đơn vị", fullMark: false });
    expect(svg).not.toContain("Đạt đủ tiêu chí");
    expect(svg).toContain(">6</text>");
    expect(svg).toContain(">17,3</text>");
    expect(svg).toContain("Số đơn vị");
  });

  it("colours recognised wards apart from the others", async () => {
    const svg = await renderBarChartSvg(BAR);
    expect(count(svg, 'fill="#1b5e20"')).toBe(2);
    expect(count(svg, 'fill="#8fb4e3"')).toBe(5);
  });

  it("escapes markup in ward names and the title", async () => {
    const hostile = '<script>alert("x")</script> & "Nghi"';
    const svg = await renderBarChartSvg({ ...BAR, title: hostile, categories: [hostile, ...WARDS.slice(1)] });
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain("&amp;");
    expect(svg).toContain("&quot;");
  });

  it("uses the document font by default and the one asked for otherwise", async () => {
    expect(await renderBarChartSvg(BAR)).toContain("font-family:Tinos;");
    expect(await renderBarChartSvg(BAR, { fontFamily: "DejaVu Sans" })).toContain("font-family:DejaVu Sans;");
  });

  it("is deterministic", async () => {
    expect(await renderBarChartSvg(BAR)).toBe(await renderBarChartSvg(BAR));
  });
});

describe("renderTrendChartSvg", () => {
  it("draws one line per ward with a legend of ward names", async () => {
    const svg = await renderTrendChartSvg(TREND);
    for (const s of TREND.series) expect(svg).toContain(`>${s.name}</text>`);
    for (const p of TREND.periods) expect(svg).toContain(`>${p}</text>`);
    expect(svg).toContain("Đạt đủ tiêu chí (22/22)");
    expect(svg).not.toMatch(/<\?xml|<!DOCTYPE|<style/);
  });

  it("leaves a gap where a period has no data", async () => {
    const svg = await renderTrendChartSvg(TREND);
    const line = svg.match(/<path d="([^"]+)" fill="none"[^>]*stroke="#b23b3b"/);
    expect(line?.[1]?.match(/M/g)).toHaveLength(2);
    const points = (series: number) => svg.match(new RegExp(`ecmeta_series_index="${series}" ecmeta_data_index="\\d+" ecmeta_ssr_type="chart"`, "g")) ?? [];
    expect(points(1)).toHaveLength(3);
    expect(points(2)).toHaveLength(0);
  });

  it("is deterministic, with clip-path ids that differ between different charts", async () => {
    const first = await renderTrendChartSvg(TREND);
    expect(await renderTrendChartSvg(TREND)).toBe(first);
    const other = await renderTrendChartSvg({ ...TREND, max: 34 });
    const ids = (svg: string) => new Set(svg.match(/id="[^"]+"/g));
    expect(ids(first).size).toBeGreaterThan(0);
    for (const id of ids(first)) expect(id).toMatch(/^id="chart-[0-9a-f]{10}-/);
    expect([...ids(first)].filter((id) => ids(other).has(id))).toEqual([]);
  });
});

describe("PNG output", () => {
  it("renders the bar chart at twice the chart width", async () => {
    const png = await renderChartPng(BAR);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngWidth(png)).toBe(1200);
  });

  it("renders the trend chart at twice the chart width", async () => {
    const png = await renderChartPng(TREND, { width: 500, height: 300 });
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([pngWidth(png), pngHeight(png)]).toEqual([1000, 600]);
  });

  it("keeps the SVG size unless a width is asked for", async () => {
    const svg = await renderBarChartSvg(BAR, { width: 640, height: 320 });
    expect(pngWidth(await svgToPng(svg))).toBe(640);
    expect([pngWidth(await svgToPng(svg, { width: 960 })), pngHeight(await svgToPng(svg, { width: 960 }))]).toEqual([960, 480]);
  });

  it("gives identical bytes for identical input", async () => {
    expect((await renderChartPng(BAR)).equals(await renderChartPng(BAR))).toBe(true);
    expect((await renderChartPng(TREND)).equals(await renderChartPng(TREND))).toBe(true);
  });
});
