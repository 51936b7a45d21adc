import {
  dataImpact,
  metropolitanRegionCodes,
  type ObservatoryChart,
  ObservatoryChartSchema,
  type ObservatoryDocument,
  ObservatoryDocumentSchema,
  regionCodes,
} from "@vigie/contracts";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { emptyDocument, REGION_NAMES, sampleDocument } from "./charts.fixtures.ts";
import { observatoryCharts } from "./charts.ts";
import { colours, contrast, escapeXml, scaleFill, textOn, wrap } from "./svg.ts";

// --- A strict XML reading of the SVG (saxes: well-formedness and namespaces, errors throw) ---------

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Direct text content. */
  text: string;
}

function parseSvg(svg: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) attributes[name] = attribute.value;
    const node: XmlElement = { name: tag.local, attributes, children: [], text: "" };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on("text", (text) => {
    const current = stack[stack.length - 1];
    if (current) current.text += text;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(svg).close();
  if (!root) throw new Error("no root element");
  return root;
}

function all(node: XmlElement, name: string): XmlElement[] {
  const found = node.name === name ? [node] : [];
  return found.concat(node.children.flatMap((c) => all(c, name)));
}

/** Every piece of text drawn: each <text>, its <tspan> lines joined as they were wrapped. */
function drawnTexts(root: XmlElement): string[] {
  return all(root, "text").map((t) =>
    [t.text, ...t.children.map((s) => s.text)]
      .filter(Boolean)
      .reduce(
        (joined, line) => (joined === "" ? line : /[-/]$/.test(joined) ? joined + line : `${joined} ${line}`),
        "",
      ),
  );
}

const fr = (n: number): string => new Intl.NumberFormat("fr-FR").format(n);

const labels = {
  regionNames: REGION_NAMES,
  directoryCounts: {
    es_public: 1300,
    es_private_nonprofit: 700,
    es_private_forprofit: 1000,
    army_hospital: 8,
  },
};

function chartsFor(
  doc: ObservatoryDocument,
  history: ObservatoryDocument[] = [],
  chartLabels: Parameters<typeof observatoryCharts>[2] = labels,
): Map<string, ObservatoryChart> {
  return new Map(observatoryCharts(doc, history, chartLabels).map((c) => [c.id, c]));
}

function byId(charts: Map<string, ObservatoryChart>, id: string): ObservatoryChart {
  const chart = charts.get(id);
  if (!chart) throw new Error(`chart ${id} missing`);
  return chart;
}

const y2023 = sampleDocument(2023, 581);
const y2022 = sampleDocument(2022, 592);
const y2021 = sampleDocument(2021, 733);
const national = chartsFor(y2023, [y2021, y2022]);

describe("observatory charts", () => {
  it("draws every figure of the report's chapter 4 that carries data, in the report's sections", () => {
    expect([...national.keys()]).toEqual([
      "key-figures",
      "declarations-by-month",
      "declarations-by-weekday-hour",
      "state-at-declaration",
      "regions-counts",
      "regions-activity-index",
      "structure-types",
      "es-types-vs-directory",
      "data-impacts",
      "data-types",
      "operational-impact",
      "patient-endangerment",
      "origin",
      "malicious-types",
      "malicious-types-evolution",
      "malicious-by-quarter",
      "non-malicious-types",
      "non-malicious-types-evolution",
      "non-malicious-by-quarter",
      "support-requests",
      "technical-support-origin",
    ]);
    const sections = [...national.values()].map((c) => c.section);
    // Sections follow the contract's order and never come back once left.
    const order = ObservatoryChartSchema.shape.section.options;
    const indices = sections.map((s) => order.indexOf(s));
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
    for (const chart of national.values()) {
      expect(() => ObservatoryChartSchema.parse(chart)).not.toThrow();
      expect(chart.definition.length).toBeGreaterThan(40);
      expect(chart.population).toContain("2023");
      expect(chart.population).toContain("toutes régions");
      expect(chart.table.caption.length).toBeGreaterThan(10);
    }
  });

  it("produces self-contained, well-formed SVG with its size, role, title and description", () => {
    for (const chart of national.values()) {
      const root = parseSvg(chart.svg);
      expect(root.name).toBe("svg");
      expect(root.attributes.xmlns).toBe("http://www.w3.org/2000/svg");
      const width = Number(root.attributes.width);
      const height = Number(root.attributes.height);
      expect(width).toBeGreaterThan(0);
      expect(height).toBeGreaterThan(100);
      expect(root.attributes.viewBox).toBe(`0 0 ${width} ${height}`);
      expect(root.attributes.role).toBe("img");
      const [title, desc] = root.children;
      expect(title?.name).toBe("title");
      expect(title?.text).toBe(chart.title);
      expect(desc?.name).toBe("desc");
      expect(desc?.text.length).toBeGreaterThan(20);
      expect(root.attributes["aria-labelledby"]).toBe(title?.attributes.id);
      expect(root.attributes["aria-describedby"]).toBe(desc?.attributes.id);
      // Nothing executable, nothing fetched, nothing left unrendered.
      expect(all(root, "script")).toEqual([]);
      expect(all(root, "foreignObject")).toEqual([]);
      expect(chart.svg).not.toMatch(/\bon[a-z]+=|href=|NaN|undefined|Infinity/);
      // Every element stays inside the picture (rectangles drawn within the viewBox).
      for (const rect of all(root, "rect")) {
        const x = Number(rect.attributes.x ?? 0);
        const w = Number(rect.attributes.width ?? 0);
        if (!rect.attributes.transform && rect.attributes.width !== undefined) {
          expect(x + w, `${chart.id}: rect beyond the width`).toBeLessThanOrEqual(width);
        }
      }
    }
  });

  it("ids inside each SVG are unique across the charts of one page", () => {
    const seen = new Set<string>();
    for (const chart of national.values()) {
      for (const match of chart.svg.matchAll(/ id="([^"]+)"/g)) {
        const id = match[1] ?? "";
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
    expect(seen.size).toBeGreaterThan(national.size * 2);
  });

  it("writes the monthly values of both years on the columns and in the table", () => {
    const chart = byId(national, "declarations-by-month");
    expect(chart.table.columns).toEqual(["Mois", "2022", "2023"]);
    expect(chart.table.rows).toHaveLength(13);
    expect(chart.table.rows[0]).toEqual([
      "Janvier",
      y2022.incidents.by_month[0],
      y2023.incidents.by_month[0],
    ]);
    expect(chart.table.rows[11]?.[0]).toBe("Décembre");
    expect(chart.table.rows[12]).toEqual(["Total", 592, 581]);
    for (let m = 0; m < 12; m++) {
      expect(chart.table.rows[m]?.[2]).toBe(y2023.incidents.by_month[m]);
    }
    const texts = drawnTexts(parseSvg(chart.svg));
    // 24 columns: each value written once above its column (plus the axis ticks).
    const written = [...y2022.incidents.by_month, ...y2023.incidents.by_month].map(fr);
    for (const value of new Set(written)) expect(texts).toContain(value);
    expect(texts).toContain("Moyenne mensuelle 2023 : 48,4");
    expect(texts.some((t) => t.includes("581 déclarations en 2023"))).toBe(true);
  });

  it("draws the heat map with every count written and the table of 7 days × 24 hours", () => {
    const chart = byId(national, "declarations-by-weekday-hour");
    expect(chart.table.columns).toHaveLength(26);
    expect(chart.table.columns[1]).toBe("0 h");
    expect(chart.table.columns[24]).toBe("23 h");
    expect(chart.table.rows.map((r) => r[0])).toEqual([
      "Lundi",
      "Mardi",
      "Mercredi",
      "Jeudi",
      "Vendredi",
      "Samedi",
      "Dimanche",
    ]);
    let total = 0;
    y2023.timing.heatmap.forEach((hours, day) => {
      const row = chart.table.rows[day] ?? [];
      expect(row.slice(1, 25)).toEqual(hours);
      const dayTotal = hours.reduce((a, b) => a + b, 0);
      expect(row[25]).toBe(dayTotal);
      total += dayTotal;
    });
    expect(total).toBe(581);
    const root = parseSvg(chart.svg);
    // 168 cells, each with its count written.
    const cells = all(root, "rect").filter((r) => r.attributes.stroke === colours.white);
    expect(cells).toHaveLength(168);
    const texts = drawnTexts(root);
    expect(texts.some((t) => t.includes("89 %") && t.includes("2022"))).toBe(true);
  });

  it("draws the regions as tiles, each with its name and count, overseas apart", () => {
    const chart = byId(national, "regions-counts");
    const texts = drawnTexts(parseSvg(chart.svg));
    for (const code of regionCodes) {
      expect(texts).toContain(String(y2023.regions.counts[code]));
    }
    expect(texts).toContain("Occitanie");
    expect(texts).toContain("Outre-mer");
    // Long names wrap at their hyphens, nothing lost.
    expect(texts).toContain("Provence-Alpes-Côte d'Azur");
    expect(chart.table.rows).toHaveLength(18);
    const occitanie = chart.table.rows.find((r) => r[0] === "Occitanie");
    expect(occitanie).toEqual(["Occitanie", y2022.regions.counts["76"], 71, "12,2\u00a0%"]);
    // Sorted by name, as French sorts (Île-de-France among the I, not after Z).
    const names = chart.table.rows.map((r) => String(r[0]));
    expect(names.indexOf("Île-de-France")).toBeLessThan(names.indexOf("La Réunion"));
    expect(chart.title).toContain("2023");
  });

  it("shades tiles by value with written text that keeps its contrast", () => {
    const svg = byId(national, "regions-activity-index").svg;
    const root = parseSvg(svg);
    const texts = drawnTexts(root);
    expect(texts).toContain("100");
    expect(texts).toContain("31,5");
    for (const code of metropolitanRegionCodes) expect(texts).toContain(REGION_NAMES[code]);
    expect(texts).not.toContain("Guadeloupe");
    // The darkest tile (index 100) carries white text.
    const darkest = all(root, "rect").find((r) => r.attributes.fill === colours.blue && r.attributes.rx);
    expect(darkest).toBeDefined();
    const white = all(root, "text").filter((t) => t.attributes.fill === colours.white);
    expect(white.map((t) => t.text)).toContain("100");
  });

  it("says when the activity index cannot be computed", () => {
    const charts = chartsFor(sampleDocument(2023, 581, { activityIndex: false }), [y2022]);
    const chart = byId(charts, "regions-activity-index");
    expect(chart.table.rows.every((r) => r[2] === null)).toBe(true);
    const texts = drawnTexts(parseSvg(chart.svg));
    expect(texts.filter((t) => t === "non calculé")).toHaveLength(13);
    expect(texts.some((t) => t.startsWith("Indice non calculé"))).toBe(true);
  });

  it("compares the data impacts over three years", () => {
    const chart = byId(national, "data-impacts");
    expect(chart.table.columns).toEqual(["Impact sur les données", "2021", "2022", "2023", "Part en 2023"]);
    expect(chart.table.rows).toHaveLength(dataImpact.values.length);
    const first = chart.table.rows[0];
    expect(first?.[0]).toBe(dataImpact.labels.data_loss_or_unavailability);
    expect(first?.slice(1, 4)).toEqual([245, 245, 245]);
    // 245 of 557 incidents in scope.
    expect(first?.[4]).toBe(
      new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 }).format(245 / 557),
    );
    const root = parseSvg(chart.svg);
    const legend = drawnTexts(root);
    for (const year of ["2021", "2022", "2023"]) expect(legend).toContain(year);
    // Three swatches of different kinds: solid, lighter, hatched (not colour alone).
    const fills = new Set(all(root, "rect").map((r) => r.attributes.fill));
    expect(fills).toContain(colours.blue);
    expect(fills).toContain(colours.blueLight);
    expect(fills).toContain("url(#obs-data-impacts-hatch)");
    expect(all(root, "pattern").map((p) => p.attributes.id)).toEqual(["obs-data-impacts-hatch"]);
  });

  it("keeps the key figures' table in numbers for counts and French text for shares", () => {
    const chart = byId(national, "key-figures");
    expect(chart.table.columns).toEqual(["Indicateur", "2022", "2023"]);
    const row = (label: string) => chart.table.rows.find((r) => r[0] === label);
    expect(row("Déclarations reçues")).toEqual(["Déclarations reçues", 592, 581]);
    expect(row("Incidents hors périmètre")).toEqual(["Incidents hors périmètre", 24, 24]);
    expect(row("Déclarations par mois en moyenne")).toEqual([
      "Déclarations par mois en moyenne",
      "49,3",
      "48,4",
    ]);
    expect(row("Déclarations en heures et jours ouvrés")?.[2]).toBe("89\u00a0%");
    for (const r of chart.table.rows) {
      for (const cell of r.slice(1)) {
        if (typeof cell === "number") expect(Number.isInteger(cell)).toBe(true);
      }
    }
    const texts = drawnTexts(parseSvg(chart.svg));
    expect(texts).toContain("581");
    expect(texts).toContain("2022 : 592");
  });

  it("compares each ES type's share of declarations with its share of the directory", () => {
    const chart = byId(national, "es-types-vs-directory");
    const publicRow = chart.table.rows[0];
    // 291 of the 291 + 52 + 64 + 6 = 413 ES declarations; 1 300 of 3 008 directory ES.
    expect(publicRow?.slice(1)).toEqual([291, "70,5\u00a0%", 1300, "43,2\u00a0%"]);
    const texts = drawnTexts(parseSvg(chart.svg));
    expect(texts).toContain("Déclarations : 70\u00a0%");
    expect(texts).toContain("Annuaire : 43\u00a0%");

    const without = byId(chartsFor(y2023, [y2022], { regionNames: REGION_NAMES }), "es-types-vs-directory");
    expect(without.table.rows[0]?.slice(3)).toEqual([null, null]);
    expect(
      drawnTexts(parseSvg(without.svg)).some((t) => t.startsWith("L'annuaire des structures n'a pas")),
    ).toBe(true);
  });

  it("orders the malicious types by count and states the share and year-on-year difference", () => {
    const types = byId(national, "malicious-types");
    expect(types.table.rows[0]?.slice(0, 2)).toEqual([
      "Compromission de comptes / vol d'identifiants (messagerie, VPN, AD, maintenance)",
      80,
    ]);
    const counts = types.table.rows.map((r) => r[1] as number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const evolution = byId(national, "malicious-types-evolution");
    expect(evolution.table.columns).toEqual(["Type", "2022", "2023", "Écart"]);
    expect(evolution.table.rows[0]?.slice(1)).toEqual([80, 80, 0]);
    const quarters = byId(national, "malicious-by-quarter");
    const malicious2023 = y2023.origin.counts.malicious;
    expect(quarters.table.rows[4]).toEqual(["Total", y2022.origin.counts.malicious, malicious2023]);
    expect(drawnTexts(parseSvg(evolution.svg))).toContain("2022 : 80");
    expect(drawnTexts(parseSvg(types.svg))).toContain(
      `80 (${Math.round((80 / malicious2023) * 100)}\u00a0%)`,
    );
  });

  it("writes with several series which year each value is (never colour alone)", () => {
    const texts = drawnTexts(parseSvg(byId(national, "origin").svg));
    const malicious = y2023.origin.counts.malicious;
    expect(texts).toContain(`2023 : ${fr(malicious)} (50\u00a0%)`);
    expect(texts).toContain(`2022 : ${fr(y2022.origin.counts.malicious)} (50\u00a0%)`);
  });

  it("groups the technical support's types under their origin", () => {
    const chart = byId(national, "technical-support-origin");
    expect(chart.table.columns).toEqual(["Origine", "Type", "Incidents 2023"]);
    expect(chart.table.rows).toHaveLength(18);
    expect(chart.table.rows.find((r) => r[1] === "Rançongiciel")).toEqual([
      "Malveillante",
      "Rançongiciel",
      25,
    ]);
    const texts = drawnTexts(parseSvg(chart.svg));
    expect(texts).toContain("Origine malveillante");
    expect(texts).toContain("Origine non malveillante");
    expect(texts).toContain("93 structures ont bénéficié d'un appui technique du CERT Santé.");
  });

  it("formats numbers the French way", () => {
    const big = sampleDocument(2023, 12345);
    const chart = byId(chartsFor(big, [y2022]), "key-figures");
    const texts = drawnTexts(parseSvg(chart.svg));
    expect(texts).toContain("12\u202f345");
    expect(texts).toContain("1\u202f028,8");
  });

  it("escapes every text it is given", () => {
    const hostile = "Région <b>\"mal\" & 'nommée'</b>\u0001";
    const doc = sampleDocument(2023, 581, { region: "76" });
    const charts = chartsFor(doc, [sampleDocument(2022, 592, { region: "76" })], {
      regionNames: { ...REGION_NAMES, "76": hostile },
    });
    for (const chart of charts.values()) {
      const root = parseSvg(chart.svg);
      expect(all(root, "b")).toEqual([]);
      expect(chart.population).toContain(hostile);
      // The source line carries the region's name, decoded back to what was given (minus the
      // control character XML cannot hold).
      expect(drawnTexts(root).join(" ")).toContain("Région <b>\"mal\" & 'nommée'</b>");
    }
    expect(escapeXml("a<b>&\"'")).toBe("a&lt;b&gt;&amp;&quot;&#39;");
    expect(escapeXml("x\u0000\u001f\ud800y\ud83d\ude00")).toBe("xy\ud83d\ude00");
  });

  it("draws a region's document without the maps of the regions", () => {
    const doc = sampleDocument(2023, 71, { region: "76" });
    const charts = chartsFor(doc, [sampleDocument(2022, 60, { region: "76" })]);
    expect(charts.has("regions-counts")).toBe(false);
    expect(charts.has("regions-activity-index")).toBe(false);
    for (const chart of charts.values())
      expect(chart.population).toContain("structures de la région Occitanie");
    // A national previous year is not this region's: no comparison.
    const mixed = chartsFor(doc, [sampleDocument(2022, 592)]);
    expect(byId(mixed, "declarations-by-month").table.columns).toEqual(["Mois", "2023"]);
    expect(mixed.has("malicious-types-evolution")).toBe(false);
  });

  it("draws a year without previous years, and a year without any declaration", () => {
    const alone = chartsFor(y2023, []);
    expect(byId(alone, "key-figures").table.columns).toEqual(["Indicateur", "2023"]);
    expect(byId(alone, "data-impacts").table.columns).toEqual([
      "Impact sur les données",
      "2023",
      "Part en 2023",
    ]);
    expect(alone.has("non-malicious-types-evolution")).toBe(false);
    expect(byId(alone, "declarations-by-month").title).toBe("Nombre de signalements par mois en 2023");

    const empty = chartsFor(emptyDocument(2024), [y2023]);
    expect(empty.size).toBe(national.size);
    for (const chart of empty.values()) {
      const root = parseSvg(chart.svg);
      expect(chart.svg).not.toMatch(/NaN|Infinity|undefined/);
      expect(Number(root.attributes.height)).toBeGreaterThan(100);
    }
    expect(byId(empty, "key-figures").table.rows[0]).toEqual(["Déclarations reçues", 581, 0]);
    expect(byId(empty, "state-at-declaration").table.rows[0]?.[3]).toBeNull();
  });

  it("accepts hand-made documents only as the contract shapes them", () => {
    expect(() => ObservatoryDocumentSchema.parse(y2023)).not.toThrow();
    expect(() => ObservatoryDocumentSchema.parse(emptyDocument(2024))).not.toThrow();
  });
});

describe("drawing kit", () => {
  it("writes the scale's bounds once each, as whole numbers for counts", () => {
    const doc = emptyDocument(2023);
    const grid = doc.timing.heatmap.map((row) => row.map(() => 0));
    const monday = grid[0];
    if (monday) monday[10] = 3;
    const charts = chartsFor(
      ObservatoryDocumentSchema.parse({ ...doc, timing: { ...doc.timing, heatmap: grid } }),
    );
    const texts = drawnTexts(parseSvg(byId(charts, "declarations-by-weekday-hour").svg));
    const bounds = texts.filter((t) => t.startsWith("≤"));
    // 3 × ¼, ½, ¾, 1 rounded up: 1, 2, 3, 3 — the last written once.
    expect(bounds).toEqual(["≤ 1", "≤ 2", "≤ 3"]);
  });

  it("text written on a shaded fill always has at least 4.5:1 contrast", () => {
    for (let value = 0; value <= 200; value++) {
      const fill = scaleFill(value, 200);
      expect(contrast(fill, value === 0 ? colours.text : textOn(fill)), fill).toBeGreaterThanOrEqual(4.5);
    }
    expect(scaleFill(0, 10)).toBe(colours.white);
    expect(scaleFill(10, 10)).toBe(colours.blue);
  });

  it("bars and secondary text stand out from the white background", () => {
    expect(contrast(colours.blue, colours.white)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours.blueLight, colours.white)).toBeGreaterThanOrEqual(3);
    expect(contrast(colours.text, colours.white)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.mention, colours.white)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(colours.axis, colours.white)).toBeGreaterThanOrEqual(4.5);
  });

  it("wraps labels at spaces, hyphens and slashes without losing a character", () => {
    const label = "Compromission de comptes / vol d'identifiants (messagerie, VPN, AD, maintenance)";
    const lines = wrap(label, 160, 12);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe(label);
    expect(wrap("Provence-Alpes-Côte d'Azur", 100, 11)).toEqual(["Provence-Alpes-", "Côte d'Azur"]);
    expect(wrap("Corse", 100, 11)).toEqual(["Corse"]);
    expect(wrap("", 100, 11)).toEqual([""]);
  });
});
