import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import { useQuery } from "@tanstack/react-query";
import { type ReflexSheetCategory, reflexSheetCategoryLabels, reflexSheetKindLabels } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api, listOf } from "../../../app/api.ts";
import { ErrorSummary, fieldError, SelectField, useFormFeedback } from "../../../app/forms.tsx";
import { Loading, QueryError } from "../../../app/ui.tsx";
import { caseKeys, declarationPath, type SheetSummary, type Suggestions } from "./api.ts";
import { TlpBadge } from "./TlpBadge.tsx";

interface SendValues {
  sheetId: string;
}

const category = (code: string) => reflexSheetCategoryLabels[code as ReflexSheetCategory] ?? code;

/**
 * Sends a reflex sheet or a recommendation template to the declarant (a recommendation on the
 * thread): the sheets suggested for the declared types first, or any sheet of the library.
 */
export function ReflexSheets({ incidentId, onSent }: { incidentId: string; onSent: () => Promise<void> }) {
  const suggestions = useQuery({
    queryKey: caseKeys.suggestions(incidentId),
    queryFn: () => api.get<Suggestions>(declarationPath(incidentId, "/reflex-sheets/suggestions")),
  });
  const library = useQuery({
    queryKey: ["reflex-sheets", "library"],
    queryFn: async () => listOf<SheetSummary>(await api.get<unknown>("/api/reflex-sheets"), "items"),
    staleTime: 60_000,
  });
  const form = useForm<SendValues>({ defaultValues: { sheetId: "" } });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = { sheetId: { id: "reflex-sheet-choice", label: "Fiche à envoyer" } };
  const sheets = new Map<string, SheetSummary>();
  for (const s of library.data ?? []) sheets.set(s.id, s);
  for (const s of suggestions.data?.items ?? []) sheets.set(s.sheet.id, s.sheet);

  const submit = feedback.handle(async (values, event) => {
    const submitter = (event?.nativeEvent as SubmitEvent | undefined)?.submitter as HTMLButtonElement | null;
    const sheetId =
      submitter?.value && submitter.value !== "library" ? submitter.value : (values as SendValues).sheetId;
    setDone("");
    if (!sheetId) {
      form.setError("sheetId", { type: "validate", message: "Choisissez la fiche à envoyer." });
      feedback.focusSummary();
      return;
    }
    await api.post(declarationPath(incidentId, "/reflex-sheets"), { sheetId });
    await onSent();
    form.reset({ sheetId: "" });
    setDone(`Fiche « ${sheets.get(sheetId)?.title ?? ""} » envoyée au déclarant.`);
  });

  const items = suggestions.data?.items ?? [];
  const sendable = (library.data ?? []).filter((s) => !s.archivedAt && s.tlp !== "red");
  return (
    <form onSubmit={submit} noValidate aria-labelledby="reflex-sheets-title">
      <h2 id="reflex-sheets-title" className={fr.cx("fr-h5")}>
        Fiches réflexes
      </h2>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <h3 className={fr.cx("fr-h6", "fr-mb-1w")}>Suggérées pour ce cas</h3>
      {suggestions.isPending ? (
        <Loading label="Chargement des suggestions…" />
      ) : suggestions.error ? (
        <QueryError error={suggestions.error} title="Suggestions indisponibles" />
      ) : items.length === 0 ? (
        <p className={fr.cx("fr-text--sm")}>Aucune fiche ne correspond aux types déclarés.</p>
      ) : (
        <ul className="vigie-case-list">
          {items.map(({ sheet, sentVersions }) => (
            <li key={sheet.id}>
              <p className={fr.cx("fr-mb-1v")}>
                <strong>{sheet.title}</strong>
              </p>
              <p className={`vigie-badges ${fr.cx("fr-text--sm", "fr-mb-1w")}`}>
                <span>
                  {reflexSheetKindLabels[sheet.kind]} — {category(sheet.category)} — version{" "}
                  {sheet.currentVersion}
                </span>
                <TlpBadge value={sheet.tlp} />
                {sentVersions.length > 0 ? (
                  <Badge as="span" small severity="success">
                    {`Déjà envoyée (version ${sentVersions.join(", ")})`}
                  </Badge>
                ) : null}
              </p>
              {sheet.tlp === "red" ? (
                <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
                  Classée TLP:RED : jamais transmise au déclarant.
                </p>
              ) : (
                <Button
                  type="submit"
                  size="small"
                  priority={sentVersions.length > 0 ? "tertiary" : "secondary"}
                  disabled={form.formState.isSubmitting}
                  value={sheet.id}
                  nativeButtonProps={{
                    name: "sheet",
                    "aria-label": `Envoyer au déclarant la fiche « ${sheet.title} »`,
                  }}
                >
                  Envoyer au déclarant
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3 className={fr.cx("fr-h6", "fr-mb-1w")}>Autre fiche de la bibliothèque</h3>
      {library.error ? (
        <QueryError error={library.error} title="Bibliothèque indisponible" />
      ) : (
        <>
          <SelectField
            id={fields.sheetId.id}
            label={fields.sheetId.label}
            error={fieldError(form.formState.errors, "sheetId")}
            selectProps={form.register("sheetId")}
          >
            <option value="">Choisir une fiche</option>
            {sendable.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title} ({reflexSheetKindLabels[s.kind]})
              </option>
            ))}
          </SelectField>
          <Button
            type="submit"
            size="small"
            priority="secondary"
            disabled={form.formState.isSubmitting}
            value="library"
            nativeButtonProps={{ name: "sheet" }}
          >
            Envoyer la fiche choisie
          </Button>
        </>
      )}
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
