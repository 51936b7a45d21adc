import { SaxesParser } from "saxes";

// For the tests: reads a rendered report back (it is well-formed XML as well as HTML) — its
// marked figures, headings, sections and the elements and attributes it uses.

export interface ReportFigure {
  path: string;
  year: number;
  /** JSON.parse of the `value` attribute. */
  value: unknown;
  text: string;
}

export interface ReadReport {
  title: string;
  lang: string | undefined;
  figures: ReportFigure[];
  /** h1, h2 and h3 texts, in order. */
  headings: { level: number; text: string }[];
  /** ids of the <section> elements. */
  sections: string[];
  /** Every element name used (lower case). */
  elements: Set<string>;
  /** Every attribute value, for checks on links and sources. */
  attributeValues: string[];
  /** <svg> elements in the page. */
  svgCount: number;
  /** <table> captions. */
  captions: string[];
  /** The text of the whole page. */
  text: string;
}

/** Parses a report's HTML; throws if it is not well-formed. */
export function readReportHtml(html: string): ReadReport {
  const parser = new SaxesParser({ xmlns: false });
  const result: ReadReport = {
    title: "",
    lang: undefined,
    figures: [],
    headings: [],
    sections: [],
    elements: new Set(),
    attributeValues: [],
    svgCount: 0,
    captions: [],
    text: "",
  };
  const stack: { name: string; text: string; attributes: Record<string, string> }[] = [];
  const texts: string[] = [];
  parser.on("opentag", (node) => {
    const name = node.name.toLowerCase();
    const attributes = node.attributes as Record<string, string>;
    result.elements.add(name);
    result.attributeValues.push(...Object.values(attributes));
    if (name === "html") result.lang = attributes.lang;
    if (name === "section" && attributes.id) result.sections.push(attributes.id);
    if (name === "svg") result.svgCount++;
    stack.push({ name, text: "", attributes });
  });
  parser.on("text", (text) => {
    texts.push(text);
    for (const open of stack) open.text += text;
  });
  parser.on("closetag", () => {
    const node = stack.pop();
    if (!node) return;
    const text = node.text.replace(/\s+/g, " ").trim();
    if (node.name === "title" && stack.length === 2) result.title = text;
    const level = /^h([1-3])$/.exec(node.name)?.[1];
    if (level) result.headings.push({ level: Number(level), text });
    if (node.name === "caption") result.captions.push(text);
    const path = node.attributes["data-indicator"];
    if (path !== undefined) {
      result.figures.push({
        path,
        year: Number(node.attributes["data-year"]),
        value: JSON.parse(node.attributes.value ?? "undefined"),
        text: node.text,
      });
    }
  });
  parser.write(html).close();
  result.text = texts.join("");
  return result;
}
