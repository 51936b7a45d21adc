import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import Table from "@codegouvfr/react-dsfr/Table";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ApiTokenView, CreatedApiToken, Permission } from "@vigie/contracts";
import { permissionLabels } from "@vigie/contracts";
import { useRef, useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { api, listOf } from "../../app/api.ts";
import type { SessionUser } from "../../app/auth.tsx";
import {
  FormErrorSummary,
  FormTextField,
  fieldError,
  RequiredNotice,
  SelectField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { formatDate, formatDateTime, Loading, QueryError } from "../../app/ui.tsx";

type Token = z.infer<typeof ApiTokenView>;
type Created = z.infer<typeof CreatedApiToken>;

const TokenForm = z.object({
  name: z.string().trim().min(2, { error: "Donnez un nom au jeton (2 caractères au moins)." }).max(100),
  scopes: z.array(z.string()).min(1, { error: "Choisissez au moins une autorisation." }),
  expiresInDays: z.string(),
});

const fields = {
  name: { id: "token-name", label: "Nom du jeton" },
  scopes: { id: "token-scopes-0", label: "Autorisations" },
  expiresInDays: { id: "token-expiry", label: "Durée de validité" },
};

function tokenState(token: Token): { label: string; severity: "success" | "error" | "warning" } {
  if (token.revokedAt) return { label: "Révoqué", severity: "error" };
  if (token.expiresAt && new Date(token.expiresAt) < new Date())
    return { label: "Expiré", severity: "warning" };
  return { label: "Actif", severity: "success" };
}

/** The user's API tokens: list, creation (secret shown once), revocation. */
export function ApiTokensSection({ user }: { user: SessionUser }) {
  const queryClient = useQueryClient();
  // A token can carry only what its owner may do, and never the right to mint tokens.
  const grantable = user.permissions.filter((p) => p !== "tokens:manage");
  const tokens = useQuery({
    queryKey: ["tokens"],
    queryFn: async () => listOf<Token>(await api.get<unknown>("/api/tokens"), "tokens"),
  });
  const [created, setCreated] = useState<Created | null>(null);
  const [copied, setCopied] = useState<"idle" | "ok" | "failed">("idle");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [revokedName, setRevokedName] = useState<string | null>(null);
  const createdRef = useRef<HTMLDivElement>(null);

  const form = useForm<z.infer<typeof TokenForm>>({
    resolver: zodResolver(TokenForm),
    defaultValues: { name: "", scopes: [], expiresInDays: "90" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;

  const submit = feedback.handle(async (values) => {
    setCopied("idle");
    setRevokedName(null);
    const answer = await api.post<Created>("/api/tokens", {
      name: values.name,
      scopes: values.scopes as Permission[],
      expiresInDays: values.expiresInDays ? Number(values.expiresInDays) : undefined,
    });
    setCreated(answer);
    form.reset({ name: "", scopes: [], expiresInDays: "90" });
    await queryClient.invalidateQueries({ queryKey: ["tokens"] });
    requestAnimationFrame(() => createdRef.current?.focus());
  });

  const revoke = useMutation({
    mutationFn: (token: Token) => api.delete(`/api/tokens/${token.id}`),
    onSuccess: async (_data, token) => {
      setConfirming(null);
      setRevokedName(token.name);
      if (created?.id === token.id) setCreated(null);
      await queryClient.invalidateQueries({ queryKey: ["tokens"] });
    },
  });

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied("ok");
    } catch {
      setCopied("failed");
    }
  };

  return (
    <section aria-labelledby="jetons" className={fr.cx("fr-mb-8w")}>
      <h2 id="jetons">Jetons d'API</h2>
      <p>
        Un jeton permet à un logiciel (outil de supervision, script) d'utiliser l'API de Vigie en votre nom,
        avec les seules autorisations choisies. Envoyez-le dans l'en-tête <code>Authorization: Bearer …</code>
        .
      </p>

      {created ? (
        <div ref={createdRef} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
          <Alert
            severity="success"
            title={`Jeton « ${created.name} » créé`}
            description={
              <>
                <span className={fr.cx("fr-mb-1w")} style={{ display: "block" }}>
                  Copiez-le maintenant : pour votre sécurité, il ne sera plus jamais affiché.
                </span>
                <code id="new-token-secret" className="vigie-token">
                  {created.token}
                </code>
                <span style={{ display: "block" }} className={fr.cx("fr-mt-2w")}>
                  <Button
                    type="button"
                    size="small"
                    priority="secondary"
                    iconId="fr-icon-clipboard-line"
                    onClick={copy}
                  >
                    Copier le jeton
                  </Button>
                </span>
                <span role="status" style={{ display: "block" }} className={fr.cx("fr-mt-1w")}>
                  {copied === "ok"
                    ? "Jeton copié dans le presse-papiers."
                    : copied === "failed"
                      ? "La copie automatique a échoué : sélectionnez le jeton et copiez-le manuellement."
                      : ""}
                </span>
              </>
            }
          />
        </div>
      ) : null}
      {revokedName ? (
        <Alert
          severity="info"
          small
          role="status"
          description={`Le jeton « ${revokedName} » est révoqué.`}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {revoke.error ? <QueryError error={revoke.error} title="Révocation impossible" /> : null}

      <h3 className={fr.cx("fr-h5")}>Vos jetons</h3>
      {tokens.isPending ? (
        <Loading />
      ) : tokens.error ? (
        <QueryError error={tokens.error} />
      ) : tokens.data.length === 0 ? (
        <p>Vous n'avez aucun jeton.</p>
      ) : (
        <Table
          caption="Vos jetons d'API"
          noCaption
          headers={[
            "Nom",
            "Préfixe",
            "Autorisations",
            "Créé le",
            "Expire le",
            "Dernière utilisation",
            "État",
            "Action",
          ]}
          data={tokens.data.map((token) => {
            const state = tokenState(token);
            return [
              token.name,
              <code key="prefix">{token.prefix}…</code>,
              <ul key="scopes" className={fr.cx("fr-raw-list")}>
                {token.scopes.map((s) => (
                  <li key={s}>{permissionLabels[s] ?? s}</li>
                ))}
              </ul>,
              formatDate(token.createdAt),
              token.expiresAt ? formatDate(token.expiresAt) : "Jamais",
              token.lastUsedAt ? formatDateTime(token.lastUsedAt) : "Jamais utilisé",
              <Badge key="state" severity={state.severity} small>
                {state.label}
              </Badge>,
              token.revokedAt ? (
                "—"
              ) : confirming === token.id ? (
                <ul
                  key="confirm"
                  className={fr.cx("fr-btns-group", "fr-btns-group--sm", "fr-btns-group--inline")}
                >
                  <li>
                    <Button
                      type="button"
                      size="small"
                      onClick={() => revoke.mutate(token)}
                      disabled={revoke.isPending}
                    >
                      Confirmer la révocation
                    </Button>
                  </li>
                  <li>
                    <Button
                      type="button"
                      size="small"
                      priority="secondary"
                      onClick={() => setConfirming(null)}
                    >
                      Annuler
                    </Button>
                  </li>
                </ul>
              ) : (
                <Button
                  key="revoke"
                  type="button"
                  size="small"
                  priority="secondary"
                  onClick={() => setConfirming(token.id)}
                  nativeButtonProps={{ "aria-label": `Révoquer le jeton ${token.name}` }}
                >
                  Révoquer
                </Button>
              ),
            ];
          })}
        />
      )}

      <h3 className={fr.cx("fr-h5", "fr-mt-4w")}>Créer un jeton</h3>
      {grantable.length === 0 ? (
        <p>Votre rôle ne comporte aucune autorisation utilisable par un jeton d'API.</p>
      ) : (
        <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <RequiredNotice />
          <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
          <FormTextField
            form={form}
            fields={fields}
            name="name"
            hint="Pour le reconnaître, par exemple : supervision SOC"
            inputProps={{ autoComplete: "off" }}
          />
          <Controller
            control={form.control}
            name="scopes"
            render={({ field }) => (
              <Checkbox
                id="token-scopes"
                legend="Autorisations"
                hintText="Limitées à celles de votre compte. N'accordez que le nécessaire."
                state={fieldError(errors, "scopes") ? "error" : "default"}
                stateRelatedMessage={fieldError(errors, "scopes")}
                options={grantable.map((permission) => ({
                  label: permissionLabels[permission],
                  nativeInputProps: {
                    name: "scopes",
                    value: permission,
                    checked: field.value.includes(permission),
                    onChange: (event) =>
                      field.onChange(
                        event.target.checked
                          ? [...field.value, permission]
                          : field.value.filter((p) => p !== permission),
                      ),
                  },
                }))}
              />
            )}
          />
          <SelectField
            id={fields.expiresInDays.id}
            label={fields.expiresInDays.label}
            error={fieldError(errors, "expiresInDays")}
            selectProps={form.register("expiresInDays")}
          >
            <option value="30">30 jours</option>
            <option value="90">90 jours</option>
            <option value="180">6 mois</option>
            <option value="365">1 an</option>
            <option value="730">2 ans</option>
          </SelectField>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Créer le jeton
          </Button>
        </form>
      )}
    </section>
  );
}
