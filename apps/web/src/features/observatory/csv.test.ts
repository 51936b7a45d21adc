import { describe, expect, it } from "vitest";
import { csvField, downloadName, tableToCsv } from "./downloads.ts";

describe("CSV of a chart's table", () => {
  it("writes the BOM, the columns, one line per row with « ; » and CRLF", () => {
    const csv = tableToCsv({
      caption: "Déclarations par mois",
      columns: ["Mois", "2022", "2023"],
      rows: [
        ["Janvier", 50, 48],
        ["Total", 592, null],
      ],
    });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe("Mois;2022;2023\r\nJanvier;50;48\r\nTotal;592;\r\n");
  });

  it("quotes what must be quoted and never lets a field become a formula", () => {
    expect(csvField('Autre (envoi de clés USB ; "test")')).toBe('"Autre (envoi de clés USB ; ""test"")"');
    expect(csvField("ligne\nsuivante")).toBe('"ligne\nsuivante"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-3")).toBe("'-3");
    expect(csvField(-3)).toBe("-3");
    expect(csvField("28,4\u00a0%")).toBe("28,4\u00a0%");
    expect(csvField(null)).toBe("");
  });

  it("names the files after the year, the region and the chart", () => {
    expect(downloadName("origin", 2023, null, "png")).toBe("observatoire-2023-national-origin.png");
    expect(downloadName("origin", 2023, "76", "csv")).toBe("observatoire-2023-region-76-origin.csv");
  });
});
