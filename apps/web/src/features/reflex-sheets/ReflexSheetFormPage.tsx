import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import RadioButtons from "@codegouvfr/react-dsfr/RadioButtons";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CreateReflexSheetRequest,
  REFLEX_SHEET_BODY_MAX,
  reflexSheetKinds,
  tlp,
  UpdateReflexSheetRequest,
} from "@vigie/contracts";
import { type ChangeEvent, useRef } from "react";
import { type FieldErrors, type UseFormRegisterReturn, useForm } from "react-hook-form";
import { Link, useNavigate, useParams } from "react-router";
import type { z } from "zod";
import { ApiError, api } from "../../app/api.ts";
import {
  ErrorSummary,
  type FieldSpec,
  fieldError,
  RequiredNotice,
  SelectField,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { Markdown } from "../../app/markdown.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";
import { categoryOptions, kindLabel, LIBRARY_PATH, type SheetView, sheetKeys } from "./api.ts";
import "./reflex-sheets.css";

type CreateValues = z.input<typeof CreateReflexSheetRequest>;
type UpdateValues = z.input<typeof UpdateReflexSheetRequest>;

const fields = {
  slug: { id: "sheet-slug", label: "Identifiant court" },
  kind: { id: "sheet-kind-0", label: "Nature" },
  category: { id: "sheet-category", label: "Catégorie" },
  title: { id: "sheet-title", label: "Titre" },
  tlp: { id: "sheet-tlp", label: "Diffusion (TLP)" },
  body: { id: "sheet-body", label: "Contenu" },
  changeNote: { id: "sheet-change-note", label: "Note de modification" },
} satisfies Record<string, FieldSpec>;

/** "Rançongiciel : premiers gestes" → "rancongiciel-premiers-gestes". */
export function slugify(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}

/** /cert/fiches-reflexes/nouvelle — a new sheet (version 1), for the CERT lead. */
export function ReflexSheetCreatePage() {
  usePageTitle("Créer une fiche");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<CreateValues>({
    resolver: zodResolver(CreateReflexSheetRequest),
    // The error summary takes the focus (it links to each field), not the first field.
    shouldFocusError: false,
    defaultValues: {
      slug: "",
      kind: "reflex_sheet",
      category: "general",
      title: "",
      tlp: "clear",
      body: "",
      changeNote: "",
    },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const values = raw as z.output<typeof CreateReflexSheetRequest>;
    const created = await api.post<SheetView>("/api/reflex-sheets", {
      ...values,
      changeNote: values.changeNote || undefined,
    });
    await queryClient.invalidateQueries({ queryKey: sheetKeys.lists });
    queryClient.setQueryData(sheetKeys.sheet(created.id), created);
    navigate(`${LIBRARY_PATH}/${created.id}`, { state: { saved: "Fiche créée : version 1 enregistrée." } });
  });
  const kind = form.watch("kind");
  const slugEdited = useRef(false);
  const slugRegistration = form.register("slug");
  const slugField = {
    ...slugRegistration,
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      slugEdited.current = event.target.value !== "";
      return slugRegistration.onChange(event);
    },
  };

  return (
    <>
      <Breadcrumb
        currentPageLabel="Créer une fiche"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Fiches réflexes", linkProps: { to: LIBRARY_PATH } }]}
      />
      <h1>Créer une fiche</h1>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-lg-10")}>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Classement</legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <RadioButtons
              id="sheet-kind"
              legend={fields.kind.label}
              name="kind"
              orientation="horizontal"
              state={fieldError(errors, "kind") ? "error" : "default"}
              stateRelatedMessage={fieldError(errors, "kind")}
              options={reflexSheetKinds.map((k) => ({
                label: kindLabel(k),
                hintText:
                  k === "reflex_sheet"
                    ? "Les premiers gestes face à un type d'incident."
                    : "Un texte type envoyé comme recommandation.",
                nativeInputProps: { ...form.register("kind"), value: k },
              }))}
            />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <CategoryField form={form} />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.slug.id}
              label={fields.slug.label}
              hint="Minuscules sans accent, chiffres et tirets, par exemple rancongiciel-premiers-gestes. Il ne change plus ensuite."
              error={fieldError(errors, "slug")}
              inputProps={{ ...slugField, autoComplete: "off", spellCheck: false }}
            />
          </div>
        </fieldset>
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>
            {kind === "recommendation" ? "Le modèle de recommandation" : "La fiche réflexe"}
          </legend>
          <ContentFields
            form={form}
            onTitleChange={(title) => {
              // The short identifier follows the title until it is typed by hand.
              if (!slugEdited.current) form.setValue("slug", slugify(title));
            }}
          />
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.changeNote.id}
              label={fields.changeNote.label}
              hint="Par exemple : d'après la fiche de l'ANSSI de mars 2026."
              optional
              error={fieldError(errors, "changeNote")}
              inputProps={{ ...form.register("changeNote"), autoComplete: "off" }}
            />
          </div>
        </fieldset>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Créer la fiche
            </Button>
          </li>
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={LIBRARY_PATH}>
              Annuler
            </Link>
          </li>
        </ul>
      </form>
    </>
  );
}

/** /cert/fiches-reflexes/:id/modifier — saves the next version of a sheet. */
export function ReflexSheetEditPage() {
  const { id = "" } = useParams();
  const sheet = useQuery({
    queryKey: sheetKeys.sheet(id),
    queryFn: ({ signal }) =>
      api.get<SheetView>(`/api/reflex-sheets/${encodeURIComponent(id)}`, undefined, signal),
    // The form starts from what was read once: a refetch must not replace what is being typed.
    staleTime: Number.POSITIVE_INFINITY,
  });
  usePageTitle(sheet.data ? `Modifier « ${sheet.data.title} »` : "Modifier une fiche");
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel="Modifier"
      homeLinkProps={{ to: "/" }}
      segments={[
        { label: "Fiches réflexes", linkProps: { to: LIBRARY_PATH } },
        ...(sheet.data ? [{ label: sheet.data.title, linkProps: { to: `${LIBRARY_PATH}/${id}` } }] : []),
      ]}
    />
  );
  if (sheet.isPending) {
    return (
      <>
        {breadcrumb}
        <Loading />
      </>
    );
  }
  if (sheet.error) {
    return (
      <>
        {breadcrumb}
        <h1>Modifier une fiche</h1>
        <QueryError error={sheet.error} />
      </>
    );
  }
  if (sheet.data.archivedAt) {
    return (
      <>
        {breadcrumb}
        <h1>Modifier « {sheet.data.title} »</h1>
        <Alert
          severity="info"
          title="Fiche archivée"
          description="Une fiche archivée ne peut plus être modifiée ; ses versions restent consultables."
        />
        <p className={fr.cx("fr-mt-2w")}>
          <Link className={fr.cx("fr-link")} to={`${LIBRARY_PATH}/${id}`}>
            Retour à la fiche
          </Link>
        </p>
      </>
    );
  }
  return <EditForm sheet={sheet.data} breadcrumb={breadcrumb} />;
}

function EditForm({ sheet, breadcrumb }: { sheet: SheetView; breadcrumb: React.ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const current = sheet.versions.find((v) => v.version === sheet.currentVersion) ?? sheet.versions[0];
  const next = sheet.currentVersion + 1;
  const form = useForm<UpdateValues>({
    resolver: zodResolver(UpdateReflexSheetRequest),
    // The error summary takes the focus (it links to each field), not the first field.
    shouldFocusError: false,
    defaultValues: {
      title: current?.title ?? sheet.title,
      category: sheet.category as UpdateValues["category"],
      tlp: current?.tlp ?? sheet.tlp,
      body: current?.body ?? "",
      changeNote: "",
      baseVersion: sheet.currentVersion,
    },
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) => (field in fields && field !== "slug" && field !== "kind" ? field : null),
  });
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const values = raw as z.output<typeof UpdateReflexSheetRequest>;
    const saved = await api.put<SheetView>(`/api/reflex-sheets/${encodeURIComponent(sheet.id)}`, values);
    queryClient.setQueryData(sheetKeys.sheet(sheet.id), saved);
    await queryClient.invalidateQueries({ queryKey: sheetKeys.lists });
    navigate(`${LIBRARY_PATH}/${sheet.id}`, {
      state: {
        saved: `Version ${saved.currentVersion} enregistrée. Les versions précédentes restent consultables.`,
      },
    });
  });
  const conflict = feedback.globalError instanceof ApiError && feedback.globalError.code === "CONFLICT";

  return (
    <>
      {breadcrumb}
      <h1>Modifier « {sheet.title} »</h1>
      <p>
        L'enregistrement crée la <strong>version {next}</strong> de la fiche (version actuelle :{" "}
        {sheet.currentVersion}). Les versions précédentes restent consultables, inchangées.
      </p>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-lg-10")}>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        >
          {conflict ? (
            <p>
              <a
                href={`${LIBRARY_PATH}/${sheet.id}`}
                target="_blank"
                rel="noopener"
                title="Voir la dernière version de la fiche — nouvelle fenêtre"
              >
                Voir la dernière version de la fiche
              </a>{" "}
              (votre saisie est conservée ici).
            </p>
          ) : null}
        </ErrorSummary>
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Version {next}</legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <CategoryField form={form} />
          </div>
          <ContentFields form={form} />
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.changeNote.id}
              label={fields.changeNote.label}
              hint="Ce qui change et pourquoi ; elle figure dans l'historique des versions."
              error={fieldError(errors, "changeNote")}
              inputProps={{ ...form.register("changeNote"), autoComplete: "off" }}
            />
          </div>
        </fieldset>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Enregistrer la version {next}
            </Button>
          </li>
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={`${LIBRARY_PATH}/${sheet.id}`}>
              Annuler
            </Link>
          </li>
        </ul>
      </form>
    </>
  );
}

/** What the shared fields need of either form. */
interface AnySheetForm {
  register: (name: "category" | "title" | "tlp" | "body") => UseFormRegisterReturn;
  watch: (name: "body") => unknown;
  formState: { errors: FieldErrors };
}

function CategoryField({ form }: { form: AnySheetForm }) {
  return (
    <SelectField
      id={fields.category.id}
      label={fields.category.label}
      hint="Le type d'incident auquel la fiche répond : elle est suggérée pour les déclarations de ce type."
      error={fieldError(form.formState.errors, "category")}
      selectProps={form.register("category")}
    >
      {categoryOptions.map((c) => (
        <option key={c.code} value={c.code}>
          {c.label}
        </option>
      ))}
    </SelectField>
  );
}

function ContentFields({
  form,
  onTitleChange,
}: {
  form: AnySheetForm;
  onTitleChange?: (title: string) => void;
}) {
  const errors = form.formState.errors;
  const title = form.register("title");
  const body = String(form.watch("body") ?? "");
  return (
    <>
      <div className={fr.cx("fr-fieldset__element")}>
        <TextField
          id={fields.title.id}
          label={fields.title.label}
          hint="De 3 à 200 caractères."
          error={fieldError(errors, "title")}
          inputProps={{
            ...title,
            autoComplete: "off",
            onChange: (event) => {
              onTitleChange?.(event.target.value);
              return title.onChange(event);
            },
          }}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <SelectField
          id={fields.tlp.id}
          label={fields.tlp.label}
          hint="Une version TLP:RED n'est jamais envoyée à un déclarant."
          error={fieldError(errors, "tlp")}
          selectProps={form.register("tlp")}
        >
          {tlp.values.map((code) => (
            <option key={code} value={code}>
              {tlp.labels[code]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <TextField
          id={fields.body.id}
          label={fields.body.label}
          hint={`Mise en forme Markdown : « ## » en début de ligne pour un titre de section, « - » pour un élément de liste, **gras**. De 20 à ${REFLEX_SHEET_BODY_MAX.toLocaleString("fr-FR")} caractères (${body.length.toLocaleString("fr-FR")} saisis).`}
          error={fieldError(errors, "body")}
          textArea
          textAreaProps={{ ...form.register("body"), rows: 16, spellCheck: true }}
        />
      </div>
      {body.trim() ? (
        <div className={fr.cx("fr-fieldset__element")}>
          <details>
            <summary>Aperçu de la mise en forme</summary>
            <div className={`vigie-sheet-body ${fr.cx("fr-mt-2w")}`}>
              <Markdown source={body} headingLevel={2} />
            </div>
          </details>
        </div>
      ) : null}
    </>
  );
}
