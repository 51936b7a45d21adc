import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type StructureView, structureTypeLabels, structureTypes } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useParams } from "react-router";
import { z } from "zod";
import { api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";

type Structure = z.infer<typeof StructureView>;

function yesNo(value: boolean) {
  return value ? "Oui" : "Non";
}

/** A structure's record, and the CERT's edit form for users allowed to write. */
export function StructurePage() {
  const { id = "" } = useParams();
  const canWrite = useCan("structures:write");
  const structure = useQuery({
    queryKey: ["structure", id],
    queryFn: () => api.get<Structure>(`/api/structures/${encodeURIComponent(id)}`),
  });
  usePageTitle(
    structure.data
      ? `${structure.data.name} — Annuaire`
      : structure.error
        ? "Structure introuvable"
        : "Structure",
  );

  return (
    <>
      <Breadcrumb
        currentPageLabel={structure.data?.name ?? "Fiche structure"}
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Annuaire", linkProps: { to: "/annuaire" } }]}
      />
      {structure.isPending ? (
        <>
          <h1>Fiche structure</h1>
          <Loading />
        </>
      ) : structure.error ? (
        <>
          <h1>Structure introuvable</h1>
          <QueryError error={structure.error} />
        </>
      ) : (
        <StructureRecord structure={structure.data} canWrite={canWrite} />
      )}
    </>
  );
}

function StructureRecord({ structure, canWrite }: { structure: Structure; canWrite: boolean }) {
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <>
      <h1>{structure.name}</h1>
      {structure.longName && structure.longName !== structure.name ? (
        <p className={fr.cx("fr-text--lead")}>{structure.longName}</p>
      ) : null}
      <p>
        {structure.ose ? (
          <Badge severity="info" className={fr.cx("fr-mr-1w")} as="span">
            Opérateur de services essentiels (OSE)
          </Badge>
        ) : null}
        {structure.oiv ? (
          <Badge severity="info" className={fr.cx("fr-mr-1w")} as="span">
            Opérateur d'importance vitale (OIV)
          </Badge>
        ) : null}
        {structure.ghtSupport ? (
          <Badge severity="new" as="span">
            Établissement support de GHT
          </Badge>
        ) : null}
      </p>
      {saved ? (
        <Alert
          severity="success"
          small
          role="status"
          description="La fiche a été mise à jour."
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <section aria-labelledby="identification">
        <h2 id="identification">Identification</h2>
        <dl className="vigie-dl">
          <dt>FINESS établissement</dt>
          <dd>{structure.finessEt}</dd>
          <dt>FINESS juridique</dt>
          <dd>{structure.finessEj ?? "—"}</dd>
          <dt>SIRET</dt>
          <dd>{structure.siret ?? "—"}</dd>
          <dt>Type</dt>
          <dd>{structureTypeLabels[structure.structureType]}</dd>
          <dt>Catégorie</dt>
          <dd>{structure.category ?? "—"}</dd>
          <dt>Statut juridique</dt>
          <dd>{structure.legalStatus ?? "—"}</dd>
          <dt>GHT</dt>
          <dd>{structure.ghtCode ?? "—"}</dd>
          <dt>Support de GHT</dt>
          <dd>{yesNo(structure.ghtSupport)}</dd>
          <dt>OSE</dt>
          <dd>{yesNo(structure.ose)}</dd>
          <dt>OIV</dt>
          <dd>{yesNo(structure.oiv)}</dd>
        </dl>
      </section>
      <section aria-labelledby="coordonnees">
        <h2 id="coordonnees">Coordonnées</h2>
        <dl className="vigie-dl">
          <dt>Commune</dt>
          <dd>{[structure.postalCode, structure.town].filter(Boolean).join(" ") || "—"}</dd>
          <dt>Département</dt>
          <dd>{structure.departmentCode ?? "—"}</dd>
          <dt>Région</dt>
          <dd>{structure.regionName ?? structure.regionCode ?? "—"}</dd>
          <dt>Téléphone</dt>
          <dd>{structure.phone ?? "—"}</dd>
          <dt>Contacts sécurité</dt>
          <dd>
            {structure.contactEmails.length === 0 ? (
              "—"
            ) : (
              <ul className={fr.cx("fr-raw-list")}>
                {structure.contactEmails.map((email) => (
                  <li key={email}>{email}</li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Domaines de messagerie</dt>
          <dd>
            {structure.mailDomains.length === 0 ? (
              "—"
            ) : (
              <ul className={fr.cx("fr-raw-list")}>
                {structure.mailDomains.map((domain) => (
                  <li key={domain}>{domain}</li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
        <p className={fr.cx("fr-text--sm")}>Dernière mise à jour : {formatDateTime(structure.updatedAt)}</p>
      </section>
      {canWrite ? (
        <section aria-labelledby="modifier" className={fr.cx("fr-mt-6w")}>
          <h2 id="modifier">Compléter la fiche</h2>
          {editing ? (
            <StructureEditForm
              structure={structure}
              onDone={(didSave) => {
                setEditing(false);
                setSaved(didSave);
              }}
            />
          ) : (
            <Button
              type="button"
              iconId="fr-icon-edit-line"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Modifier la fiche
            </Button>
          )}
        </section>
      ) : null}
    </>
  );
}

const lines = (text: string) =>
  text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const EditForm = z.object({
  structureType: z.enum(structureTypes),
  ghtCode: z
    .string()
    .trim()
    .refine((v) => v === "" || /^[A-Z]{2,4}-\d{2}$/.test(v), { error: "Code GHT attendu au format ARA-01." }),
  flags: z.array(z.enum(["ghtSupport", "ose", "oiv"])),
  contactEmails: z.string().refine((v) => lines(v).every((e) => z.email().safeParse(e).success), {
    error: "Une des adresses est invalide : une adresse par ligne, au format nom@domaine.fr.",
  }),
  mailDomains: z
    .string()
    .refine((v) => lines(v).every((d) => /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i.test(d)), {
      error: "Un des domaines est invalide : un domaine par ligne, par exemple chu-exemple.fr.",
    }),
});
type EditValues = z.infer<typeof EditForm>;

const editFields = {
  structureType: { id: "structure-type", label: "Type de structure" },
  ghtCode: { id: "structure-ght", label: "Code GHT" },
  flags: { id: "structure-flags-0", label: "Qualifications" },
  contactEmails: { id: "structure-contacts", label: "Contacts sécurité" },
  mailDomains: { id: "structure-domains", label: "Domaines de messagerie" },
};

function StructureEditForm({
  structure,
  onDone,
}: {
  structure: Structure;
  onDone: (saved: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<EditValues>({
    resolver: zodResolver(EditForm),
    defaultValues: {
      structureType: structure.structureType,
      ghtCode: structure.ghtCode ?? "",
      flags: [
        ...(structure.ghtSupport ? (["ghtSupport"] as const) : []),
        ...(structure.ose ? (["ose"] as const) : []),
        ...(structure.oiv ? (["oiv"] as const) : []),
      ],
      contactEmails: structure.contactEmails.join("\n"),
      mailDomains: structure.mailDomains.join("\n"),
    },
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) => {
      const head = field.split(".")[0] ?? field;
      if (head === "ghtSupport" || head === "ose" || head === "oiv") return "flags";
      return head in editFields ? head : null;
    },
  });
  const errors = form.formState.errors;
  const flags = form.watch("flags");
  const toggle = (flag: "ghtSupport" | "ose" | "oiv", on: boolean) =>
    form.setValue("flags", on ? [...flags, flag] : flags.filter((f) => f !== flag), { shouldDirty: true });

  const submit = feedback.handle(async (raw) => {
    const values = raw as EditValues;
    const updated = await api.patch<Structure>(`/api/structures/${structure.id}`, {
      structureType: values.structureType,
      ghtCode: values.ghtCode.trim() || null,
      ghtSupport: values.flags.includes("ghtSupport"),
      ose: values.flags.includes("ose"),
      oiv: values.flags.includes("oiv"),
      contactEmails: lines(values.contactEmails),
      mailDomains: lines(values.mailDomains).map((d) => d.toLowerCase()),
    });
    if (updated && typeof updated === "object" && "id" in updated) {
      queryClient.setQueryData(["structure", structure.id], updated);
    }
    await queryClient.invalidateQueries({ queryKey: ["structure", structure.id] });
    await queryClient.invalidateQueries({ queryKey: ["structures"] });
    onDone(true);
  });

  return (
    <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-8")}>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={errors}
        fields={editFields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <SelectField
        id={editFields.structureType.id}
        label={editFields.structureType.label}
        error={fieldError(errors, "structureType")}
        selectProps={form.register("structureType")}
      >
        {structureTypes.map((t) => (
          <option key={t} value={t}>
            {structureTypeLabels[t]}
          </option>
        ))}
      </SelectField>
      <TextField
        id={editFields.ghtCode.id}
        label={editFields.ghtCode.label}
        hint="Format : code de région et numéro, par exemple ARA-01"
        optional
        error={fieldError(errors, "ghtCode")}
        inputProps={{ ...form.register("ghtCode"), autoComplete: "off" }}
      />
      <Checkbox
        id="structure-flags"
        legend="Qualifications"
        state={fieldError(errors, "flags") ? "error" : "default"}
        stateRelatedMessage={fieldError(errors, "flags")}
        options={[
          { key: "ghtSupport", label: "Établissement support de GHT" },
          { key: "ose", label: "Opérateur de services essentiels (OSE)" },
          { key: "oiv", label: "Opérateur d'importance vitale (OIV)" },
        ].map(({ key, label }) => ({
          label,
          nativeInputProps: {
            name: "flags",
            value: key,
            checked: flags.includes(key as "ose"),
            onChange: (e) => toggle(key as "ose", e.target.checked),
          },
        }))}
      />
      <TextField
        id={editFields.contactEmails.id}
        label={editFields.contactEmails.label}
        hint="Adresses à prévenir en cas d'alerte : une par ligne"
        optional
        textArea
        error={fieldError(errors, "contactEmails")}
        textAreaProps={{ ...form.register("contactEmails"), rows: 3, spellCheck: false }}
      />
      <TextField
        id={editFields.mailDomains.id}
        label={editFields.mailDomains.label}
        hint="Domaines surveillés par le CERT : un par ligne, par exemple chu-exemple.fr"
        optional
        textArea
        error={fieldError(errors, "mailDomains")}
        textAreaProps={{ ...form.register("mailDomains"), rows: 3, spellCheck: false }}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <li>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Enregistrer
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={() => onDone(false)}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
