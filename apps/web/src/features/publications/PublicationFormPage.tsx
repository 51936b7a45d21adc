import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import RadioButtons from "@codegouvfr/react-dsfr/RadioButtons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CreatePublicationRequest,
  type ExploitationStatus,
  exploitationStatuses,
  exploitationStatusLabels,
  type PublicationKind,
  type PublishableTlp,
  publicationKindLabels,
  publicationKinds,
  publicationStatusLabels,
  publicationTlpMeanings,
  publishableTlps,
  tlp as tlpCodes,
} from "@vigie/contracts";
import { type ReactNode, useRef, useState } from "react";
import { type FieldErrors, type Resolver, type UseFormReturn, useFieldArray, useForm } from "react-hook-form";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { ApiError, api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import {
  ErrorSummary,
  type FieldSpec,
  fieldError,
  RequiredNotice,
  SelectField,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";
import { CERT_PATH, type CertPublicationData, PUBLIC_PATH, publicationKeys } from "./api.ts";
import { PublicationBadges, PublicationContent, PublicationHistory, TlpNotice } from "./PublicationParts.tsx";
import "./publications.css";

/** The form's values: lists typed as text (one CVE or address per line or separated by commas). */
interface FormValues {
  kind: PublicationKind;
  title: string;
  summary: string;
  risk: string;
  products: { vendor: string; product: string; versions: string }[];
  cveText: string;
  exploitation: ExploitationStatus;
  actions: string;
  referencesText: string;
  body: string;
  tlp: PublishableTlp;
  /** Only for publishing (not saved with the draft). */
  changeNote: string;
}

const baseFields = {
  kind: { id: "publication-kind-0", label: "Nature" },
  title: { id: "publication-title", label: "Titre" },
  tlp: { id: "publication-tlp", label: "Diffusion (TLP)" },
  summary: { id: "publication-summary", label: "Résumé" },
  risk: { id: "publication-risk", label: "Risque" },
  products: { id: "publication-add-product", label: "Produits concernés" },
  cveText: { id: "publication-cves", label: "Identifiants CVE" },
  exploitation: { id: "publication-exploitation", label: "Exploitation" },
  actions: { id: "publication-actions", label: "Actions recommandées" },
  body: { id: "publication-body", label: "Contenu" },
  referencesText: { id: "publication-references", label: "Références" },
  changeNote: { id: "publication-change-note", label: "Note de modification" },
} satisfies Record<string, FieldSpec>;

/** The summary's entries, product rows included. */
function fieldSpecs(productCount: number): Record<string, FieldSpec> {
  const specs: Record<string, FieldSpec> = { ...baseFields };
  for (let i = 0; i < productCount; i++) {
    specs[`products.${i}.vendor`] = {
      id: `publication-product-${i}-vendor`,
      label: `Produit ${i + 1}, éditeur`,
    };
    specs[`products.${i}.product`] = {
      id: `publication-product-${i}-product`,
      label: `Produit ${i + 1}, nom`,
    };
    specs[`products.${i}.versions`] = {
      id: `publication-product-${i}-versions`,
      label: `Produit ${i + 1}, versions`,
    };
  }
  return specs;
}

const splitList = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The request the API expects, from the form's values. */
function toRequest(values: FormValues) {
  return {
    kind: values.kind,
    title: values.title,
    summary: values.summary,
    risk: values.risk,
    products: values.products,
    cveIds: splitList(values.cveText),
    exploitation: values.exploitation,
    actions: values.actions,
    referenceUrls: splitList(values.referencesText),
    body: values.body,
    tlp: values.tlp,
  };
}

/** The form field an API or schema path belongs to (`cveIds.2` → the CVE text). */
function formField(path: string): string | null {
  const head = path.split(".")[0] ?? path;
  if (head === "cveIds") return "cveText";
  if (head === "referenceUrls") return "referencesText";
  if (head === "products") return /^products\.\d+\.(vendor|product|versions)$/.test(path) ? path : "products";
  return head in baseFields ? head : null;
}

function setNested(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node: Record<string, unknown> = target;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= /^\d+$/.test(parts[parts.indexOf(part) + 1] ?? "") ? [] : {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1) as string] = value;
}

/** Validates with the contract's schema, errors placed on the form's own fields. */
const resolver: Resolver<FormValues> = async (values) => {
  const parsed = CreatePublicationRequest.safeParse(toRequest(values));
  if (parsed.success) return { values, errors: {} };
  const errors: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const name = formField(issue.path.map(String).join("."));
    if (!name || seen.has(name)) continue;
    seen.add(name);
    setNested(errors, name, { type: "validation", message: issue.message });
  }
  return { values: {}, errors: errors as FieldErrors<FormValues> };
};

function toValues(data: CertPublicationData | null): FormValues {
  return {
    kind: data?.kind ?? "alert",
    title: data?.title ?? "",
    summary: data?.summary ?? "",
    risk: data?.risk ?? "",
    products: data?.products.map((p) => ({ ...p })) ?? [],
    cveText: data?.cveIds.join("\n") ?? "",
    exploitation: data?.exploitation ?? "none_known",
    actions: data?.actions ?? "",
    referencesText: data?.referenceUrls.join("\n") ?? "",
    body: data?.body ?? "",
    tlp: data?.tlp ?? "clear",
    changeNote: "",
  };
}

const breadcrumbFor = (label: string, extra: { label: string; to: string }[] = []) => (
  <Breadcrumb
    currentPageLabel={label}
    homeLinkProps={{ to: "/" }}
    segments={[
      { label: "Rédaction des publications", linkProps: { to: CERT_PATH } },
      ...extra.map((e) => ({ label: e.label, linkProps: { to: e.to } })),
    ]}
  />
);

/** /cert/publications/nouvelle — a new draft, with its live preview. */
export function PublicationCreatePage() {
  usePageTitle("Rédiger une publication");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return (
    <>
      {breadcrumbFor("Rédiger une publication")}
      <h1>Rédiger une publication</h1>
      <p>
        Le brouillon n'est visible que du CERT. Un responsable le publie ensuite depuis sa page de
        modification.
      </p>
      <PublicationForm
        publication={null}
        onSave={async (values) => {
          const created = await api.post<CertPublicationData>("/api/cert/publications", toRequest(values));
          queryClient.setQueryData(publicationKeys.certItem(created.id), created);
          await queryClient.invalidateQueries({ queryKey: publicationKeys.certAll });
          navigate(`${CERT_PATH}/${created.id}/modifier`, { state: { saved: "Brouillon enregistré." } });
        }}
      />
    </>
  );
}

/** /cert/publications/:id/modifier — the working copy, publication (lead) and withdrawal (lead). */
export function PublicationEditPage() {
  const { id = "" } = useParams();
  const publication = useQuery({
    queryKey: publicationKeys.certItem(id),
    queryFn: ({ signal }) =>
      api.get<CertPublicationData>(`/api/cert/publications/${encodeURIComponent(id)}`, undefined, signal),
    // The form starts from what was read once: a refetch must not replace what is being typed.
    staleTime: Number.POSITIVE_INFINITY,
  });
  const data = publication.data;
  usePageTitle(data ? `Modifier « ${data.title} »` : "Modifier une publication");
  if (publication.isPending) {
    return (
      <>
        {breadcrumbFor("Modifier")}
        <Loading />
      </>
    );
  }
  if (!data) {
    return (
      <>
        {breadcrumbFor("Modifier")}
        <h1>Modifier une publication</h1>
        <QueryError error={publication.error} />
      </>
    );
  }
  return <EditPublication key={data.id} data={data} />;
}

function EditPublication({ data }: { data: CertPublicationData }) {
  const queryClient = useQueryClient();
  const canPublish = useCan("publications:publish");
  const location = useLocation();
  const [saved, setSaved] = useState<string | null>(
    (location.state as { saved?: string } | null)?.saved ?? null,
  );
  const [base, setBase] = useState(data);
  // The version the next save starts from: a save before a failed publication moves it without
  // re-rendering, so the errors shown stay on screen.
  const updatedAt = useRef(data.updatedAt);
  const statusRef = useRef<HTMLDivElement>(null);
  const refresh = async (next: CertPublicationData, message: string) => {
    queryClient.setQueryData(publicationKeys.certItem(next.id), next);
    await queryClient.invalidateQueries({ queryKey: publicationKeys.certAll });
    await queryClient.invalidateQueries({ queryKey: publicationKeys.all });
    updatedAt.current = next.updatedAt;
    setBase(next);
    setSaved(message);
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  const publicUrl = base.slug ? `${PUBLIC_PATH}/${base.slug}` : null;
  const withdrawn = base.status === "withdrawn";

  return (
    <>
      {breadcrumbFor("Modifier")}
      <h1>Modifier « {base.title} »</h1>
      <ul className={fr.cx("fr-badges-group", "fr-mb-2w")}>
        <li>
          <Badge
            small
            noIcon
            severity={base.status === "published" ? "success" : base.status === "draft" ? "new" : "warning"}
          >
            {publicationStatusLabels[base.status]}
          </Badge>
        </li>
        {base.hasUnpublishedChanges && base.status === "published" ? (
          <li>
            <Badge small noIcon severity="info">
              Modifications non publiées
            </Badge>
          </li>
        ) : null}
      </ul>
      <p>
        {base.reference ? (
          <>
            Référence <strong>{base.reference}</strong>, révision publiée {base.revision}.{" "}
          </>
        ) : (
          "Jamais publiée : la référence est attribuée à la première publication. "
        )}
        {publicUrl ? <Link to={publicUrl}>Voir la publication en ligne</Link> : null}
      </p>
      <div ref={statusRef} tabIndex={-1} role="status">
        {saved ? <Alert severity="success" small description={saved} className={fr.cx("fr-mb-3w")} /> : null}
      </div>
      {withdrawn ? (
        <>
          <Alert
            severity="warning"
            title="Publication retirée"
            description={`Motif : ${base.withdrawalNote ?? ""} Elle n'est plus modifiable ; le CERT la consulte encore avec son historique.`}
          />
          <PublicationHistory revisions={base.revisions} />
        </>
      ) : (
        <PublicationForm
          key={base.updatedAt}
          publication={base}
          onSave={async (values) => {
            const next = await api.put<CertPublicationData>(
              `/api/cert/publications/${encodeURIComponent(base.id)}`,
              { ...toRequest(values), baseUpdatedAt: updatedAt.current },
            );
            await refresh(
              next,
              base.status === "draft"
                ? "Brouillon enregistré."
                : "Modifications enregistrées : elles seront visibles à la prochaine publication.",
            );
            return next;
          }}
          onPublish={
            canPublish
              ? async (values) => {
                  const savedCopy = await api.put<CertPublicationData>(
                    `/api/cert/publications/${encodeURIComponent(base.id)}`,
                    { ...toRequest(values), baseUpdatedAt: updatedAt.current },
                  );
                  updatedAt.current = savedCopy.updatedAt;
                  const published = await api.post<CertPublicationData>(
                    `/api/cert/publications/${encodeURIComponent(base.id)}/publish`,
                    values.changeNote.trim() ? { changeNote: values.changeNote.trim() } : {},
                  );
                  await refresh(
                    published,
                    published.revision === 1
                      ? `Publication en ligne sous la référence ${published.reference}.`
                      : `Révision ${published.revision} publiée.`,
                  );
                  return published;
                }
              : undefined
          }
        />
      )}
      {!withdrawn && base.revisions.length > 0 ? <PublicationHistory revisions={base.revisions} /> : null}
      {canPublish && base.status === "published" ? (
        <WithdrawPanel publication={base} onDone={(next) => refresh(next, "Publication retirée.")} />
      ) : null}
    </>
  );
}

function PublicationForm({
  publication,
  onSave,
  onPublish,
}: {
  publication: CertPublicationData | null;
  onSave: (values: FormValues) => Promise<unknown>;
  onPublish?: ((values: FormValues) => Promise<unknown>) | undefined;
}) {
  const form = useForm<FormValues>({
    resolver,
    // The error summary takes the focus (it links to each field), not the first field.
    shouldFocusError: false,
    defaultValues: toValues(publication),
  });
  const products = useFieldArray({ control: form.control, name: "products" });
  const feedback = useFormFeedback(form, { mapField: formField });
  const errors = form.formState.errors;
  const [preview, setPreview] = useState(false);
  const fields = fieldSpecs(products.fields.length);
  const published = publication !== null && publication.revision > 0;
  const conflict = feedback.globalError instanceof ApiError && feedback.globalError.code === "CONFLICT";

  const save = feedback.handle(async (raw) => {
    await onSave(raw as FormValues);
  });
  const publish = feedback.handle(async (raw) => {
    const values = raw as FormValues;
    if (published && !values.changeNote.trim()) {
      form.setError("changeNote", {
        type: "validation",
        message: "Expliquez la modification publiée (note de modification).",
      });
      feedback.focusSummary();
      return;
    }
    await onPublish?.(values);
  });

  return (
    <form onSubmit={save} noValidate className={fr.cx("fr-col-12", "fr-col-lg-10")}>
      <RequiredNotice />
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      >
        {conflict ? <p>Rechargez la page pour repartir de la dernière version enregistrée.</p> : null}
      </ErrorSummary>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Présentation</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          {publication ? (
            <p>
              Nature : <strong>{publicationKindLabels[publication.kind]}</strong>
            </p>
          ) : (
            <RadioButtons
              id="publication-kind"
              legend={baseFields.kind.label}
              name="kind"
              orientation="horizontal"
              state={fieldError(errors, "kind") ? "error" : "default"}
              stateRelatedMessage={fieldError(errors, "kind")}
              options={publicationKinds.map((k) => ({
                label: publicationKindLabels[k],
                nativeInputProps: { ...form.register("kind"), value: k },
              }))}
            />
          )}
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.title.id}
            label={baseFields.title.label}
            hint="De 3 à 200 caractères."
            error={fieldError(errors, "title")}
            inputProps={{ ...form.register("title"), autoComplete: "off" }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <SelectField
            id={baseFields.tlp.id}
            label={baseFields.tlp.label}
            hint="TLP:CLEAR est public ; TLP:GREEN et TLP:AMBER sont réservés aux comptes connectés. TLP:AMBER+STRICT et TLP:RED ne se publient pas."
            error={fieldError(errors, "tlp")}
            selectProps={form.register("tlp")}
          >
            {publishableTlps.map((code) => (
              <option key={code} value={code}>
                {tlpCodes.labels[code]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.summary.id}
            label={baseFields.summary.label}
            hint="Quelques phrases, affichées dans la liste et les flux. Obligatoire pour publier (20 caractères au moins)."
            optional
            error={fieldError(errors, "summary")}
            textArea
            textAreaProps={{ ...form.register("summary"), rows: 3 }}
          />
        </div>
      </fieldset>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Vulnérabilité et risque</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.risk.id}
            label={baseFields.risk.label}
            hint="Ce que risque une structure exposée. Obligatoire pour publier une alerte. Markdown accepté."
            optional
            error={fieldError(errors, "risk")}
            textArea
            textAreaProps={{ ...form.register("risk"), rows: 3 }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <SelectField
            id={baseFields.exploitation.id}
            label={baseFields.exploitation.label}
            error={fieldError(errors, "exploitation")}
            selectProps={form.register("exploitation")}
          >
            {exploitationStatuses.map((code) => (
              <option key={code} value={code}>
                {exploitationStatusLabels[code]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.cveText.id}
            label={baseFields.cveText.label}
            hint="Un par ligne ou séparés par des virgules, au format CVE-AAAA-NNNN (par exemple CVE-2023-4966)."
            optional
            error={fieldError(errors, "cveText")}
            textArea
            textAreaProps={{ ...form.register("cveText"), rows: 2, spellCheck: false }}
          />
        </div>
      </fieldset>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>
          Produits et versions concernés (obligatoires pour publier une alerte)
        </legend>
        {products.fields.map((row, i) => (
          <div key={row.id} className={fr.cx("fr-fieldset__element")}>
            <fieldset className={fr.cx("fr-fieldset", "fr-mb-0")}>
              <legend className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>Produit {i + 1}</legend>
              <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
                <TextField
                  id={`publication-product-${i}-vendor`}
                  label="Éditeur"
                  error={fieldError(errors, `products.${i}.vendor`)}
                  inputProps={{ ...form.register(`products.${i}.vendor`), autoComplete: "off" }}
                />
              </div>
              <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
                <TextField
                  id={`publication-product-${i}-product`}
                  label="Produit"
                  error={fieldError(errors, `products.${i}.product`)}
                  inputProps={{ ...form.register(`products.${i}.product`), autoComplete: "off" }}
                />
              </div>
              <div className={fr.cx("fr-fieldset__element", "fr-fieldset__element--inline")}>
                <TextField
                  id={`publication-product-${i}-versions`}
                  label="Versions concernées"
                  optional
                  error={fieldError(errors, `products.${i}.versions`)}
                  inputProps={{ ...form.register(`products.${i}.versions`), autoComplete: "off" }}
                />
              </div>
              <div className={fr.cx("fr-fieldset__element")}>
                <Button type="button" priority="tertiary" size="small" onClick={() => products.remove(i)}>
                  Retirer le produit {i + 1}
                </Button>
              </div>
            </fieldset>
          </div>
        ))}
        <div className={fr.cx("fr-fieldset__element")}>
          {fieldError(errors, "products") && typeof errors.products?.message === "string" ? (
            <p className={fr.cx("fr-error-text")} id="publication-products-error">
              {errors.products.message}
            </p>
          ) : null}
          <Button
            type="button"
            priority="secondary"
            iconId="fr-icon-add-line"
            nativeButtonProps={{ id: baseFields.products.id }}
            onClick={() => products.append({ vendor: "", product: "", versions: "" })}
          >
            Ajouter un produit
          </Button>
        </div>
      </fieldset>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Recommandations et contenu</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.actions.id}
            label={baseFields.actions.label}
            hint="Markdown : « - » pour une liste, « 1. » pour des étapes, **gras**. Obligatoire pour publier une alerte."
            optional
            error={fieldError(errors, "actions")}
            textArea
            textAreaProps={{ ...form.register("actions"), rows: 6 }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.body.id}
            label={baseFields.body.label}
            hint="Markdown : « ## » en début de ligne pour un titre de section. Obligatoire pour publier un bulletin, une fiche réflexe ou une page de bonnes pratiques."
            optional
            error={fieldError(errors, "body")}
            textArea
            textAreaProps={{ ...form.register("body"), rows: 12, spellCheck: true }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={baseFields.referencesText.id}
            label={baseFields.referencesText.label}
            hint="Adresses web complètes (https://…), une par ligne."
            optional
            error={fieldError(errors, "referencesText")}
            textArea
            textAreaProps={{ ...form.register("referencesText"), rows: 3, spellCheck: false }}
          />
        </div>
      </fieldset>
      <p>
        <Button
          type="button"
          priority="secondary"
          iconId={preview ? "fr-icon-eye-off-line" : "fr-icon-eye-line"}
          nativeButtonProps={{ "aria-expanded": preview, "aria-controls": "publication-preview" }}
          onClick={() => setPreview(!preview)}
        >
          {preview ? "Masquer l'aperçu" : "Afficher l'aperçu"}
        </Button>
      </p>
      <div id="publication-preview">{preview ? <Preview form={form} /> : null}</div>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mt-3w")}>
        <li>
          <Button
            type="submit"
            priority={onPublish ? "secondary" : "primary"}
            disabled={form.formState.isSubmitting}
          >
            {publication === null || publication.status === "draft"
              ? "Enregistrer le brouillon"
              : "Enregistrer sans publier"}
          </Button>
        </li>
        <li>
          <Link className={fr.cx("fr-btn", "fr-btn--tertiary")} to={CERT_PATH}>
            Annuler
          </Link>
        </li>
      </ul>
      {onPublish ? (
        <fieldset className={fr.cx("fr-fieldset", "fr-mt-4w")}>
          <legend className={fr.cx("fr-fieldset__legend")}>
            {published ? `Publier la révision ${(publication?.revision ?? 0) + 1}` : "Publier"}
          </legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={baseFields.changeNote.id}
              label={baseFields.changeNote.label}
              hint={
                published
                  ? "Ce qui change et pourquoi : elle figure, datée, dans l'historique de la publication."
                  : "Facultative pour la première publication (« Première publication. » sinon)."
              }
              optional={!published}
              error={fieldError(errors, "changeNote")}
              inputProps={{ ...form.register("changeNote"), autoComplete: "off" }}
            />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <Button
              type="button"
              onClick={publish}
              disabled={form.formState.isSubmitting}
              iconId="fr-icon-send-plane-line"
            >
              {published ? "Enregistrer et publier la révision" : "Enregistrer et publier"}
            </Button>
          </div>
        </fieldset>
      ) : null}
    </form>
  );
}

/** The live preview: the page as readers will see it, from what is typed now. */
function Preview({ form }: { form: UseFormReturn<FormValues> }) {
  const values = form.watch();
  const request = toRequest(values);
  const kind = values.kind;
  return (
    <section
      aria-labelledby="publication-preview-title"
      className={`vigie-publication-preview ${fr.cx("fr-mb-3w")}`}
    >
      <h2 id="publication-preview-title">Aperçu</h2>
      <PublicationBadges kind={kind} exploitation={values.exploitation} tlp={values.tlp} />
      <p className={fr.cx("fr-h4")}>{values.title || "(sans titre)"}</p>
      <TlpNotice tlp={values.tlp} />
      <PublicationContent
        level={3}
        data={{ ...request, products: request.products.filter((p) => p.vendor || p.product) }}
      />
    </section>
  );
}

function WithdrawPanel({
  publication,
  onDone,
}: {
  publication: CertPublicationData;
  onDone: (next: CertPublicationData) => Promise<void>;
}): ReactNode {
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.post<CertPublicationData>(
        `/api/cert/publications/${encodeURIComponent(publication.id)}/withdraw`,
        { note },
      );
      await onDone(next);
    } catch (caught) {
      const issue = caught instanceof ApiError ? caught.fields.find((f) => f.field === "note") : undefined;
      setError(issue?.message ?? (caught instanceof ApiError ? caught.message : "Retrait impossible."));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="withdraw-title" className={fr.cx("fr-mt-6w")}>
      <h2 id="withdraw-title">Retirer la publication</h2>
      <p>
        Elle disparaît des pages et des flux ({publicationTlpMeanings[publication.tlp].marking}) ; le CERT la
        consulte encore avec son historique. Le retrait est définitif.
      </p>
      <TextField
        id="publication-withdraw-note"
        label="Motif du retrait"
        error={error ?? undefined}
        inputProps={{ value: note, onChange: (e) => setNote(e.target.value), autoComplete: "off" }}
      />
      <Button
        type="button"
        priority="secondary"
        disabled={busy}
        onClick={withdraw}
        iconId="fr-icon-delete-line"
      >
        Retirer la publication
      </Button>
    </section>
  );
}
