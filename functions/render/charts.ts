import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { EChartsOption } from "echarts";
import type { BarChartSpec, ChartSpec, TrendChartSpec } from "../core/document-blocks.js";
import { MET_ALL_LABEL } from "../core/vocabulary.js";

export interface ChartOptions { width?: number; height?: number; fontFamily?: string }
export interface PngOptions { width?: number }

/** Font of charts inlined into HTML documents: the Tinos embedded by render/document-font.ts (Times metrics). */
const DOCUMENT_FONT_FAMILY = "Tinos";
/** Font for PNG output: bundled, so the raster is the same on every machine. */
const PNG_FONT_FAMILY = "DejaVu Sans";

const DEFAULT_WIDTH = 600;
const PNG_SCALE = 2;
// Dark against light so the two kinds of bar stay apart when printed in grayscale.
const RECOGNISED_COLOUR = "#1b5e20";
const OTHER_COLOUR = "#8fb4e3";
const INK = "#000000";
const RULE = "#c8c8c8";
const TREND_COLOURS = ["#1f4e8c", "#b23b3b", "#2e7d32", "#6a3d9a", "#c77700", "#00796b", "#5d4037", "#455a64"];
const AXIS_NAME = "Số tiêu chí đạt";
const TITLE_SIZE = 14;
const TITLE_TOP = 10;
const TREND_SYMBOLS = ["circle", "rect", "triangle", "diamond", "emptyCircle", "emptyRect", "emptyTriangle", "emptyDiamond"];

/** Renders met criteria per ward as horizontal bars with a dashed line at the full count; null is a labelled gap. */
export async function renderBarChartSvg(input: BarChartSpec, options: ChartOptions = {}): Promise<string> {
  const height = options.height ?? barChartHeight(input);
  const width = options.width ?? DEFAULT_WIDTH;
  return renderSvg(barOption(input, options.fontFamily ?? DOCUMENT_FONT_FAMILY, width), width, height);
}

/** Renders met criteria per ward over periods as lines, legend of ward names at the bottom. */
export async function renderTrendChartSvg(input: TrendChartSpec, options: ChartOptions = {}): Promise<string> {
  const width = options.width ?? DEFAULT_WIDTH;
  return renderSvg(trendOption(input, options.fontFamily ?? DOCUMENT_FONT_FAMILY, width), width, options.height ?? trendChartHeight(input));
}

/** Any chart of a document as SVG (HTML). */
export function renderChartSvg(spec: ChartSpec, options: ChartOptions = {}): Promise<string> {
  return spec.kind === "bar" ? renderBarChartSvg(spec, options) : renderTrendChartSvg(spec, options);
}

/** The natural size of a chart in CSS pixels at the default width: renderers scale it to the text width. */
export function chartSize(spec: ChartSpec): { width: number; height: number } {
  return { width: DEFAULT_WIDTH, height: spec.kind === "bar" ? barChartHeight(spec) : trendChartHeight(spec) };
}

/** Any chart as a PNG at 2× scale, in the bundled font (DOCX, Google Docs, mail). */
export async function renderChartPng(spec: ChartSpec, options: Omit<ChartOptions, "fontFamily"> = {}): Promise<Buffer> {
  const svg = await renderChartSvg(spec, { ...options, fontFamily: PNG_FONT_FAMILY });
  return svgToPng(svg, { width: (options.width ?? DEFAULT_WIDTH) * PNG_SCALE });
}

/** Lines a category label wraps to in its 120 px column (13 px type, ~7 px a letter). */
const labelLines = (label: string): number => Math.ceil((label.length * 7) / 120);

// Many bars (up to 25, chart-selection.ts) sit closer, so the chart stays wide when fitted to
// 10.5 cm tall (chart-fit.ts); long labels ("Cụm thi đua số 10 (9/10 đã gửi)") wrap, and each
// row gets the room of its lines.
function barChartHeight(spec: BarChartSpec): number {
  const lines = Math.max(1, ...spec.categories.map(labelLines));
  const row = Math.max(spec.categories.length > 12 ? 18 : 30, lines > 1 ? 16 * lines + 4 : 0);
  return Math.max(240, 110 + row * spec.categories.length);
}
// Lines need less room than bars; the legend grows a row per ~5 series.
const trendChartHeight = (spec: TrendChartSpec): number => 300 + 18 * Math.ceil(spec.series.length / 5);

/** Rasterises an SVG with only the bundled DejaVu fonts; `width` scales to that many pixels. */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, {
    fitTo: options.width === undefined ? { mode: "original" } : { mode: "width", value: options.width },
    background: "#ffffff",
    font: { fontFiles: bundledFontFiles(), loadSystemFonts: false, defaultFontFamily: PNG_FONT_FAMILY, sansSerifFamily: "DejaVu Sans", serifFamily: "DejaVu Serif" },
  });
  return resvg.render().asPng();
}

async function renderSvg(option: EChartsOption, width: number, height: number): Promise<string> {
  const echarts = await import("echarts");
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption(option);
    return stabiliseSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * Makes the SVG a pure function of the input. echarts numbers ids and hover classes with
 * process-wide counters; hover CSS means nothing on paper and would leak into a host HTML page.
 * Ids take a content hash instead, so two different charts inlined in one page never clash.
 */
function stabiliseSvg(svg: string): string {
  const stripped = svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>\s*/g, "")
    .replace(/ class="zr\d+-cls-\d+(?: zr\d+-cls-\d+)*"/g, "")
    .replace(/(id="|url\(#)zr\d+-/g, "$1@ID@-");
  const hash = createHash("sha256").update(stripped).digest("hex").slice(0, 10);
  return stripped.replaceAll("@ID@", `chart-${hash}`);
}

/** "17", or "17,3" with the Vietnamese decimal comma (per-group averages). */
const valueText = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1).replace(".", ","));

function barLabel(value: number | null, max: number, highlight: boolean, gapLabel: string, fullMark: boolean) {
  if (value === null) return { formatter: gapLabel, position: "right" as const, color: INK, fontStyle: "italic" as const };
  // Long bars carry their label inside, so it never crosses the dashed line at the full count.
  const inside = value >= max * 0.3;
  return {
    // Counts of units (a histogram, no full mark) print alone; criteria met print out of the total.
    formatter: fullMark ? `${valueText(value)}/${max}` : valueText(value),
    position: inside ? ("insideRight" as const) : ("right" as const),
    ...(highlight ? { fontWeight: "bold" as const, color: inside ? "#ffffff" : INK } : { color: INK }),
  };
}

function barOption(input: BarChartSpec, fontFamily: string, width: number): EChartsOption {
  const { max } = input;
  const gapLabel = input.gapLabel ?? "Chưa có số liệu";
  const data = input.categories.map((_, i) => {
    const value = input.values[i] ?? null;
    const highlight = input.highlight[i] === true;
    // A gap has no bar at all (zero length, no fill, no border): only its label is drawn.
    const itemStyle = value === null ? { color: "none", borderWidth: 0 } : { color: highlight ? RECOGNISED_COLOUR : OTHER_COLOUR, borderColor: INK, borderWidth: 0.6 };
    return { value: value ?? 0, itemStyle, label: barLabel(value, max, highlight, input.gapLabels?.[i] ?? gapLabel, input.fullMark !== false) };
  });
  return {
    ...baseOption(input.title, fontFamily, width),
    grid: { left: 20, right: 40, top: titleHeight(input.title, width) + 30, bottom: 52, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: { ...valueAxis(max), name: input.axisName ?? AXIS_NAME, nameLocation: "middle", nameGap: 28 },
    yAxis: {
      type: "category",
      data: input.categories.map(nfc),
      inverse: true,
      axisTick: { show: false },
      axisLine: { lineStyle: { color: INK } },
      // Wide enough for "Không đọc được" and the longer unit names on one line: a wrapped label overlaps its neighbour when bars are close.
      axisLabel: { color: INK, fontSize: 13, interval: 0, width: 150, overflow: "break" },
    },
    series: [
      // The category axis is inverted, so the mark line's start is at the top of the plot.
      { type: "bar", data, barMaxWidth: 22, barCategoryGap: "35%", label: { show: true, distance: 6, fontSize: 12 }, ...(input.fullMark === false ? {} : { markLine: fullMarkLine(max, "xAxis", "start") }) },
    ],
  };
}

function trendOption(input: TrendChartSpec, fontFamily: string, width: number): EChartsOption {
  return {
    ...baseOption(input.title, fontFamily, width),
    color: TREND_COLOURS,
    legend: { show: true, bottom: 8, left: "center", width: width - 40, itemWidth: 22, itemHeight: 10, itemGap: 12, textStyle: { color: INK, fontSize: 12 } },
    grid: { left: 20, right: 28, top: titleHeight(input.title, width) + 24, bottom: 78, outerBoundsMode: "same", outerBoundsContain: "all" },
    xAxis: {
      type: "category",
      data: input.periods.map(nfc),
      boundaryGap: false,
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: INK } },
      axisLabel: { color: INK, fontSize: 12, interval: 0, hideOverlap: true },
    },
    yAxis: { ...valueAxis(input.max), name: input.axisName ?? AXIS_NAME, nameLocation: "middle", nameGap: 34 },
    series: input.series.map((s, i) => ({
      type: "line" as const,
      name: nfc(s.name),
      data: s.values.map((v) => (v === null ? "-" : v)),
      connectNulls: false,
      symbol: TREND_SYMBOLS[i % TREND_SYMBOLS.length] ?? "circle",
      symbolSize: 7,
      lineStyle: { width: 2 },
      ...(i === 0 && input.fullMark !== false ? { markLine: fullMarkLine(input.max, "yAxis", "insideStartTop") } : {}),
    })),
  };
}

function baseOption(title: string, fontFamily: string, width: number): EChartsOption {
  return {
    animation: false,
    backgroundColor: "#ffffff",
    textStyle: { fontFamily, color: INK },
    title: { text: nfc(title), left: "center", top: TITLE_TOP, textStyle: { fontFamily, fontSize: TITLE_SIZE, fontWeight: "bold", color: INK, width: width - 40, overflow: "break", lineHeight: 20 } },
  };
}

/** Room the title takes, estimated from its length: SSR has no text metrics before layout. */
function titleHeight(title: string, width: number): number {
  const lines = Math.max(1, Math.ceil((title.length * TITLE_SIZE * 0.62) / (width - 40)));
  return TITLE_TOP + lines * 20;
}

function valueAxis(total: number) {
  const step = tickStep(total);
  return {
    type: "value" as const, min: 0, max: total, minInterval: 1,
    ...(step === undefined ? {} : { interval: step }),
    nameTextStyle: { color: INK, fontSize: 13 },
    axisLine: { show: true, lineStyle: { color: INK } },
    axisLabel: { color: INK, fontSize: 12 },
    splitLine: { lineStyle: { color: RULE, type: "dashed" as const } },
  };
}

/** A step that divides `total` into 4..12 ticks, so the last tick is exactly the criteria count. */
function tickStep(total: number): number | undefined {
  for (let step = 1; step <= total; step += 1) {
    if (total % step === 0 && total / step <= 12) return total / step >= 4 ? step : undefined;
  }
  return undefined;
}

function fullMarkLine(total: number, axis: "xAxis" | "yAxis", position: "start" | "insideStartTop") {
  return {
    silent: true,
    symbol: "none",
    lineStyle: { color: INK, type: "dashed" as const, width: 1.2 },
    // On the bar chart the line sits at the right edge: end the label at the line, not past the canvas.
    label: { show: true, position, ...(axis === "xAxis" ? { align: "right" as const } : {}), formatter: `${MET_ALL_LABEL} (${total}/${total})`, color: INK, fontSize: 12 },
    data: [axis === "xAxis" ? { xAxis: total } : { yAxis: total }],
  };
}

// Sheets may hold NFD text; NFC is what fonts shape reliably and what searches expect.
const nfc = (text: string): string => text.normalize("NFC");

function bundledFontFiles(): string[] {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const names = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"];
  return names.map((n) => path.join(dir, n)).filter((f) => existsSync(f));
}
