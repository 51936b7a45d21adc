import { AppError } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { LeakListParser, normaliseLeakedAddress, parseLeakList } from "./parse-leak-list.ts";

const SECRET = "Tr0ub4dor&3-Zebulon";
const BCRYPT = "$2y$10$abcdefghijklmnopqrstuu5y1xK1m2n3o4p5q6r7s8t9u0v1w2x3y";
const SHA1 = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";

/** Every value the parser returns, as one text: no secret may appear in it. */
function everything(value: unknown): string {
  return JSON.stringify(value);
}

describe("normaliseLeakedAddress", () => {
  it("trims, lower-cases and converts international domains", () => {
    expect(normaliseLeakedAddress("  Jean.Dupont@CH-Essai.FR ")).toBe("jean.dupont@ch-essai.fr");
    expect(normaliseLeakedAddress("<a@b.fr>")).toBe("a@b.fr");
    expect(normaliseLeakedAddress("mailto:a@b.fr")).toBe("a@b.fr");
    expect(normaliseLeakedAddress("a@hôpital.fr")).toBe("a@xn--hpital-ixa.fr");
    expect(normaliseLeakedAddress("a@b.fr.")).toBe("a@b.fr");
  });
  it("refuses what is not an address", () => {
    for (const bad of [
      "",
      "@b.fr",
      "a@",
      "a@b",
      "a b@c.fr",
      "a..b@c.fr",
      ".a@c.fr",
      "a@-b.fr",
      `${"x".repeat(65)}@b.fr`,
    ]) {
      expect(normaliseLeakedAddress(bad), bad).toBeNull();
    }
  });
});

describe("parseLeakList", () => {
  it("reads one address per line and every separator of combolists, keeping only the address", () => {
    const parsed = parseLeakList(
      [
        "one@ch-a.fr",
        `two@ch-a.fr:${SECRET}`,
        `three@ch-a.fr;${BCRYPT}`,
        `four@ch-a.fr,${SHA1}`,
        `five@ch-a.fr\t${SECRET}`,
        `six@ch-a.fr|${SECRET}`,
        `"seven@ch-a.fr","${SECRET}"`,
        "",
        `ONE@CH-A.FR:${SECRET}`,
      ].join("\r\n"),
    );
    expect(parsed.format).toBe("lines");
    expect(parsed.addresses).toEqual([
      "one@ch-a.fr",
      "two@ch-a.fr",
      "three@ch-a.fr",
      "four@ch-a.fr",
      "five@ch-a.fr",
      "six@ch-a.fr",
      "seven@ch-a.fr",
    ]);
    expect(parsed).toMatchObject({ lines: 8, rejected: 0, problems: [] });
    expect(everything(parsed)).not.toContain(SECRET);
  });

  it("reports rejected lines by number only, never their content", () => {
    const parsed = parseLeakList(
      ["ok@ch-a.fr:x", `${SECRET}:ok@ch-a.fr`, `bad@@ch-a.fr:${SECRET}`, `nope@localhost:${BCRYPT}`].join(
        "\n",
      ),
    );
    expect(parsed.addresses).toEqual(["ok@ch-a.fr"]);
    expect(parsed.rejected).toBe(3);
    expect(parsed.problems).toEqual([
      { line: 2, message: "Aucune adresse de messagerie en début de ligne." },
      { line: 3, message: "Adresse de messagerie invalide." },
      { line: 4, message: "Adresse de messagerie invalide." },
    ]);
    expect(everything(parsed)).not.toContain(SECRET);
    expect(everything(parsed)).not.toContain(BCRYPT);
  });

  it("reads CSV with a header naming the address column, whatever the delimiter and quoting", () => {
    const parsed = parseLeakList(
      [
        "id;Nom;Courriel;Mot de passe",
        `1;Dupont;jean@ch-a.fr;${SECRET}`,
        `2;"Martin; Paul";paul@ch-a.fr;"${SECRET};with""quotes"""`,
        `3;"Sur deux`,
        `lignes";marie@ch-a.fr;${SHA1}`,
        `4;Vide;;${SECRET}`,
        `5;Faux;pas-une-adresse;${SECRET}`,
      ].join("\n"),
    );
    expect(parsed.format).toBe("csv");
    expect(parsed.addresses).toEqual(["jean@ch-a.fr", "paul@ch-a.fr", "marie@ch-a.fr"]);
    expect(parsed.lines).toBe(5);
    expect(parsed.problems).toEqual([
      { line: 6, column: "Courriel", message: "Colonne de l'adresse vide." },
      { line: 7, column: "Courriel", message: "Adresse de messagerie invalide." },
    ]);
    expect(everything(parsed)).not.toContain(SECRET);
    expect(everything(parsed)).not.toContain(SHA1);
  });

  it("prefers an e-mail column to a login column", () => {
    const parsed = parseLeakList(`username,email,password\njdupont,jean@ch-a.fr,${SECRET}\n`);
    expect(parsed.addresses).toEqual(["jean@ch-a.fr"]);
    expect(parsed.format).toBe("csv");
  });

  it("reads a JSON list of strings or objects, element by element, with the line of each", () => {
    const parsed = parseLeakList(
      [
        "[",
        `  {"E-mail": "Jean@CH-A.fr", "password": "${SECRET}"},`,
        `  "paul@ch-a.fr", {"login": "marie@ch-a.fr", "hash": "${BCRYPT}",`,
        `    "nested": {"a": [1, "]", "}"]}},`,
        `  {"password": "${SECRET}"},`,
        `  {"mail": "invalide", "pwd": "${SECRET}"},`,
        "  42",
        "]",
      ].join("\n"),
    );
    expect(parsed.format).toBe("json");
    expect(parsed.addresses).toEqual(["jean@ch-a.fr", "paul@ch-a.fr", "marie@ch-a.fr"]);
    expect(parsed.lines).toBe(6);
    expect(parsed.problems).toEqual([
      {
        line: 5,
        message: "Aucun champ d'adresse de messagerie (email, mail, courriel, login…) dans cet élément.",
      },
      { line: 6, column: "mail", message: "Adresse de messagerie invalide." },
      { line: 7, message: "Chaque ligne doit être un objet JSON ({…}) ou une adresse entre guillemets." },
    ]);
    expect(everything(parsed)).not.toContain(SECRET);
  });

  it("reports an unreadable or unfinished JSON list without quoting it", () => {
    const parsed = parseLeakList(`["a@ch-a.fr", {"email": "b@ch-a.fr", "p": "${SECRET}" oops}, "c@ch-a.fr"`);
    expect(parsed.addresses).toEqual(["a@ch-a.fr", "c@ch-a.fr"]);
    expect(parsed.problems).toEqual([
      { line: 1, message: "Élément JSON illisible." },
      { line: 1, message: "Liste JSON non terminée (« ] » manquant)." },
    ]);
    expect(everything(parsed)).not.toContain(SECRET);
  });

  it("reads JSON Lines", () => {
    const parsed = parseLeakList(
      `{"email":"a@ch-a.fr","password":"${SECRET}"}\n{"email":"b@ch-a.fr"}\n{oops ${SECRET}\n`,
    );
    expect(parsed.format).toBe("jsonl");
    expect(parsed.addresses).toEqual(["a@ch-a.fr", "b@ch-a.fr"]);
    expect(parsed.problems).toEqual([{ line: 3, message: "Élément JSON illisible." }]);
    expect(everything(parsed)).not.toContain(SECRET);
  });

  it("takes bytes, ignores a byte-order mark, and lists at most the configured number of problems", () => {
    const text = `\uFEFFa@ch-a.fr\n${Array.from({ length: 10 }, () => "x").join("\n")}`;
    const parsed = parseLeakList(new TextEncoder().encode(text), { maxProblems: 3 });
    expect(parsed.addresses).toEqual(["a@ch-a.fr"]);
    expect(parsed).toMatchObject({ rejected: 10, problemsTruncated: true });
    expect(parsed.problems).toHaveLength(3);
  });

  it("refuses a list past the line limit with a French error", () => {
    const error = (() => {
      try {
        parseLeakList("a@ch-a.fr\nb@ch-a.fr\nc@ch-a.fr", { maxLines: 2 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("LEAK_LIST_TOO_LARGE");
    expect((error as AppError).message).toMatch(/2 lignes au plus/);
  });

  it("is a push parser: lines can be fed one by one", () => {
    const parser = new LeakListParser();
    parser.line("email,password");
    parser.line(`a@ch-a.fr,${SECRET}`);
    expect(parser.finish()).toMatchObject({ format: "csv", addresses: ["a@ch-a.fr"], lines: 1 });
  });
});
