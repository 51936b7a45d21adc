import { fr } from "@codegouvfr/react-dsfr";
import Tag from "@codegouvfr/react-dsfr/Tag";
import { useQuery } from "@tanstack/react-query";
import type { StructureHit } from "@vigie/contracts";
import { type KeyboardEvent, useEffect, useId, useState } from "react";
import type { z } from "zod";
import { api, isApiError, listOf } from "./api.ts";

export type Hit = z.infer<typeof StructureHit>;
/** A structure chosen in the combobox (a hit, or a FINESS number typed by hand: no name then). */
export interface ChosenStructure {
  finessEt: string;
  name: string;
  town?: string | null;
}

function useDebounced<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

function describe(hit: Hit): string {
  const place = [hit.town, hit.departmentCode ? `(${hit.departmentCode})` : null].filter(Boolean).join(" ");
  return `${hit.name} — FINESS ${hit.finessEt}${place ? ` — ${place}` : ""}`;
}

/**
 * Structure picker with FINESS autocomplete (WAI-ARIA 1.2 combobox pattern): type a name, a
 * town or a FINESS number, move with the arrow keys, choose with Enter.
 */
export function StructureCombobox(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  value: ChosenStructure[];
  onChange: (value: ChosenStructure[]) => void;
  optional?: boolean;
}) {
  const { id, label, hint, error, value, onChange, optional } = props;
  const listId = `${id}-liste`;
  const statusId = `${id}-statut`;
  const hintId = `${id}-aide`;
  const errorId = `${id}-erreur`;
  const uid = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = useDebounced(query.trim(), 250);

  const search = useQuery({
    queryKey: ["structure-search", q],
    queryFn: async ({ signal }) =>
      listOf<Hit>(await api.get<unknown>("/api/structures/search", { q, limit: 10 }, signal), "items"),
    enabled: q.length >= 2,
    staleTime: 60_000,
    retry: false,
  });
  const hits = (search.data ?? []).filter((hit) => !value.some((v) => v.finessEt === hit.finessEt));
  const typedFiness = /^\d{9}$/.test(query.trim()) ? query.trim() : null;
  const expanded = open && q.length >= 2 && hits.length > 0;

  const choose = (chosen: ChosenStructure) => {
    if (!value.some((v) => v.finessEt === chosen.finessEt)) onChange([...value, chosen]);
    setQuery("");
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        setOpen(true);
        setActive((i) => (hits.length === 0 ? -1 : (i + 1) % hits.length));
        break;
      case "ArrowUp":
        event.preventDefault();
        setOpen(true);
        setActive((i) => (hits.length === 0 ? -1 : (i - 1 + hits.length) % hits.length));
        break;
      case "Enter": {
        // The highlighted option, else the hit whose FINESS was typed in full, else the typed number.
        const hit =
          expanded && active >= 0
            ? hits[active]
            : hits.find((candidate) => candidate.finessEt === typedFiness);
        if (hit) {
          event.preventDefault();
          choose(hit);
        } else if (typedFiness) {
          event.preventDefault();
          choose({ finessEt: typedFiness, name: "" });
        }
        break;
      }
      case "Escape":
        if (open) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else setQuery("");
        break;
    }
  };

  let status = "";
  if (q.length >= 2 && open) {
    if (search.isFetching) status = "Recherche en cours…";
    else if (search.error)
      status = isApiError(search.error, "UNAUTHENTICATED", "FORBIDDEN")
        ? "La recherche n'est pas disponible : saisissez le numéro FINESS à 9 chiffres puis appuyez sur Entrée."
        : "La recherche a échoué. Réessayez, ou saisissez le numéro FINESS à 9 chiffres.";
    else if (hits.length === 0)
      status = typedFiness
        ? "Aucune structure trouvée. Appuyez sur Entrée pour ajouter ce numéro FINESS."
        : "Aucune structure trouvée.";
    else
      status = `${hits.length} structure${hits.length > 1 ? "s" : ""} trouvée${hits.length > 1 ? "s" : ""}. Utilisez les flèches pour choisir.`;
  }

  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className={fr.cx("fr-input-group", error ? "fr-input-group--error" : undefined)}>
      <label className={fr.cx("fr-label")} htmlFor={id}>
        {label}
        {optional ? <span className="vigie-optional"> (facultatif)</span> : null}
        <span className={fr.cx("fr-hint-text")} id={hintId}>
          {hint ?? "Saisissez au moins 2 caractères : nom, commune ou numéro FINESS."}
        </span>
      </label>
      <div className="vigie-combobox">
        <input
          id={id}
          className={fr.cx("fr-input", error ? "fr-input--error" : undefined)}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${uid}-option-${active}` : undefined}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        />
        <div
          id={listId}
          role="listbox"
          aria-label={`Résultats : ${label}`}
          className="vigie-combobox__list"
          hidden={!expanded}
        >
          {expanded
            ? hits.map((hit, index) => (
                // biome-ignore lint/a11y/useKeyWithClickEvents: the input owns the keyboard (combobox pattern)
                <div
                  key={hit.id}
                  // Reached through aria-activedescendant, never by Tab (combobox pattern).
                  tabIndex={-1}
                  id={`${uid}-option-${index}`}
                  role="option"
                  aria-selected={index === active}
                  className="vigie-combobox__option"
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => choose(hit)}
                >
                  {describe(hit)}
                </div>
              ))
            : null}
        </div>
      </div>
      <p id={statusId} className={fr.cx("fr-sr-only")} role="status">
        {status}
      </p>
      {status && !expanded && q.length >= 2 && !search.isFetching ? (
        <p className={fr.cx("fr-text--sm", "fr-mt-1w", "fr-mb-0")} aria-hidden="true">
          {status}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className={fr.cx("fr-error-text")}>
          {error}
        </p>
      ) : null}
      {value.length > 0 ? (
        <div className={fr.cx("fr-mt-2w")}>
          <p className={fr.cx("fr-text--sm", "fr-mb-1w")} id={`${id}-choisies`}>
            Structures choisies ({value.length}) :
          </p>
          <ul className={fr.cx("fr-tags-group")} aria-labelledby={`${id}-choisies`}>
            {value.map((structure) => (
              <li key={structure.finessEt}>
                <Tag
                  dismissible
                  nativeButtonProps={{
                    type: "button",
                    "aria-label": `Retirer ${structure.name ? `${structure.name} ` : ""}(FINESS ${structure.finessEt})`,
                    onClick: () => onChange(value.filter((v) => v.finessEt !== structure.finessEt)),
                  }}
                >
                  {structure.name
                    ? `${structure.name} — ${structure.finessEt}`
                    : `FINESS ${structure.finessEt}`}
                </Tag>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
