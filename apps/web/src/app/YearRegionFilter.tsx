import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Select from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { regionLabel, useRegions } from "./regions.ts";

/** The current calendar year in Paris. */
export function parisYear(at: Date = new Date()): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric" }).format(at));
}

/** Years offered: this one and the nine before (plus the one asked in the address, if older). */
function yearOptions(current: number, asked: number): number[] {
  const years = Array.from({ length: 10 }, (_, i) => current - i);
  if (!years.includes(asked)) years.push(asked);
  return years.sort((a, b) => b - a);
}

/**
 * The year and region a page shows, from its address (`annee`, `region`): the year defaults to
 * this one in Paris; an account bound to a region (ARS) always gets its own.
 */
export function useYearRegionParams(ownRegion: string | null): { year: number; region: string | null } {
  const [params] = useSearchParams();
  const askedYear = Number(params.get("annee"));
  const year =
    Number.isInteger(askedYear) && askedYear >= 2000 && askedYear <= 2100 ? askedYear : parisYear();
  return { year, region: ownRegion ?? (params.get("region") || null) };
}

interface YearRegionFilterProps {
  /** Prefix of the fields' ids: `<prefix>-year`, `<prefix>-region`, `<prefix>-own-region`. */
  idPrefix: string;
  /** What the form chooses, for its accessible name: « de l'observatoire », « du tableau de bord »… */
  of: string;
  year: number;
  region: string | null;
  /** The region of an account bound to one: shown, not chosen. */
  ownRegion: string | null;
  /** Shown under the own region. */
  ownRegionHint: string;
  /** The label of the empty choice (the whole country); without it a region must be chosen. */
  nationalLabel?: string;
}

/** The year and region form of the regional pages; « Afficher » writes them to the address. */
export function YearRegionFilter({
  idPrefix,
  of,
  year,
  region,
  ownRegion,
  ownRegionHint,
  nationalLabel,
}: YearRegionFilterProps) {
  const regions = useRegions();
  const [, setParams] = useSearchParams();
  const [draft, setDraft] = useState({ year: String(year), region: region ?? "" });
  useEffect(() => setDraft({ year: String(year), region: region ?? "" }), [year, region]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    next.set("annee", draft.year);
    if (!ownRegion && draft.region) next.set("region", draft.region);
    setParams(next);
  };

  return (
    <form
      onSubmit={submit}
      className={fr.cx("fr-mb-4w")}
      aria-label={ownRegion ? `Choisir l'année ${of}` : `Choisir l'année et la région ${of}`}
    >
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
        <div className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-md-3")}>
          <Select
            label="Année"
            nativeSelectProps={{
              id: `${idPrefix}-year`,
              value: draft.year,
              onChange: (e) => setDraft({ ...draft, year: e.target.value }),
            }}
          >
            {yearOptions(parisYear(), year).map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-md-5")}>
          {ownRegion ? (
            <div className={fr.cx("fr-mb-3w")}>
              <p className={fr.cx("fr-mb-1v")} id={`${idPrefix}-region-label`}>
                Région
              </p>
              <p className={fr.cx("fr-text--bold", "fr-mb-0")} id={`${idPrefix}-own-region`}>
                {regionLabel(regions.data, ownRegion)}
              </p>
              <p className={fr.cx("fr-hint-text", "fr-mb-0")}>{ownRegionHint}</p>
            </div>
          ) : (
            <Select
              label="Région"
              nativeSelectProps={{
                id: `${idPrefix}-region`,
                value: draft.region,
                required: nationalLabel === undefined,
                onChange: (e) => setDraft({ ...draft, region: e.target.value }),
              }}
            >
              {nationalLabel === undefined ? (
                <option value="" disabled>
                  Choisissez une région
                </option>
              ) : (
                <option value="">{nationalLabel}</option>
              )}
              {(regions.data ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </Select>
          )}
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <Button type="submit" className={fr.cx("fr-mb-3w")}>
            Afficher
          </Button>
        </div>
      </div>
    </form>
  );
}
