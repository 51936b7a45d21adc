import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { type AssetKind, assetKindLabels, assetKinds, sensitiveServices } from "@vigie/contracts";
import { useEffect, useId, useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../app/api.ts";
import {
  ErrorSummary,
  fieldError,
  RequiredNotice,
  SelectField,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import type { Asset } from "./api.ts";

interface AssetValues {
  kind: AssetKind | "";
  value: string;
  vendor: string;
  product: string;
  version: string;
  cpe: string;
  host: string;
  port: string;
  transport: string;
  service: string;
  label: string;
}

const empty: AssetValues = {
  kind: "",
  value: "",
  vendor: "",
  product: "",
  version: "",
  cpe: "",
  host: "",
  port: "",
  transport: "",
  service: "",
  label: "",
};

function valuesOf(asset: Asset): AssetValues {
  return {
    kind: asset.kind,
    value: asset.value ?? "",
    vendor: asset.vendor ?? "",
    product: asset.product ?? "",
    version: asset.version ?? "",
    cpe: asset.cpe ?? "",
    host: asset.host ?? "",
    port: asset.port === null ? "" : String(asset.port),
    transport: asset.transport ?? "",
    service: asset.service ?? "",
    label: asset.label ?? "",
  };
}

/** The request: only the fields of the chosen kind, so a field left from another kind is not sent. */
function toRequest(v: AssetValues) {
  const pick = (...names: (keyof AssetValues)[]) => Object.fromEntries(names.map((n) => [n, v[n].trim()]));
  switch (v.kind) {
    case "domain":
    case "ip":
    case "cidr":
      return { kind: v.kind, ...pick("value", "label") };
    case "product":
      return {
        kind: v.kind,
        ...pick("vendor", "product", "version", "cpe", "host", "port", "transport", "label"),
      };
    case "service":
      return {
        kind: v.kind,
        ...pick("service", "host", "port", "transport", "vendor", "product", "version", "cpe", "label"),
      };
    default:
      return { kind: undefined };
  }
}

/**
 * Adds an asset to a structure's inventory, or edits one: the fields follow the kind; the
 * server's French errors are shown beside their fields and in the summary, and nothing typed is
 * lost on error.
 */
export function AssetForm(props: {
  /** The structure the new asset goes to (id or FINESS); ignored when editing. */
  structure: string | null;
  structureName?: string;
  editing: Asset | null;
  onSaved: (asset: Asset, created: boolean) => Promise<void> | void;
  onCancel: () => void;
}) {
  const { structure, structureName, editing, onSaved, onCancel } = props;
  const uid = useId();
  const form = useForm<AssetValues>({
    defaultValues: editing ? valuesOf(editing) : empty,
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const kind = form.watch("kind");

  // A new asset to edit, or back to adding: the form starts from that asset's values.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the edited asset changes
  useEffect(() => {
    form.reset(editing ? valuesOf(editing) : empty);
    feedback.clearGlobal();
    setDone("");
  }, [editing?.id]);

  const id = (name: string) => `asset-${name}`;
  const fields = {
    kind: { id: id("kind"), label: "Type d'actif" },
    value: {
      id: id("value"),
      label:
        kind === "domain" ? "Nom de domaine" : kind === "cidr" ? "Plage d'adresses (CIDR)" : "Adresse IP",
    },
    vendor: { id: id("vendor"), label: "Éditeur" },
    product: { id: id("product"), label: "Produit" },
    version: { id: id("version"), label: "Version" },
    cpe: { id: id("cpe"), label: "Chaîne CPE 2.3" },
    host: { id: id("host"), label: "Hôte (adresse IP ou nom)" },
    port: { id: id("port"), label: "Port" },
    transport: { id: id("transport"), label: "Protocole de transport" },
    service: { id: id("service"), label: "Service" },
    label: { id: id("label"), label: "Libellé" },
  };
  const errorOf = (name: keyof AssetValues) => fieldError(form.formState.errors, name);

  const submit = feedback.handle(async (raw) => {
    setDone("");
    const values = raw as AssetValues;
    if (!values.kind) {
      form.setError("kind", { type: "required", message: "Choisissez le type d'actif." });
      feedback.focusSummary();
      return;
    }
    const request = toRequest(values);
    const saved = editing
      ? await api.put<Asset>(`/api/assets/${encodeURIComponent(editing.id)}`, request)
      : await api.post<Asset>("/api/assets", { ...request, structure });
    await onSaved(saved, !editing);
    if (!editing) {
      // The next asset is often of the same kind.
      form.reset({ ...empty, kind: values.kind });
      setDone(`Actif ajouté (${assetKindLabels[saved.kind].toLowerCase()}) : ${describe(saved)}.`);
    }
  });

  const withProduct = kind === "product" || kind === "service";
  const titleId = `${uid}-title`;
  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId} className={fr.cx("fr-mt-6w")}>
      <h2 id={titleId} tabIndex={-1}>
        {editing
          ? `Modifier l'actif ${describe(editing)}`
          : `Ajouter un actif${structureName ? ` — ${structureName}` : ""}`}
      </h2>
      <RequiredNotice />
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <SelectField
            id={fields.kind.id}
            label={fields.kind.label}
            error={errorOf("kind")}
            selectProps={form.register("kind")}
          >
            <option value="" disabled>
              Choisir
            </option>
            {assetKinds.map((k) => (
              <option key={k} value={k}>
                {assetKindLabels[k]}
              </option>
            ))}
          </SelectField>
        </div>
        {kind === "domain" || kind === "ip" || kind === "cidr" ? (
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={fields.value.id}
              label={fields.value.label}
              hint={
                kind === "domain"
                  ? "Sans « http:// » ni chemin, par exemple ch-exemple.fr (les accents sont acceptés)"
                  : kind === "cidr"
                    ? "L'adresse du réseau et la longueur du préfixe, par exemple 198.51.100.0/24 ou 2001:db8:12::/48"
                    : "IPv4 ou IPv6, par exemple 203.0.113.10"
              }
              error={errorOf("value")}
              inputProps={{ ...form.register("value"), autoComplete: "off", spellCheck: false }}
            />
          </div>
        ) : null}
      </div>
      {kind === "service" ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={fields.service.id}
              label={fields.service.label}
              hint="rdp, smb, dicom, telnet, mssql… ou un autre nom : le port usuel d'un service connu est repris s'il n'est pas saisi"
              error={errorOf("service")}
              inputProps={{
                ...form.register("service"),
                list: `${uid}-services`,
                autoComplete: "off",
                spellCheck: false,
              }}
            />
            <datalist id={`${uid}-services`}>
              {Object.entries(sensitiveServices).map(([key, spec]) => (
                <option key={key} value={key}>
                  {spec.label}
                </option>
              ))}
            </datalist>
          </div>
        </div>
      ) : null}
      {withProduct ? (
        <>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <TextField
                id={fields.vendor.id}
                label={fields.vendor.label}
                optional={kind === "service"}
                hint="Par exemple Citrix, Fortinet, Ivanti, Microsoft"
                error={errorOf("vendor")}
                inputProps={{ ...form.register("vendor"), autoComplete: "off" }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <TextField
                id={fields.product.id}
                label={fields.product.label}
                optional={kind === "service"}
                hint="Par exemple NetScaler ADC, FortiGate, Connect Secure, Exchange Server"
                error={errorOf("product")}
                inputProps={{ ...form.register("product"), autoComplete: "off" }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <TextField
                id={fields.version.id}
                label={fields.version.label}
                optional
                hint="Telle que le produit l'affiche : 13.1-49.14, 7.2.4, 22.6R2, 2019 CU8"
                error={errorOf("version")}
                inputProps={{ ...form.register("version"), autoComplete: "off", spellCheck: false }}
              />
            </div>
          </div>
          <TextField
            id={fields.cpe.id}
            label={fields.cpe.label}
            optional
            hint="Si vous la connaissez, par exemple cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:* ; elle suffit à décrire le produit"
            error={errorOf("cpe")}
            inputProps={{ ...form.register("cpe"), autoComplete: "off", spellCheck: false }}
          />
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <TextField
                id={fields.host.id}
                label={fields.host.label}
                optional={kind === "product"}
                hint="Où il est exposé, par exemple 203.0.113.10 ou vpn.ch-exemple.fr"
                error={errorOf("host")}
                inputProps={{ ...form.register("host"), autoComplete: "off", spellCheck: false }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <TextField
                id={fields.port.id}
                label={fields.port.label}
                optional
                hint="De 1 à 65535"
                error={errorOf("port")}
                inputProps={{ ...form.register("port"), inputMode: "numeric", autoComplete: "off" }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <SelectField
                id={fields.transport.id}
                label={fields.transport.label}
                hint="TCP par défaut"
                error={errorOf("transport")}
                selectProps={form.register("transport")}
              >
                <option value="">Par défaut</option>
                <option value="tcp">TCP</option>
                <option value="udp">UDP</option>
              </SelectField>
            </div>
          </div>
        </>
      ) : null}
      {kind ? (
        <TextField
          id={fields.label.id}
          label={fields.label.label}
          optional
          hint="Ce que c'est pour vous, par exemple « Passerelle d'accès distant des médecins »"
          error={errorOf("label")}
          inputProps={{ ...form.register("label"), autoComplete: "off" }}
        />
      ) : null}
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline", "fr-mt-2w")}>
        <Button
          type="submit"
          iconId={editing ? "fr-icon-save-line" : "fr-icon-add-line"}
          disabled={form.formState.isSubmitting}
        >
          {editing ? "Enregistrer les modifications" : "Ajouter l'actif"}
        </Button>
        {editing ? (
          <Button type="button" priority="secondary" onClick={onCancel}>
            Annuler la modification
          </Button>
        ) : null}
      </div>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0", "fr-mt-1w")}>
        {done}
      </p>
    </form>
  );
}

/** A short description of an asset, for messages and accessible names. */
export function describe(asset: Asset): string {
  switch (asset.kind) {
    case "domain":
    case "ip":
    case "cidr":
      return asset.value ?? "";
    case "product":
      return [asset.vendor, asset.product, asset.version].filter(Boolean).join(" ");
    case "service":
      return `${asset.service ?? ""} sur ${asset.host ?? ""}:${asset.port ?? ""}`;
  }
}
