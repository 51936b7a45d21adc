/**
 * Statistical disclosure control of a table of counts (the open-data export, decision 0010):
 * which cells may be published, which must be withheld.
 *
 * A table is a list of cells (non-negative integer counts) and additive groups: in each group
 * the total cell equals the sum of the member cells (the modalities of an indicator sum to the
 * region's total; each region's cell plus the cell of the declarations without region sum to
 * the national cell; three months sum to their quarter). A cell may belong to several groups.
 *
 * 1. **Primary suppression.** Every count `n` with `0 < n < 5` is withheld (`primary`).
 *    Zeros are published: a zero says that nothing was declared, it describes no structure,
 *    and withholding zeros would blank most regional cells of rare modalities and, through the
 *    complements they call for, many large ones. One exception: under a withheld total
 *    (primary, or complementary once chosen), the zeros are withheld too, as `primary`.
 *    Otherwise the published zeros would tell that each withheld member is at least 1, and a
 *    withheld total of 4 over four withheld members would give each member exactly. The rule
 *    applies transitively (a withheld zero total withholds its zero members), but never to a
 *    zero anyone deduces from published zeros (a member of a published zero total, a total of
 *    published zero members): withholding it would hide nothing.
 * 2. **Secondary (complementary) suppression**, to a fixed point:
 *    - a group with exactly one withheld cell gives it away by subtraction: the smallest
 *      published non-zero cell of the group is withheld too;
 *    - the statuses are published, so a reader knows that a primary cell lies in [1, 4]
 *      ([0, 4] under a withheld total) and a complementary one is at least 5 (only non-zero
 *      published cells, all ≥ 5, are chosen). Bounds are propagated through every group (two
 *      withheld cells summing to 2 are both 1): a non-zero primary cell whose value is pinned
 *      gets a complement in one of its groups (a withheld zero found to be 0 tells nothing, and
 *      what it implies for the other cells is in the propagation);
 *    - groups combine: a non-zero primary cell determined by a linear combination of the groups' equations
 *      (Gauss–Jordan elimination over the withheld cells) gets a complement too.
 *    Complements are the smallest published non-zero cells (of the lowest tier first, when the
 *    table gives tiers; ties: the one opening the fewest groups that had nothing withheld, then
 *    table order), so the result is deterministic.
 *
 * The attacker modelled here reads the published table and the statuses and knows these rules.
 * Guaranteed: no withheld cell is recomputed by subtraction in a group, no primary cell is
 * pinned by bounds propagation or by a linear combination of the groups. A stronger attacker
 * (integer programming over all groups at once) could in rare cases narrow a primary cell's
 * range further than bounds propagation does.
 */

/** Counts strictly between 0 and this threshold are withheld. */
export const DISCLOSURE_THRESHOLD = 5;

/** `values[total] = Σ values[members]`; indices into the table's cells. */
export interface AdditiveGroup {
  total: number;
  members: readonly number[];
}

export interface DisclosureTable {
  values: readonly number[];
  groups: readonly AdditiveGroup[];
  /**
   * Optional preference when a complement may be taken from several groups: cells of a lower
   * tier are withheld first (the observatory puts its national figures in tier 1, so a
   * regional cell is withheld rather than a national one). 0 for every cell by default.
   */
  tiers?: readonly number[];
}

/** `published`: written as is; `primary`: below the threshold; `secondary`: a complement. */
export type CellStatus = "published" | "primary" | "secondary";

export interface DisclosureResult {
  status: CellStatus[];
  /**
   * Primary cells still pinned because no published cell was left to withhold around them
   * (never observed on tables built from the observatory; exported so callers can refuse).
   */
  unresolved: number[];
}

/** Examinations of groups allowed per group in one bounds propagation. */
const PROPAGATION_BUDGET_PER_GROUP = 200;
const EPSILON = 1e-9;

/** Checks the table is well formed: integer counts, consistent sums, no cell twice in a group. */
export function assertConsistentTable(table: DisclosureTable): void {
  const { values, groups } = table;
  values.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) throw new Error(`Cellule ${i} : ${v} n'est pas un effectif.`);
  });
  groups.forEach((group, g) => {
    const cells = [group.total, ...group.members];
    if (new Set(cells).size !== cells.length)
      throw new Error(`Groupe ${g} : une cellule y figure deux fois.`);
    for (const c of cells) {
      if (!Number.isInteger(c) || c < 0 || c >= values.length) {
        throw new Error(`Groupe ${g} : cellule ${c} inconnue.`);
      }
    }
    const sum = group.members.reduce((s, m) => s + (values[m] as number), 0);
    if (sum !== values[group.total]) {
      throw new Error(
        `Groupe ${g} : la somme des composantes (${sum}) diffère du total (${values[group.total]}).`,
      );
    }
  });
}

/**
 * Decides which cells of a table are published: primary suppression of counts below
 * `threshold`, then secondary suppression until no withheld cell can be recomputed (see the
 * module comment). Pure and deterministic.
 */
export function protectTable(table: DisclosureTable, threshold = DISCLOSURE_THRESHOLD): DisclosureResult {
  assertConsistentTable(table);
  if (table.tiers && table.tiers.length !== table.values.length) {
    throw new Error("Protection du secret : un rang de préférence par cellule est attendu.");
  }
  return new Protection(table, threshold).run();
}

class Protection {
  private readonly values: readonly number[];
  private readonly groups: readonly AdditiveGroup[];
  private readonly tiers: readonly number[] | undefined;
  private readonly groupsOf: number[][];
  private readonly status: CellStatus[];
  /** Withheld cells per group. */
  private readonly withheld: number[];
  /** Zeros anyone deduces from published zeros: never withheld. */
  private readonly deducible = new Set<number>();
  private readonly unresolved = new Set<number>();

  constructor(
    table: DisclosureTable,
    private readonly threshold: number,
  ) {
    this.values = table.values;
    this.groups = table.groups;
    this.tiers = table.tiers;
    this.groupsOf = this.values.map(() => []);
    this.groups.forEach((group, g) => {
      for (const c of cellsOf(group)) this.groupsOf[c]?.push(g);
    });
    this.status = this.values.map((v) => (v > 0 && v < threshold ? "primary" : "published"));
    this.withheld = this.groups.map(
      (group) => cellsOf(group).filter((c) => this.status[c] !== "published").length,
    );
    this.settleZeros();
  }

  run(): DisclosureResult {
    for (;;) {
      this.closeSingletons();
      const pinned = this.pinnedPrimaryCell();
      if (pinned) {
        this.complementAround(pinned.cell, pinned.known);
        continue;
      }
      const determined = this.linearlyDeterminedPrimaryCell();
      if (determined) {
        this.complementAround(determined.cell, determined.known);
        continue;
      }
      return { status: [...this.status], unresolved: [...this.unresolved].sort((a, b) => a - b) };
    }
  }

  private setStatus(cell: number, next: CellStatus): void {
    const was = this.status[cell] !== "published";
    const is = next !== "published";
    this.status[cell] = next;
    if (was === is) return;
    for (const g of this.groupsOf[cell] ?? []) this.withheld[g] = (this.withheld[g] ?? 0) + (is ? 1 : -1);
  }

  /**
   * Withholds (as primary) the zeros under a withheld total, transitively; publishes the zeros
   * anyone deduces from published zeros (the members of a published zero total, a total whose
   * members are all published zeros): withholding them would hide nothing. Returns the cells
   * whose status changed.
   */
  private settleZeros(): number[] {
    const changedCells: number[] = [];
    let changed = true;
    while (changed) {
      changed = false;
      for (const group of this.groups) {
        if (this.status[group.total] === "published") continue;
        for (const m of group.members) {
          if (this.status[m] === "published" && this.values[m] === 0 && !this.deducible.has(m)) {
            this.setStatus(m, "primary");
            changedCells.push(m);
            changed = true;
          }
        }
      }
      for (const group of this.groups) {
        const zeros =
          this.status[group.total] === "published" && this.values[group.total] === 0
            ? group.members
            : group.members.every((m) => this.status[m] === "published" && this.values[m] === 0)
              ? [group.total]
              : [];
        for (const c of zeros) {
          if (this.status[c] !== "published") {
            this.setStatus(c, "published");
            this.deducible.add(c);
            changedCells.push(c);
            changed = true;
          }
        }
      }
    }
    return changedCells;
  }

  /** A reader's floor for a primary cell: 0 under a withheld total (zeros withheld there), else 1. */
  private primaryFloor(cell: number): number {
    return (this.groupsOf[cell] ?? []).some((g) => {
      const total = (this.groups[g] as AdditiveGroup).total;
      return total !== cell && this.status[total] !== "published";
    })
      ? 0
      : 1;
  }

  /** Withholds a complement, and the zeros under it if it is a total. Returns the cells changed. */
  private withhold(cell: number): number[] {
    this.setStatus(cell, "secondary");
    return [cell, ...this.settleZeros()];
  }

  /** Groups with exactly one withheld cell get a complement, until there are none. */
  private closeSingletons(): void {
    const queue = this.groups.map((_, g) => g).filter((g) => this.withheld[g] === 1);
    while (queue.length > 0) {
      const g = queue.shift() as number;
      if (this.withheld[g] !== 1) continue;
      const chosen = this.choose(this.candidatesIn([g]));
      // A lone withheld cell always leaves a published non-zero cell in its group (module comment).
      if (chosen === undefined) throw new Error("Protection du secret : aucun complément possible.");
      for (const c of this.withhold(chosen)) {
        for (const h of this.groupsOf[c] ?? []) if (this.withheld[h] === 1) queue.push(h);
      }
    }
  }

  /** Published non-zero cells of these groups. */
  private candidatesIn(groups: readonly number[]): number[] {
    const found = new Set<number>();
    for (const g of groups) {
      for (const c of cellsOf(this.groups[g] as AdditiveGroup)) {
        if (this.status[c] === "published" && (this.values[c] as number) > 0) found.add(c);
      }
    }
    return [...found];
  }

  /**
   * The candidate of the lowest tier, then the smallest; then the one opening the fewest
   * untouched groups; then table order.
   */
  private choose(candidates: readonly number[]): number | undefined {
    let best: number | undefined;
    let bestKey: number[] | undefined;
    for (const c of candidates) {
      const opened = (this.groupsOf[c] ?? []).filter((g) => this.withheld[g] === 0).length;
      const key = [this.tiers?.[c] ?? 0, this.values[c] as number, opened, c];
      if (!bestKey || compareKeys(key, bestKey) < 0) {
        best = c;
        bestKey = key;
      }
    }
    return best;
  }

  /**
   * Withholds one more cell around a primary cell a reader can pin. What pins it may lie a few
   * groups away, through other withheld cells the reader can pin too (`known`): the first
   * candidates are those of the groups of the cell and of the known withheld cells linked to it;
   * failing any, the groups reached through the other withheld cells, nearest first.
   */
  private complementAround(cell: number, known: ReadonlySet<number>): void {
    const seenGroups = new Set<number>();
    const seenCells = new Set<number>([cell]);
    // The cell, and the known withheld cells linked to it through groups of known cells.
    const linked = [cell];
    for (let i = 0; i < linked.length; i++) {
      for (const g of this.groupsOf[linked[i] as number] ?? []) {
        for (const c of cellsOf(this.groups[g] as AdditiveGroup)) {
          if (known.has(c) && !seenCells.has(c)) {
            seenCells.add(c);
            linked.push(c);
          }
        }
      }
    }
    let layer = [...new Set(linked.flatMap((c) => this.groupsOf[c] ?? []))];
    while (layer.length > 0) {
      for (const g of layer) seenGroups.add(g);
      const chosen = this.choose(this.candidatesIn(layer));
      if (chosen !== undefined) {
        this.withhold(chosen);
        return;
      }
      const next = new Set<number>();
      for (const g of layer) {
        for (const c of cellsOf(this.groups[g] as AdditiveGroup)) {
          if (this.status[c] === "published" || seenCells.has(c)) continue;
          seenCells.add(c);
          for (const h of this.groupsOf[c] ?? []) if (!seenGroups.has(h)) next.add(h);
        }
      }
      layer = [...next];
    }
    this.unresolved.add(cell);
  }

  /** What a reader knows of each cell before using the groups. */
  private initialBounds(): { lo: number[]; hi: number[] } {
    const lo: number[] = [];
    const hi: number[] = [];
    this.values.forEach((v, c) => {
      switch (this.status[c]) {
        case "published":
          lo.push(v);
          hi.push(v);
          break;
        case "primary":
          lo.push(this.primaryFloor(c));
          hi.push(this.threshold - 1);
          break;
        default:
          lo.push(this.threshold);
          hi.push(Number.POSITIVE_INFINITY);
      }
    });
    return { lo, hi };
  }

  /** A non-zero primary cell not given up on: what must not be pinned (a pinned 0 tells nothing). */
  private isExposable(cell: number): boolean {
    return this.status[cell] === "primary" && (this.values[cell] as number) > 0 && !this.unresolved.has(cell);
  }

  /**
   * The first primary cell whose bounds, propagated through the groups, leave one value, with
   * every withheld cell so pinned.
   */
  private pinnedPrimaryCell(): { cell: number; known: Set<number> } | undefined {
    const { lo, hi } = propagateBounds(this.groups, this.initialBounds());
    const known = new Set<number>();
    let first: number | undefined;
    for (let c = 0; c < this.values.length; c++) {
      if (this.status[c] === "published" || lo[c] !== hi[c]) continue;
      known.add(c);
      if (first === undefined && this.isExposable(c)) first = c;
    }
    return first === undefined ? undefined : { cell: first, known };
  }

  /**
   * The first primary cell whose value follows from a linear combination of the groups, with
   * every withheld cell so determined.
   */
  private linearlyDeterminedPrimaryCell(): { cell: number; known: Set<number> } | undefined {
    const isUnknown = (c: number) => this.status[c] !== "published";
    const known = new Set(linearlyDeterminedCells(this.groups, isUnknown));
    const first = [...known].find((c) => this.isExposable(c));
    return first === undefined ? undefined : { cell: first, known };
  }
}

function cellsOf(group: AdditiveGroup): number[] {
  return [group.total, ...group.members];
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Interval propagation (bounds consistency) through `total = Σ members`: a group is examined
 * again whenever one of its cells' bounds narrowed, to a fixed point or a budget of
 * examinations (stopping early only leaves wider bounds). Returns new arrays.
 */
export function propagateBounds(
  groups: readonly AdditiveGroup[],
  bounds: { lo: readonly number[]; hi: readonly number[] },
): { lo: number[]; hi: number[] } {
  const lo = [...bounds.lo];
  const hi = [...bounds.hi];
  const groupsOf: number[][] = lo.map(() => []);
  groups.forEach((group, g) => {
    for (const c of cellsOf(group)) groupsOf[c]?.push(g);
  });
  const queued = new Array<boolean>(groups.length).fill(true);
  const queue = groups.map((_, g) => g);
  const tighten = (c: number, newLo: number, newHi: number): void => {
    let changed = false;
    if (newLo > (lo[c] as number)) {
      lo[c] = newLo;
      changed = true;
    }
    if (newHi < (hi[c] as number)) {
      hi[c] = newHi;
      changed = true;
    }
    if ((lo[c] as number) > (hi[c] as number)) {
      throw new Error(`Protection du secret : bornes incohérentes pour la cellule ${c}.`);
    }
    if (!changed) return;
    for (const h of groupsOf[c] ?? []) {
      if (!queued[h]) {
        queued[h] = true;
        queue.push(h);
      }
    }
  };
  let budget = PROPAGATION_BUDGET_PER_GROUP * Math.max(1, groups.length);
  for (let head = 0; head < queue.length && budget > 0; head++, budget--) {
    const g = queue[head] as number;
    queued[g] = false;
    const group = groups[g] as AdditiveGroup;
    let sumLo = 0;
    let sumHiFinite = 0;
    let infinite = 0;
    for (const m of group.members) {
      sumLo += lo[m] as number;
      const h = hi[m] as number;
      if (h === Number.POSITIVE_INFINITY) infinite++;
      else sumHiFinite += h;
    }
    tighten(group.total, sumLo, infinite > 0 ? Number.POSITIVE_INFINITY : sumHiFinite);
    const totalLo = lo[group.total] as number;
    const totalHi = hi[group.total] as number;
    for (const m of group.members) {
      const h = hi[m] as number;
      const othersLo = sumLo - (lo[m] as number);
      const othersInfinite = infinite - (h === Number.POSITIVE_INFINITY ? 1 : 0);
      const othersHi =
        othersInfinite > 0 ? Number.POSITIVE_INFINITY : sumHiFinite - (Number.isFinite(h) ? h : 0);
      tighten(m, Math.max(0, totalLo - othersHi), totalHi - othersLo);
    }
  }
  return { lo, hi };
}

/**
 * The unknown cells whose value follows from the groups' equations: sparse Gauss–Jordan
 * elimination over the unknowns (the known cells only move the right-hand side), the shortest
 * row first to limit fill-in. A cell is determined when its column is a pivot whose row has no
 * other entry left (its unit vector lies in the row space).
 */
export function linearlyDeterminedCells(
  groups: readonly AdditiveGroup[],
  isUnknown: (cell: number) => boolean,
): number[] {
  const rows: Array<Map<number, number>> = [];
  const rowsOf = new Map<number, Set<number>>();
  for (const group of groups) {
    const row = new Map<number, number>();
    if (isUnknown(group.total)) row.set(group.total, 1);
    for (const m of group.members) if (isUnknown(m)) row.set(m, -1);
    if (row.size === 0) continue;
    const r = rows.push(row) - 1;
    for (const c of row.keys()) {
      const set = rowsOf.get(c) ?? new Set<number>();
      set.add(r);
      rowsOf.set(c, set);
    }
  }
  const active = new Set(rows.map((_, r) => r));
  const pivotRows: Array<{ row: number; column: number }> = [];
  while (active.size > 0) {
    // The shortest active row; in it, the column found in the fewest rows.
    let r = -1;
    for (const candidate of active) {
      if (r === -1 || (rows[candidate] as Map<number, number>).size < (rows[r] as Map<number, number>).size)
        r = candidate;
    }
    active.delete(r);
    const row = rows[r] as Map<number, number>;
    if (row.size === 0) continue;
    let column = -1;
    for (const [c, v] of row) {
      if (Math.abs(v) < EPSILON) continue;
      if (column === -1 || (rowsOf.get(c)?.size ?? 0) < (rowsOf.get(column)?.size ?? 0)) column = c;
    }
    if (column === -1) continue;
    const pivot = row.get(column) as number;
    for (const [c, v] of row) row.set(c, v / pivot);
    for (const other of [...(rowsOf.get(column) ?? [])]) {
      if (other === r) continue;
      const target = rows[other] as Map<number, number>;
      const factor = target.get(column) as number;
      for (const [c, v] of row) {
        const next = (target.get(c) ?? 0) - factor * v;
        if (Math.abs(next) < EPSILON) {
          target.delete(c);
          rowsOf.get(c)?.delete(other);
        } else {
          if (!target.has(c)) rowsOf.get(c)?.add(other);
          target.set(c, next);
        }
      }
    }
    pivotRows.push({ row: r, column });
  }
  return pivotRows
    .filter(({ row }) => (rows[row] as Map<number, number>).size === 1)
    .map(({ column }) => column)
    .sort((a, b) => a - b);
}
