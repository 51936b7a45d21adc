import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AdditiveGroup,
  type CellStatus,
  type DisclosureTable,
  linearlyDeterminedCells,
  propagateBounds,
  protectTable,
} from "./disclosure-control.ts";

// ---------------------------------------------------------------------------------------------
// The attackers, written independently of the module: they read only the published values and
// the statuses, as a reader of the open data would.

/** What a reader sees: published values, `null` for withheld cells. */
function publishedView(table: DisclosureTable, status: readonly CellStatus[]): Array<number | null> {
  return table.values.map((v, i) => (status[i] === "published" ? v : null));
}

/**
 * Subtraction: in a group whose other cells are all known, the last one is the total minus the
 * members (or the sum of the members). Repeated with what it learns, to a fixed point. Returns
 * the withheld cells it recomputed, with the value it found.
 */
function subtractionAttack(table: DisclosureTable, status: readonly CellStatus[]): Map<number, number> {
  const known = publishedView(table, status);
  const found = new Map<number, number>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const group of table.groups) {
      const cells = [group.total, ...group.members];
      const unknown = cells.filter((c) => known[c] === null);
      if (unknown.length !== 1) continue;
      const cell = unknown[0] as number;
      const membersKnown = group.members.reduce((s, m) => s + (m === cell ? 0 : (known[m] as number)), 0);
      const value = cell === group.total ? membersKnown : (known[group.total] as number) - membersKnown;
      known[cell] = value;
      found.set(cell, value);
      progress = true;
    }
  }
  return found;
}

/** Exact rationals for the elimination attacker. */
class Fraction {
  constructor(
    readonly n: bigint,
    readonly d: bigint = 1n,
  ) {}
  static of(n: bigint, d: bigint): Fraction {
    if (d < 0n) return Fraction.of(-n, -d);
    const g = gcd(n < 0n ? -n : n, d);
    return new Fraction(n / g, d / g);
  }
  isZero(): boolean {
    return this.n === 0n;
  }
  sub(o: Fraction): Fraction {
    return Fraction.of(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Fraction): Fraction {
    return Fraction.of(this.n * o.n, this.d * o.d);
  }
  div(o: Fraction): Fraction {
    return Fraction.of(this.n * o.d, this.d * o.n);
  }
}
function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

/**
 * Linear algebra, exactly: the withheld cells whose value follows from any combination of the
 * groups' equations (the cell's unit vector lies in the row space of the equations restricted to
 * the withheld cells).
 */
function eliminationAttack(table: DisclosureTable, status: readonly CellStatus[]): number[] {
  const unknown = table.values.map((_, i) => i).filter((i) => status[i] !== "published");
  const column = new Map(unknown.map((c, i) => [c, i]));
  const rows: Fraction[][] = table.groups.map((group) => {
    const row = unknown.map(() => new Fraction(0n));
    if (column.has(group.total)) row[column.get(group.total) as number] = new Fraction(1n);
    for (const m of group.members) if (column.has(m)) row[column.get(m) as number] = new Fraction(-1n);
    return row;
  });
  const pivotRow: number[] = unknown.map(() => -1);
  let rank = 0;
  for (let col = 0; col < unknown.length; col++) {
    const r = rows.findIndex((row, i) => i >= rank && !(row[col] as Fraction).isZero());
    if (r === -1) continue;
    [rows[rank], rows[r]] = [rows[r] as Fraction[], rows[rank] as Fraction[]];
    const p = rows[rank] as Fraction[];
    const pv = p[col] as Fraction;
    for (let k = 0; k < p.length; k++) p[k] = (p[k] as Fraction).div(pv);
    rows.forEach((row, i) => {
      if (i === rank || (row[col] as Fraction).isZero()) return;
      const f = row[col] as Fraction;
      for (let k = 0; k < row.length; k++) row[k] = (row[k] as Fraction).sub(f.mul(p[k] as Fraction));
    });
    pivotRow[col] = rank++;
  }
  return unknown.filter((_, i) => {
    const r = pivotRow[i] as number;
    if (r === -1) return false;
    const row = rows[r] as Fraction[];
    return row.every((v, k) => k === i || v.isZero());
  });
}

/**
 * Bounds a reader knows from the rules (a `primary` cell is 1–4, or 0–4 under a withheld total
 * where zeros are withheld too; a `secondary` one at least 5), narrowed through every group to
 * a fixed point. Returns the non-zero primary cells left with a single possible value.
 */
function boundsAttack(
  table: DisclosureTable,
  status: readonly CellStatus[],
  { zerosAlwaysPublished = false } = {},
): number[] {
  const underWithheldTotal = new Set<number>();
  for (const g of table.groups) {
    if (status[g.total] !== "published" && !zerosAlwaysPublished)
      for (const m of g.members) underWithheldTotal.add(m);
  }
  const lo = table.values.map((v, i) =>
    status[i] === "published" ? v : status[i] === "primary" ? (underWithheldTotal.has(i) ? 0 : 1) : 5,
  );
  const hi = table.values.map((v, i) =>
    status[i] === "published" ? v : status[i] === "primary" ? 4 : Number.POSITIVE_INFINITY,
  );
  for (let changed = true, rounds = 0; changed && rounds < 10_000; rounds++) {
    changed = false;
    for (const g of table.groups) {
      const sumLo = g.members.reduce((s, m) => s + (lo[m] as number), 0);
      const sumHi = g.members.reduce((s, m) => s + (hi[m] as number), 0);
      const narrow = (c: number, l: number, h: number) => {
        if (l > (lo[c] as number)) {
          lo[c] = l;
          changed = true;
        }
        if (h < (hi[c] as number)) {
          hi[c] = h;
          changed = true;
        }
      };
      narrow(g.total, sumLo, sumHi);
      for (const m of g.members) {
        const othersHi = g.members.reduce((s, o) => s + (o === m ? 0 : (hi[o] as number)), 0);
        narrow(m, (lo[g.total] as number) - othersHi, (hi[g.total] as number) - (sumLo - (lo[m] as number)));
      }
    }
  }
  // A withheld zero found to be 0 tells nothing of a structure.
  return table.values
    .map((_, i) => i)
    .filter((i) => status[i] === "primary" && table.values[i] !== 0 && lo[i] === hi[i]);
}

// ---------------------------------------------------------------------------------------------
// Random tables shaped like the observatory's: incidents with a region, a month-like modality
// (K values), its coarser "quarter" (pairs of months), and a set of multi-valued types; one row
// of cells per region plus the national row.

interface Incident {
  region: number;
  month: number;
  types: number[];
}

interface Shape {
  regions: number;
  months: number;
  types: number;
}

function observatoryLikeTable(shape: Shape, incidents: readonly Incident[]): DisclosureTable {
  const quarters = Math.ceil(shape.months / 2);
  const perRow = 1 + shape.months + quarters + shape.types;
  const rows = shape.regions + 1; // row 0: national
  const values = new Array<number>(rows * perRow).fill(0);
  const at = (row: number, offset: number) => row * perRow + offset;
  const total = (row: number) => at(row, 0);
  const month = (row: number, m: number) => at(row, 1 + m);
  const quarter = (row: number, q: number) => at(row, 1 + shape.months + q);
  const type = (row: number, t: number) => at(row, 1 + shape.months + quarters + t);
  const add = (cell: number) => {
    values[cell] = (values[cell] as number) + 1;
  };
  for (const incident of incidents) {
    for (const row of [0, incident.region + 1]) {
      add(total(row));
      add(month(row, incident.month));
      add(quarter(row, Math.floor(incident.month / 2)));
      for (const t of incident.types) add(type(row, t));
    }
  }
  const groups: AdditiveGroup[] = [];
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  for (const row of range(rows)) {
    groups.push({ total: total(row), members: range(shape.months).map((m) => month(row, m)) });
    groups.push({ total: total(row), members: range(quarters).map((q) => quarter(row, q)) });
    for (const q of range(quarters)) {
      const months = [2 * q, 2 * q + 1].filter((m) => m < shape.months);
      groups.push({ total: quarter(row, q), members: months.map((m) => month(row, m)) });
    }
  }
  for (const offset of range(perRow)) {
    groups.push({ total: at(0, offset), members: range(shape.regions).map((r) => at(r + 1, offset)) });
  }
  // The national row is withheld last, as in the observatory.
  return { values, groups, tiers: values.map((_, c) => (c < perRow ? 1 : 0)) };
}

const shapeArb = fc.record({
  regions: fc.integer({ min: 1, max: 6 }),
  months: fc.integer({ min: 2, max: 6 }),
  types: fc.integer({ min: 0, max: 3 }),
});

const tableArb = shapeArb.chain((shape) =>
  fc
    .array(
      fc.record({
        // Uneven: the first regions get a handful of incidents, the last ones most.
        region: fc
          .integer({ min: 0, max: shape.regions * shape.regions - 1 })
          .map((x) => Math.floor(Math.sqrt(x))),
        month: fc.integer({ min: 0, max: shape.months - 1 }),
        types: fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, shape.types - 1) }), {
          maxLength: shape.types,
        }),
      }),
      { maxLength: 120 },
    )
    .map((incidents) => observatoryLikeTable(shape, incidents)),
);

describe("protectTable — properties on random tables", () => {
  it("publishes no count between 1 and 4 and leaves nothing to recompute", () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const { status, unresolved } = protectTable(table);
        expect(unresolved).toEqual([]);
        table.values.forEach((v, i) => {
          if (status[i] === "published") expect(v === 0 || v >= 5).toBe(true);
          if (v > 0 && v < 5) expect(status[i]).toBe("primary");
          if (status[i] === "secondary") expect(v).toBeGreaterThanOrEqual(5);
        });
        // Subtraction (the brief's attacker): no withheld cell comes back, not even by steps.
        expect([...subtractionAttack(table, status).keys()]).toEqual([]);
        for (const group of table.groups) {
          const withheld = [group.total, ...group.members].filter((c) => status[c] !== "published");
          expect(withheld.length).not.toBe(1);
        }
        // Exact linear algebra and bounds: no primary cell pinned.
        const primaries = new Set(status.flatMap((s, i) => (s === "primary" ? [i] : [])));
        const exposed = eliminationAttack(table, status).filter(
          (c) => primaries.has(c) && table.values[c] !== 0,
        );
        expect(exposed).toEqual([]);
        expect(boundsAttack(table, status)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  }, 120_000);

  it("is deterministic", () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        expect(protectTable(table).status).toEqual(protectTable(table).status);
      }),
      { numRuns: 100 },
    );
  });
});

describe("protectTable — worked examples", () => {
  it("publishes a table with no small count untouched, zeros included", () => {
    // total 20 = 12 + 8 + 0
    const { status } = protectTable({ values: [20, 12, 8, 0], groups: [{ total: 0, members: [1, 2, 3] }] });
    expect(status).toEqual(["published", "published", "published", "published"]);
  });

  it("withholds a lone small count and the next smallest cell of its group", () => {
    // total 30 = 3 + 7 + 20: 3 is primary; alone, 30 − 7 − 20 gives it back, so 7 goes too.
    const { status } = protectTable({ values: [30, 3, 7, 20], groups: [{ total: 0, members: [1, 2, 3] }] });
    expect(status).toEqual(["published", "primary", "secondary", "published"]);
  });

  it("takes a complement from a lower tier first", () => {
    // Same group, but 7 is in tier 1 (a national figure): 20 is withheld instead.
    const { status } = protectTable({
      values: [30, 3, 7, 20],
      groups: [{ total: 0, members: [1, 2, 3] }],
      tiers: [0, 0, 1, 0],
    });
    expect(status).toEqual(["published", "primary", "published", "secondary"]);
  });

  it("does not stop at two withheld cells whose sum pins them (1 + 1)", () => {
    // 22 = 1 + 1 + 20: withholding both 1s leaves their sum 2, hence 1 and 1. 20 goes too.
    const table = { values: [22, 1, 1, 20], groups: [{ total: 0, members: [1, 2, 3] }] };
    expect(subtractionAttack(table, ["published", "primary", "primary", "published"]).size).toBe(0);
    expect(boundsAttack(table, ["published", "primary", "primary", "published"])).toEqual([1, 2]);
    const { status } = protectTable(table);
    expect(status).toEqual(["published", "primary", "primary", "secondary"]);
  });

  it("does not let a complement of 5 pin a primary 1 (1 + 5 = 6)", () => {
    // 26 = 1 + 5 + 20: with 1 and 5 withheld their sum is 6; a complement is at least 5, so the
    // primary would be exactly 1. 20 is withheld as well.
    const { status } = protectTable({ values: [26, 1, 5, 20], groups: [{ total: 0, members: [1, 2, 3] }] });
    expect(status).toEqual(["published", "primary", "secondary", "secondary"]);
  });

  it("closes a 2 × 2 rectangle in a table with margins", () => {
    //            m0  m1  m2 | total
    // region A:   2  10  30 |  42
    // region B:  12  15  40 |  67
    // national:  14  25  70 | 109
    const v = [42, 2, 10, 30, 67, 12, 15, 40, 109, 14, 25, 70];
    const groups: AdditiveGroup[] = [
      { total: 0, members: [1, 2, 3] },
      { total: 4, members: [5, 6, 7] },
      { total: 8, members: [9, 10, 11] },
      { total: 8, members: [0, 4] },
      { total: 9, members: [1, 5] },
      { total: 10, members: [2, 6] },
      { total: 11, members: [3, 7] },
    ];
    const { status } = protectTable({ values: v, groups });
    const withheld = status.flatMap((s, i) => (s === "published" ? [] : [i]));
    // 2 (primary), then in its row the smallest, 10; in its column 12; then 15 closes the rectangle.
    expect(withheld).toEqual([1, 2, 5, 6]);
    expect(status[1]).toBe("primary");
  });

  it("withholds the zeros under a withheld total, so four withheld 1s do not reveal themselves", () => {
    // Region total 4 over six months: 1,1,1,1,0,0. Published zeros would tell each withheld
    // month is ≥ 1, and four of them under a total ≤ 4 are all exactly 1.
    const values = [4, 1, 1, 1, 1, 0, 0];
    const groups = [{ total: 0, members: [1, 2, 3, 4, 5, 6] }];
    const { status } = protectTable({ values, groups });
    expect(status).toEqual(Array(7).fill("primary"));
    expect(boundsAttack({ values, groups }, status)).toEqual([]);
    // Had the zeros been published (a withheld cell then being ≥ 1), the bounds would give
    // everything away.
    const leaky: CellStatus[] = [
      "primary",
      "primary",
      "primary",
      "primary",
      "primary",
      "published",
      "published",
    ];
    expect(boundsAttack({ values, groups }, leaky, { zerosAlwaysPublished: true })).toEqual([0, 1, 2, 3, 4]);
  });

  it("withholds the zeros under a complementary total too, so its secret members may be 0", () => {
    // A region's 8 malicious incidents: by quarter 1, 1, 1, 5; with several types or not 4, 4.
    // The 1s pin themselves (8 − 5 = 3 = 1 + 1 + 1): 5, then 8, are withheld. Were the secret
    // quarters known to be ≥ 1, 1 + 1 + 1 + (≥ 5) ≥ 8 and 4 + 4 ≤ 8 would give everything back;
    // under a withheld total zeros are withheld too, so a secret quarter may be 0.
    const values = [8, 1, 1, 1, 5, 4, 4];
    const groups = [
      { total: 0, members: [1, 2, 3, 4] },
      { total: 0, members: [5, 6] },
    ];
    const { status, unresolved } = protectTable({ values, groups });
    expect(unresolved).toEqual([]);
    expect(status).toEqual(["secondary", "primary", "primary", "primary", "secondary", "primary", "primary"]);
    expect(boundsAttack({ values, groups }, status)).toEqual([]);
    expect(boundsAttack({ values, groups }, status, { zerosAlwaysPublished: true })).toEqual([1, 2, 3, 5, 6]);
  });

  it("withholds a cell that only a combination of groups gives back", () => {
    // Two 2 × 2 rectangles joined by one cell (a bridge): every row and column has two withheld
    // cells, yet summing rows 1–2 and subtracting columns 1–2 isolates the bridge.
    //        c1 c2 c3 c4 | T
    //  r1:    3  6  0  0 |
    //  r2:    7  9  2  0 |  ← r2,c3 = 2 is the bridge
    //  r3:    0  0  6  8 |
    //  r4:    0  0  7  3 |
    const grid = [
      [3, 6, 0, 0],
      [7, 9, 2, 0],
      [0, 0, 6, 8],
      [0, 0, 7, 3],
    ];
    const cell = (r: number, c: number) => r * 5 + c;
    const values: number[] = [];
    for (const row of grid)
      values.push(
        ...row,
        row.reduce((a, b) => a + b, 0),
      );
    const columnTotals = [0, 1, 2, 3, 4].map((c) =>
      values.filter((_, i) => i % 5 === c).reduce((a, b) => a + b, 0),
    );
    values.push(...columnTotals);
    const groups: AdditiveGroup[] = [
      ...[0, 1, 2, 3, 4].map((r) => ({ total: cell(r, 4), members: [0, 1, 2, 3].map((c) => cell(r, c)) })),
      ...[0, 1, 2, 3, 4].map((c) => ({ total: cell(4, c), members: [0, 1, 2, 3].map((r) => cell(r, c)) })),
    ];
    const table = { values, groups };
    // The pattern built by hand: both rectangles and the bridge withheld.
    const manual: CellStatus[] = values.map(() => "published");
    for (const [r, c] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 2],
      [2, 3],
      [3, 2],
      [3, 3],
    ] as const) {
      manual[cell(r, c)] = (grid[r]?.[c] as number) < 5 ? "primary" : "secondary";
    }
    expect(subtractionAttack(table, manual).size).toBe(0);
    expect(eliminationAttack(table, manual)).toContain(cell(1, 2));
    expect(linearlyDeterminedCells(groups, (c) => manual[c] !== "published")).toContain(cell(1, 2));
    // The protection itself never leaves such a pattern.
    const { status } = protectTable(table);
    expect(eliminationAttack(table, status).filter((c) => status[c] === "primary")).toEqual([]);
    expect(subtractionAttack(table, status).size).toBe(0);
  });

  it("rejects an inconsistent table", () => {
    expect(() => protectTable({ values: [10, 3, 4], groups: [{ total: 0, members: [1, 2] }] })).toThrow(
      "la somme des composantes (7) diffère du total (10)",
    );
    expect(() => protectTable({ values: [1.5], groups: [] })).toThrow("n'est pas un effectif");
  });
});

describe("propagateBounds", () => {
  it("narrows a member to the total minus the others' bounds", () => {
    // 10 = x + y, x ∈ [5, ∞), y ∈ [1, 4] → x ∈ [6, 9]
    const { lo, hi } = propagateBounds([{ total: 0, members: [1, 2] }], {
      lo: [10, 5, 1],
      hi: [10, Number.POSITIVE_INFINITY, 4],
    });
    expect([lo[1], hi[1]]).toEqual([6, 9]);
    expect([lo[2], hi[2]]).toEqual([1, 4]);
  });
});
