import type { ReactNode } from "react";
import { useSearchParams } from "react-router";
import { useCan, useCurrentUser } from "../../app/auth.tsx";
import { SelectField } from "../../app/forms.tsx";
import { Loading } from "../../app/ui.tsx";
import { usePerimeters } from "./api.ts";

export interface StructureChoice {
  structureId: string;
  name: string;
  finessEt: string | null;
}

/**
 * The structures a page can act for: a declarant's active memberships; the CERT's, every
 * structure that has declared a perimeter.
 */
export function useStructureChoices(): { choices: StructureChoice[]; pending: boolean } {
  const user = useCurrentUser();
  const cert = useCan("watch:handle");
  const perimeters = usePerimeters("", cert);
  if (cert) {
    return {
      choices: (perimeters.data ?? []).map((p) => ({
        structureId: p.structureId,
        name: p.structureName,
        finessEt: null,
      })),
      pending: perimeters.isPending,
    };
  }
  return {
    choices: (user?.structures ?? [])
      .filter((s) => s.status === "active")
      .map((s) => ({ structureId: s.structureId, name: s.name, finessEt: s.finessEt })),
    pending: false,
  };
}

/** Picks one structure: a select when there are several, a sentence when there is one. */
export function StructurePicker(props: {
  id: string;
  choices: StructureChoice[];
  value: string;
  onChange: (structureId: string) => void;
}) {
  const { id, choices, value, onChange } = props;
  const chosen = choices.find((c) => c.structureId === value);
  if (choices.length === 1 && chosen) {
    return (
      <p>
        Structure : <strong>{chosen.name}</strong>
        {chosen.finessEt ? ` — FINESS ${chosen.finessEt}` : ""}
      </p>
    );
  }
  return (
    <SelectField
      id={id}
      label="Structure"
      selectProps={{ value, onChange: (event) => onChange(event.target.value) }}
    >
      {choices.map((c) => (
        <option key={c.structureId} value={c.structureId}>
          {c.name}
          {c.finessEt ? ` — FINESS ${c.finessEt}` : ""}
        </option>
      ))}
    </SelectField>
  );
}

/**
 * The structure a page acts for, named in the address (`?structureId=`, else the first one):
 * the picker, then `children` of the chosen structure; `none` when the user has no structure.
 */
export function ChosenStructure(props: {
  id: string;
  none: string;
  children: (structureId: string) => ReactNode;
}) {
  const { id, none, children } = props;
  const [params, setParams] = useSearchParams();
  const { choices, pending } = useStructureChoices();
  const asked = params.get("structureId") ?? "";
  const chosen = choices.find((c) => c.structureId === asked) ?? choices[0];
  if (pending) return <Loading />;
  if (!chosen) return <p>{none}</p>;
  return (
    <>
      <StructurePicker
        id={id}
        choices={choices}
        value={chosen.structureId}
        onChange={(structureId) => setParams(new URLSearchParams({ structureId }), { replace: true })}
      />
      {children(chosen.structureId)}
    </>
  );
}
