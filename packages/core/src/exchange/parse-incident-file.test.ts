import { describe, expect, it } from "vitest";
import { withFinessCheckDigit } from "../directory/finess.ts";
import { INCIDENT_CSV_COLUMNS, incidentFormatFromName, parseIncidentFile } from "./parse-incident-file.ts";
import { ProblemList } from "./problems.ts";

const FINESS = withFinessCheckDigit("69000001");

function line(reference: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reference,
    declared_at: "2023-06-01T08:00:00Z",
    structure: { finess_et: FINESS, type: "es_public", region: "84" },
    ...extra,
  });
}

function parse(input: string | Uint8Array, format: "jsonl" | "csv" = "jsonl") {
  const problems = new ProblemList(50);
  const parsed = parseIncidentFile(input, format, problems);
  return { parsed, problems: problems.items, truncated: problems.truncated };
}

describe("JSON Lines", () => {
  it("reads LF and CRLF lines, skips blank ones and keeps physical line numbers", () => {
    const text = `\uFEFF${line("A")}\r\n\r\n   \n${line("B")}\n\n${line("C")}\r\n`;
    const { parsed, problems } = parse(text);
    expect(problems).toEqual([]);
    expect(parsed.records.map((r) => r.reference)).toEqual(["A", "B", "C"]);
    expect(parsed.lines).toEqual([1, 4, 6]);
    expect(parsed.read).toBe(3);
    // Defaults of the format are applied.
    expect(parsed.records[0]).toMatchObject({
      channel: "portal",
      out_of_scope: false,
      state_at_declaration: "unknown",
      tlp: "amber",
      malicious_types: [],
      structure: { ose: false, oiv: false, ght_support: false },
    });
  });

  it("names the line and the field of every shape problem, in French", () => {
    const text = [
      line("A"),
      "",
      "{not json",
      line("B", { colour: "red", structure: { finess_et: FINESS, type: "chu", region: "84", town: "Lyon" } }),
      line("C", {
        malicious_types: ["ransomware", "sabotage"],
        persons_affected: 1.5,
        declared_at: "2023-06-01",
      }),
      "[1,2]",
      JSON.stringify({ declared_at: "2023-06-01T08:00:00+02:00" }),
    ].join("\n");
    const { parsed, problems } = parse(text);
    expect(parsed.records.map((r) => r.reference)).toEqual(["A"]);
    expect(parsed.read).toBe(6);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [3, ""],
      [4, "structure.type"],
      [4, "structure.town"],
      [4, "colour"],
      [5, "declared_at"],
      [5, "malicious_types[1]"],
      [5, "persons_affected"],
      [6, ""],
      [7, "reference"],
      [7, "structure"],
    ]);
    const byPath = new Map(problems.map((p) => [`${p.line} ${p.path}`, p.message]));
    expect(byPath.get("3 ")).toMatch(/^JSON invalide/);
    expect(byPath.get("4 colour")).toContain("Champ inconnu « colour »");
    expect(byPath.get("4 structure.type")).toContain("« chu » inconnue");
    expect(byPath.get("5 declared_at")).toContain("RFC 3339");
    expect(byPath.get("5 persons_affected")).toContain("entier");
    expect(byPath.get("7 reference")).toBe("Champ obligatoire absent.");
  });

  it("refuses bytes that are not UTF-8, naming the line", () => {
    const bytes = Buffer.concat([
      Buffer.from(`${line("A")}\n`),
      Buffer.from(`${line("B").slice(0, -2)}`),
      Buffer.from([0xe9]),
      Buffer.from('"}\n'),
    ]);
    const { parsed, problems } = parse(bytes);
    expect(parsed.records).toEqual([]);
    expect(problems).toEqual([{ line: 2, path: "", message: "Le fichier doit être encodé en UTF-8." }]);
  });

  it("reports the first problems by line up to the limit and says it truncated", () => {
    const text = Array.from({ length: 60 }, (_, i) => line(`R${i}`, { tlp: "purple" })).join("\n");
    const { problems, truncated } = parse(text);
    expect(problems).toHaveLength(50);
    expect(problems[0]).toMatchObject({ line: 1, path: "tlp" });
    expect(problems[49]).toMatchObject({ line: 50, path: "tlp" });
    expect(truncated).toBe(true);
  });

  it("chooses the variant from the file name", () => {
    expect(incidentFormatFromName("export.CSV")).toBe("csv");
    expect(incidentFormatFromName("export.jsonl")).toBe("jsonl");
    expect(incidentFormatFromName("export.ndjson")).toBe("jsonl");
  });
});

describe("CSV", () => {
  const header =
    "reference,declared_at,structure.finess_et,structure.type,structure.region,structure.ose,origin,malicious_types,degraded_mode_hours,persons_affected,description,tlp";

  it("reads structure.* columns, lists joined with |, booleans, numbers, and empty cells as absent", () => {
    const text = [
      header,
      `CS-2023-000001,2023-06-01T08:00:00Z,${FINESS},es_public,84,true,malicious,ransomware|data_leak,1.5,120,"Texte, avec virgule",red`,
      "",
      `CS-2023-000002,2023-06-02T08:00:00Z,${FINESS},esms,84,,,,,,"Sur deux\r\nlignes ""citées""",`,
      `CS-2023-000003,2023-06-03T08:00:00Z,${FINESS},esms,84,false,,,"2,5",,,`,
    ].join("\r\n");
    const { parsed, problems } = parse(text, "csv");
    expect(problems).toEqual([]);
    expect(parsed.lines).toEqual([2, 4, 6]);
    const [a, b, c] = parsed.records;
    expect(a).toMatchObject({
      reference: "CS-2023-000001",
      structure: { finess_et: FINESS, type: "es_public", region: "84", ose: true },
      origin: "malicious",
      malicious_types: ["ransomware", "data_leak"],
      degraded_mode_hours: 1.5,
      persons_affected: 120,
      description: "Texte, avec virgule",
      tlp: "red",
    });
    expect(b).toMatchObject({ malicious_types: [], tlp: "amber", description: 'Sur deux\nlignes "citées"' });
    expect(b?.origin ?? null).toBeNull();
    expect(b?.structure.ose).toBe(false);
    expect(c?.degraded_mode_hours).toBe(2.5);
  });

  it("accepts a semicolon-separated file (spreadsheets set to French)", () => {
    const text = [header.replaceAll(",", ";"), `X;2023-06-01T08:00:00Z;${FINESS};lbm;84;;;;;;a, b;`].join(
      "\n",
    );
    const { parsed, problems } = parse(text, "csv");
    expect(problems).toEqual([]);
    expect(parsed.records[0]).toMatchObject({ reference: "X", description: "a, b" });
  });

  it("refuses unknown columns in the header, naming them", () => {
    const { parsed, problems } = parse(
      `reference,structure.finess_et,structure.town,colour\nA,${FINESS},Lyon,red`,
      "csv",
    );
    expect(parsed.records).toEqual([]);
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [1, "structure.town"],
      [1, "colour"],
    ]);
  });

  it("names the line and field of bad cells, and rows of the wrong width", () => {
    const text = [
      header,
      `A,2023-06-01T08:00:00Z,${FINESS},es_public,84,yes,malicious,ransomware|,x,,,`,
      `B,2023-06-01T08:00:00Z,${FINESS},es_public`,
    ].join("\n");
    const { problems } = parse(text, "csv");
    expect(problems.map((p) => [p.line, p.path])).toEqual([
      [2, "structure.ose"],
      [2, "malicious_types[1]"],
      [2, "degraded_mode_hours"],
      [3, ""],
    ]);
    expect(problems[0]?.message).toContain("booléen (true ou false)");
    expect(problems[3]?.message).toBe("4 colonnes au lieu des 12 de l'en-tête.");
  });

  it("reports a quote left open", () => {
    const { problems } = parse(`${header}\nA,"unclosed`, "csv");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain("guillemet ouvert");
  });

  it("lists every accepted column", () => {
    expect(INCIDENT_CSV_COLUMNS).toContain("structure.finess_et");
    expect(INCIDENT_CSV_COLUMNS).toContain("complement_answered_at");
    expect(INCIDENT_CSV_COLUMNS).not.toContain("structure");
    expect(INCIDENT_CSV_COLUMNS).toHaveLength(29 - 1 + 9);
  });
});
