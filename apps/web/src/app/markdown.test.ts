import { describe, expect, it } from "vitest";
import { parseMarkdown } from "./markdown.tsx";

describe("Markdown des fiches réflexes", () => {
  it("reconnaît titres, listes imbriquées, citations, code et paragraphes", () => {
    const blocks = parseMarkdown(
      [
        "## 1. Isoler sans éteindre",
        "- Débranchez du réseau,",
        "  mais n'éteignez pas.",
        "  - Ni le Wi-Fi.",
        "- Ne branchez aucun support.",
        "",
        "3. Troisième point",
        "4. Quatrième",
        "",
        "> Ne payez pas.",
        "",
        "```",
        "netstat -ano",
        "```",
        "---",
        "Un paragraphe",
        "sur deux lignes.",
      ].join("\n"),
    );
    expect(blocks).toEqual([
      { type: "heading", level: 2, text: "1. Isoler sans éteindre" },
      {
        type: "list",
        ordered: false,
        start: 1,
        items: [
          {
            text: "Débranchez du réseau, mais n'éteignez pas.",
            children: [
              { type: "list", ordered: false, start: 1, items: [{ text: "Ni le Wi-Fi.", children: [] }] },
            ],
          },
          { text: "Ne branchez aucun support.", children: [] },
        ],
      },
      {
        type: "list",
        ordered: true,
        start: 3,
        items: [
          { text: "Troisième point", children: [] },
          { text: "Quatrième", children: [] },
        ],
      },
      { type: "quote", text: "Ne payez pas." },
      { type: "code", text: "netstat -ano" },
      { type: "rule" },
      { type: "paragraph", text: "Un paragraphe sur deux lignes." },
    ]);
  });

  it("laisse le texte brut tel quel (pas de HTML interprété)", () => {
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([
      { type: "paragraph", text: "<script>alert(1)</script>" },
    ]);
  });
});
