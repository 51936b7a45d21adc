import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import {
  affectedSystem,
  channel,
  dataImpact,
  dataType,
  filing,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  patientEndangerment,
  stateAtDeclaration,
  tlp,
} from "@vigie/contracts";
import type { ReactNode } from "react";
import { formatDateTime } from "../../app/ui.tsx";
import { steps } from "./model.ts";

/** A declaration's answers, as the form sends them and the API stores them (keys of `DeclarationInput`). */
export type Answers = Record<string, unknown>;

export interface AnswerStructure {
  finessEt: string;
  name: string;
  town?: string | null;
}

const NOT_GIVEN = "Non renseigné";

function label<T extends string>(codes: { labels: Record<T, string> }, value: unknown): string {
  return typeof value === "string" && value ? (codes.labels[value as T] ?? value) : NOT_GIVEN;
}

function labels<T extends string>(codes: { labels: Record<T, string> }, value: unknown): ReactNode {
  const list = Array.isArray(value) ? (value as string[]) : [];
  if (list.length === 0) return NOT_GIVEN;
  if (list.length === 1) return codes.labels[list[0] as T] ?? list[0];
  return (
    <ul className={fr.cx("fr-mb-0")}>
      {list.map((code) => (
        <li key={code}>{codes.labels[code as T] ?? code}</li>
      ))}
    </ul>
  );
}

function text(value: unknown): ReactNode {
  if (value === null || value === undefined || value === "") return NOT_GIVEN;
  if (typeof value === "number") return value.toLocaleString("fr-FR");
  return <span className="vigie-multiline">{String(value)}</span>;
}

function date(value: unknown): string {
  return typeof value === "string" && value ? formatDateTime(value) : NOT_GIVEN;
}

function yesNo(value: unknown): string {
  return value === true ? "Oui" : value === false ? "Non" : NOT_GIVEN;
}

type Row = [string, ReactNode];

function sections(data: Answers, structures: AnswerStructure[]): Row[][] {
  const declarant = (data.declarant ?? {}) as Record<string, unknown>;
  const originCode = data.proposedOrigin;
  const degraded = typeof data.operationalImpact === "string" && data.operationalImpact !== "none";
  return [
    [
      // Recorded by an analyst (phone, e-mail…): how the CERT received it.
      ...(typeof data.channel === "string" && data.channel !== "portal"
        ? ([["Canal de réception", label(channel, data.channel)]] as Row[])
        : []),
      [
        structures.length > 1 ? "Structures concernées" : "Structure concernée",
        structures.length === 0 ? (
          NOT_GIVEN
        ) : (
          <ul key="structures" className={fr.cx("fr-mb-0")}>
            {structures.map((s) => (
              <li key={s.finessEt}>
                {s.name ? `${s.name} — ` : ""}FINESS {s.finessEt}
                {s.town ? ` — ${s.town}` : ""}
              </li>
            ))}
          </ul>
        ),
      ],
      ["Déclarant", text([declarant.fullName, declarant.jobTitle].filter(Boolean).join(", "))],
      ["Adresse électronique", text(declarant.email)],
      ["Téléphone pour être rappelé", text(declarant.phone)],
      ["Autre contact", text(declarant.otherContact)],
    ],
    [
      ["Titre", text(data.title)],
      ["Description", text(data.description)],
      ["Constaté le", date(data.detectedAt)],
      ["Début de l'incident", date(data.startedAt)],
      ["Origine malveillante ?", label(origin, originCode)],
      ...(originCode === "non_malicious"
        ? ([["Types", labels(nonMaliciousType, data.proposedNonMaliciousTypes)]] as Row[])
        : originCode
          ? ([["Types", labels(maliciousType, data.proposedMaliciousTypes)]] as Row[])
          : []),
      ["Systèmes touchés", labels(affectedSystem, data.affectedSystems)],
    ],
    [
      ["Fonctionnement", label(operationalImpact, data.operationalImpact)],
      ...(degraded
        ? ([
            ["En mode dégradé depuis", date(data.degradedSince)],
            [
              "Durée estimée",
              typeof data.degradedModeHours === "number"
                ? `${data.degradedModeHours.toLocaleString("fr-FR")} h`
                : NOT_GIVEN,
            ],
          ] as Row[])
        : []),
      ["Patients mis en danger", label(patientEndangerment, data.patientEndangerment)],
      ...(data.patientEndangermentDetails
        ? ([["Précisions", text(data.patientEndangermentDetails)]] as Row[])
        : []),
      ["Données", labels(dataImpact, data.dataImpacts)],
      ...(Array.isArray(data.dataTypes) && data.dataTypes.length > 0
        ? ([["Types de données", labels(dataType, data.dataTypes)]] as Row[])
        : []),
      ...(data.personsAffected != null
        ? ([["Personnes concernées", text(data.personsAffected)]] as Row[])
        : []),
      ["Autres structures touchées", text(data.otherStructuresAffected)],
    ],
    [
      ["État actuel", label(stateAtDeclaration, data.stateAtDeclaration)],
      ["Mesures déjà prises", text(data.measuresTaken)],
      ["Accompagnement par le CERT souhaité", yesNo(data.supportRequested)],
      ["Démarches effectuées", labels(filing, data.filings)],
      ...(data.providerName ? ([["Prestataire mandaté", text(data.providerName)]] as Row[]) : []),
    ],
    [["Diffusion", label(tlp, data.tlp)]],
  ];
}

/**
 * What was declared, section by section (the form's steps). With `onEdit`, each section has a
 * button that goes back to its step: the summary of the last step is editable.
 */
export function DeclarationAnswers(props: {
  data: Answers;
  structures: AnswerStructure[];
  onEdit?: (step: number) => void;
  headingLevel?: 2 | 3 | 4;
  /** Sections to leave out (e.g. the last step's TLP, shown apart). */
  only?: number[];
}) {
  const { data, structures, onEdit, headingLevel = 3, only } = props;
  const Heading = `h${headingLevel}` as "h2" | "h3" | "h4";
  const all = sections(data, structures);
  return (
    <>
      {all.map((rows, index) => {
        if (only && !only.includes(index)) return null;
        const title = steps[index]?.title ?? "";
        const headingId = `recap-${index}`;
        return (
          <section key={title} aria-labelledby={headingId} className={fr.cx("fr-mb-4w")}>
            <div className="vigie-recap__head">
              <Heading id={headingId} className={fr.cx("fr-h6", "fr-mb-1w")}>
                {title}
              </Heading>
              {onEdit ? (
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  iconId="fr-icon-edit-line"
                  onClick={() => onEdit(index)}
                  nativeButtonProps={{ "aria-label": `Modifier : ${title}` }}
                >
                  Modifier
                </Button>
              ) : null}
            </div>
            <dl className="vigie-answers">
              {rows.map(([term, value]) => (
                <div key={term} className="vigie-answers__row">
                  <dt>{term}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </>
  );
}
