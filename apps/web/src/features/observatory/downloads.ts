import type { ObservatoryChart } from "@vigie/contracts";

// The three downloads of a chart, made in the browser from what the API sent: the SVG as is,
// a PNG drawn from it on a canvas, and the CSV of its data table (French Excel: « ; » between
// fields, UTF-8 with a byte order mark, CRLF line ends).

type Table = ObservatoryChart["table"];
type Cell = Table["rows"][number][number];

export const CSV_SEPARATOR = ";";
const BOM = "\uFEFF";

/** One CSV field: numbers as they are, text quoted when it must be, never read as a formula. */
export function csvField(cell: Cell): string {
  if (cell === null) return "";
  if (typeof cell === "number") return String(cell);
  // A spreadsheet would run a field starting with = + - @ as a formula (CSV injection).
  const text = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
  return /[";\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The table as CSV text: the column names, then a line per row; the BOM first. */
export function tableToCsv(table: Table): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvField).join(CSV_SEPARATOR));
  return `${BOM}${lines.join("\r\n")}\r\n`;
}

/** « observatoire-2023-national-declarations-by-month », « observatoire-2023-region-76-… ». */
export function downloadName(
  chartId: string,
  year: number,
  region: string | null,
  extension: "svg" | "png" | "csv",
): string {
  return `observatoire-${year}-${region ? `region-${region}` : "national"}-${chartId}.${extension}`;
}

/** Offers a blob as a file to save (a temporary link with `download`, then released). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: "image/svg+xml;charset=utf-8" });
}

export function csvBlob(table: Table): Blob {
  return new Blob([tableToCsv(table)], { type: "text/csv;charset=utf-8" });
}

/** The size the SVG declares (width and height attributes of its root). */
function svgSize(svg: string): { width: number; height: number } {
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  const width = Number(root.getAttribute("width"));
  const height = Number(root.getAttribute("height"));
  if (!(width > 0 && height > 0)) throw new Error("Dimensions du graphique introuvables.");
  return { width, height };
}

/**
 * The chart as a PNG at twice its size: the SVG loaded as an image (a data: address, which the
 * CSP allows for images), drawn on a white canvas, encoded by the browser.
 */
export async function pngBlob(svg: string, scale = 2): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const image = new Image(width, height);
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error("Le graphique n'a pas pu être converti en image."));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("Le navigateur ne sait pas dessiner l'image.");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise<Blob>((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("L'image PNG n'a pas pu être produite."))),
      "image/png",
    );
  });
}
