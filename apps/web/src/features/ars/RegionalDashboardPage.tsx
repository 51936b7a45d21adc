import { fr } from "@codegouvfr/react-dsfr";
import Notice from "@codegouvfr/react-dsfr/Notice";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  certOriginLabels,
  operationalImpact,
  type RegionalDashboard,
  structureTypeLabels,
  structureTypes,
} from "@vigie/contracts";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { Loading, QueryError } from "../../app/ui.tsx";
import { useYearRegionParams, YearRegionFilter } from "../../app/YearRegionFilter.tsx";
import { type Bar, BarChart, ChartSection, ChartTable, ColumnChart, share } from "./charts.tsx";

type Dashboard = z.infer<typeof RegionalDashboard>;

export const DASHBOARD_PATH = "/ars/tableau-de-bord";
export const DASHBOARD_LABEL = "Tableau de bord régional";

const monthNames = Array.from({ length: 12 }, (_, m) => new Date(Date.UTC(2024, m, 15)));
const longMonth = new Intl.DateTimeFormat("fr-FR", { month: "long", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", timeZone: "UTC" });
const narrowMonth = new Intl.DateTimeFormat("fr-FR", { month: "narrow", timeZone: "UTC" });

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The categories of a breakdown in the taxonomy's order, zeros included, then any code the list lacks. */
function breakdown(
  counts: Record<string, number>,
  order: readonly string[],
  label: (code: string) => string,
): Bar[] {
  const known = order.map((code) => ({ key: code, label: label(code), value: counts[code] ?? 0 }));
  const others = Object.entries(counts)
    .filter(([code]) => !order.includes(code))
    .map(([code, value]) => ({ key: code, label: label(code), value }));
  return [...known, ...others];
}

const structureLabel = (code: string): string =>
  structureTypeLabels[code as keyof typeof structureTypeLabels] ?? "Type non renseigné";
const originLabel = (code: string): string =>
  certOriginLabels[code as keyof typeof certOriginLabels] ?? "Non renseignée";
const impactLabel = (code: string): string =>
  operationalImpact.labels[code as keyof typeof operationalImpact.labels] ?? "Non renseigné";

/** /ars/tableau-de-bord — the declarations of a region for a year: by month, structure type, origin, impact. */
export function RegionalDashboardPage() {
  const user = useCurrentUser();
  const regions = useRegions();
  // An ARS always sees its own region; the CERT chooses one.
  const ownRegion = user?.role === "ars" ? user.regionCode : null;
  const { year, region } = useYearRegionParams(ownRegion);

  const regionName = region ? regionLabel(regions.data, region) : null;
  usePageTitle(`${DASHBOARD_LABEL}${regionName ? ` — ${regionName}` : ""} — ${year}`);

  const query = useQuery({
    queryKey: ["regional-dashboard", { year, region: ownRegion ? null : region }],
    queryFn: ({ signal }) =>
      api.get<Dashboard>("/api/ars/dashboard", { year, region: ownRegion ? undefined : region }, signal),
    enabled: Boolean(region),
    placeholderData: keepPreviousData,
  });

  const data = query.data;
  return (
    <>
      <h1>{DASHBOARD_LABEL}</h1>
      <p className={fr.cx("fr-text--lead")}>
        {regionName
          ? `Les déclarations d'incidents des structures de la région ${regionName}, pour l'année choisie.`
          : "Les déclarations d'incidents des structures d'une région, pour l'année choisie."}
      </p>
      {ownRegion ? (
        <Notice
          className={fr.cx("fr-mb-4w")}
          title="Les déclarations marquées TLP:RED ou TLP:AMBER+STRICT ne sont pas partagées avec l'ARS : elles ne sont pas comptées ici."
        />
      ) : null}
      <YearRegionFilter
        idPrefix="dashboard"
        of="du tableau de bord"
        year={year}
        region={region}
        ownRegion={ownRegion}
        ownRegionHint="Votre compte consulte le tableau de bord de sa seule région."
      />
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {data && !query.isFetching
          ? `${regionLabel(regions.data, data.regionCode)}, ${data.year} : ${data.declared.toLocaleString("fr-FR")} déclaration${data.declared > 1 ? "s" : ""}.`
          : ""}
      </p>
      {!region ? (
        <p>Choisissez une région puis « Afficher ».</p>
      ) : query.isPending ? (
        <Loading />
      ) : query.error ? (
        <QueryError error={query.error} />
      ) : (
        <DashboardFigures data={query.data} hidesRestricted={Boolean(ownRegion)} />
      )}
    </>
  );
}

function DashboardFigures({ data, hidesRestricted }: { data: Dashboard; hidesRestricted: boolean }) {
  const { year, declared } = data;
  const months: Bar[] = data.byMonth.map((value, m) => {
    const at = monthNames[m] ?? new Date(Date.UTC(2024, m, 15));
    return {
      key: String(m + 1),
      label: capitalise(longMonth.format(at)),
      short: shortMonth.format(at),
      narrow: narrowMonth.format(at),
      value,
    };
  });
  const types = breakdown(data.byStructureType, structureTypes, structureLabel);
  const origins = breakdown(data.byOrigin, Object.keys(certOriginLabels), originLabel);
  const impacts = breakdown(data.byOperationalImpact, operationalImpact.values, impactLabel);
  const scope = hidesRestricted ? ", hors TLP:RED et TLP:AMBER+STRICT" : "";

  return (
    <>
      <section aria-labelledby="chiffres-cles" className={fr.cx("fr-mb-6w")}>
        <h2 id="chiffres-cles" className={fr.cx("fr-h4")}>
          Chiffres clés {year}
        </h2>
        <dl className="vigie-kpis">
          <div>
            <dt>Déclarations reçues</dt>
            <dd id="dashboard-declared">{declared.toLocaleString("fr-FR")}</dd>
          </div>
          <div>
            <dt>Dont prise en charge des patients touchée</dt>
            <dd id="dashboard-care-affected">
              {data.careAffected.toLocaleString("fr-FR")}{" "}
              <small>({share(data.careAffected, declared)})</small>
            </dd>
          </div>
        </dl>
        <p className={fr.cx("fr-text--sm")}>
          Déclarations reçues : les déclarations des structures de la région reçues du 1er janvier au 31
          décembre {year} (heure de Paris){scope}. Prise en charge des patients touchée : celles dont l'impact
          sur le fonctionnement est une prise en charge dégradée ou interrompue.
        </p>
      </section>
      {declared === 0 ? (
        <p>Aucune déclaration reçue en {year} : il n'y a rien à représenter.</p>
      ) : (
        <>
          <ChartSection
            id="par-mois"
            title="Déclarations par mois"
            chart={<ColumnChart title={`déclarations par mois en ${year}`} bars={months} />}
            definition={`Nombre de déclarations selon le mois où elles ont été reçues (heure de Paris).`}
            table={
              <ChartTable
                caption={`Déclarations par mois en ${year}`}
                category="Mois"
                bars={months}
                total={declared}
              />
            }
          />
          <ChartSection
            id="par-type"
            title="Déclarations par type de structure"
            chart={<BarChart title={`déclarations par type de structure en ${year}`} bars={types} />}
            definition="Type de la structure concernée, tel qu'il figurait dans l'annuaire au moment de la déclaration."
            table={
              <ChartTable
                caption={`Déclarations par type de structure en ${year}`}
                category="Type de structure"
                bars={types}
                total={declared}
              />
            }
          />
          <ChartSection
            id="par-origine"
            title="Déclarations par origine"
            chart={<BarChart title={`déclarations par origine en ${year}`} bars={origins} />}
            definition="Origine de l'incident retenue par le CERT Santé après qualification, sinon celle indiquée par le déclarant ; « Indéterminée » tant qu'elle n'est pas connue."
            table={
              <ChartTable
                caption={`Déclarations par origine en ${year}`}
                category="Origine"
                bars={origins}
                total={declared}
              />
            }
          />
          <ChartSection
            id="par-impact"
            title="Déclarations par impact sur la prise en charge"
            chart={
              <BarChart title={`déclarations par impact sur le fonctionnement en ${year}`} bars={impacts} />
            }
            definition="Impact de l'incident sur le fonctionnement de la structure, qualifié par le CERT Santé, sinon déclaré ; la prise en charge des patients est touchée quand elle est dégradée ou interrompue."
            table={
              <ChartTable
                caption={`Déclarations par impact sur le fonctionnement en ${year}`}
                category="Impact sur le fonctionnement"
                bars={impacts}
                total={declared}
              />
            }
          >
            <p>
              Prise en charge des patients touchée :{" "}
              <strong>{data.careAffected.toLocaleString("fr-FR")}</strong> déclaration
              {data.careAffected > 1 ? "s" : ""} sur {declared.toLocaleString("fr-FR")} (
              {share(data.careAffected, declared)}).
            </p>
          </ChartSection>
        </>
      )}
    </>
  );
}
