/**
 * How big a chart is printed (HTML/PDF and DOCX alike): the text width at most, and never taller
 * than 10.5 cm, so two charts with their captions share an A4 page (25.7 cm of text height under
 * NĐ 30 margins) instead of the second one leaving half a page blank. Bars sit closer when there
 * are many (charts.ts), so even 25 bars stay about 11 cm wide and readable.
 */
import type { ChartSpec } from "../core/document-blocks.js";
import { chartSize } from "./charts.js";

/** The text width of an NĐ 30 page (210 − 30 − 15 mm), in cm. */
const TEXT_WIDTH_CM = 16.5;
/** The tallest a chart is printed, in cm. */
export const MAX_CHART_HEIGHT_CM = 10.5;

/** The printed size of a chart in cm: its natural aspect ratio, fitted to the width and height limits. */
export function chartPrintSize(spec: ChartSpec): { widthCm: number; heightCm: number } {
  const natural = chartSize(spec);
  const widthCm = Math.min(TEXT_WIDTH_CM, (MAX_CHART_HEIGHT_CM * natural.width) / natural.height);
  return { widthCm, heightCm: (widthCm * natural.height) / natural.width };
}
