import { DeclarationListQuery } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { emptyFilters, filtersFromParams, pageFromParams, paramsFromFilters, withPage } from "./params.ts";

describe("the queue's filters in the URL", () => {
  it("reads repeated and comma-separated lists, yes/no filters and text", () => {
    const filters = filtersFromParams(
      new URLSearchParams(
        "status=new,triage&status=new&region=11&overdue=true&qualified=maybe&q= café &page=2",
      ),
    );
    expect(filters).toEqual({
      ...emptyFilters,
      status: ["new", "triage"],
      region: ["11"],
      overdue: "true",
      q: "café",
    });
  });

  it("writes a stable query string without defaults nor page, that the API accepts", () => {
    const params = paramsFromFilters({
      ...emptyFilters,
      region: ["84", "11"],
      status: ["in_progress"],
      q: " hameçonnage ",
      supportRequested: "false",
      assignee: "none",
      sort: "declared_asc",
    });
    expect(params.toString()).toBe(
      "q=hame%C3%A7onnage&status=in_progress&region=84&region=11&supportRequested=false&assignee=none&sort=declared_asc",
    );
    expect(paramsFromFilters({ ...emptyFilters, sort: "declared_desc" }).toString()).toBe("");
    const parsed = DeclarationListQuery.safeParse({
      status: params.getAll("status"),
      region: params.getAll("region"),
      q: params.get("q"),
      supportRequested: params.get("supportRequested"),
      assignee: params.get("assignee"),
      sort: params.get("sort"),
    });
    expect(parsed.success).toBe(true);
    // Round trip.
    expect(paramsFromFilters(filtersFromParams(params)).toString()).toBe(params.toString());
  });

  it("reads and writes the page", () => {
    expect(pageFromParams(new URLSearchParams("page=3"))).toBe(3);
    expect(pageFromParams(new URLSearchParams("page=-1"))).toBe(1);
    expect(pageFromParams(new URLSearchParams("page=abc"))).toBe(1);
    expect(withPage(new URLSearchParams("status=new&page=4"), 1).toString()).toBe("status=new");
    expect(withPage(new URLSearchParams("status=new"), 2).toString()).toBe("status=new&page=2");
  });
});
