import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Select from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { api, isApiError } from "../../../app/api.ts";
import { QueryError } from "../../../app/ui.tsx";
import { queueKeys, useSavedViews, type View } from "./api.ts";

/**
 * The analyst's saved views: apply one, save the current filters under a name, delete one.
 * Every outcome is announced in the section's status line.
 */
export function SavedViews(props: { currentQuery: string; onApply: (view: View) => void }) {
  const { currentQuery, onApply } = props;
  const queryClient = useQueryClient();
  const views = useSavedViews();
  const items = views.data ?? [];
  const [selected, setSelected] = useState("");
  const [selectError, setSelectError] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  const selectRef = useRef<HTMLSelectElement>(null);

  // The view matching the current filters is the one shown as selected.
  const matching = items.find((v) => v.query === currentQuery)?.id ?? "";
  useEffect(() => {
    setSelected(matching);
  }, [matching]);

  const form = useForm<{ name: string }>({ defaultValues: { name: "" } });
  const nameError = form.formState.errors.name?.message;

  const save = useMutation({
    mutationFn: (name: string) => api.post<View>("/api/cases/views", { name, query: currentQuery }),
    onSuccess: async (view) => {
      form.reset({ name: "" });
      await queryClient.invalidateQueries({ queryKey: queueKeys.views });
      setSelected(view.id);
      setMessage(`Vue « ${view.name} » enregistrée.`);
    },
    onError: (error) => {
      const issue = isApiError(error) ? error.fields[0] : undefined;
      const text = issue?.message ?? (isApiError(error) ? error.message : "Enregistrement impossible.");
      form.setError("name", { type: "server", message: text }, { shouldFocus: true });
      setMessage("");
    },
  });

  const remove = useMutation({
    mutationFn: (view: View) => api.delete<void>(`/api/cases/views/${view.id}`),
    onSuccess: async (_, view) => {
      await queryClient.invalidateQueries({ queryKey: queueKeys.views });
      setSelected("");
      setMessage(`Vue « ${view.name} » supprimée.`);
      selectRef.current?.focus();
    },
    onError: (error) => {
      setMessage(
        isApiError(error, "NOT_FOUND")
          ? "Cette vue n'existe plus."
          : `Suppression impossible. ${isApiError(error) ? error.message : ""}`.trim(),
      );
      void queryClient.invalidateQueries({ queryKey: queueKeys.views });
    },
  });

  const chosen = (): View | null => {
    const view = items.find((v) => v.id === selected) ?? null;
    if (!view) {
      setSelectError("Choisissez une vue.");
      selectRef.current?.focus();
    }
    return view;
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const view = chosen();
    if (!view) return;
    setSelectError(null);
    onApply(view);
    setMessage(`Vue « ${view.name} » appliquée.`);
  };

  const submitSave = form.handleSubmit((values) => {
    setMessage("");
    save.mutate(values.name.trim());
  });

  return (
    <section aria-labelledby="queue-views-title">
      <h2 id="queue-views-title" className={fr.cx("fr-h4")}>
        Mes vues
      </h2>
      {views.isPending ? (
        <p className={fr.cx("fr-text--sm")}>Chargement des vues…</p>
      ) : views.error ? (
        <QueryError error={views.error} title="Vues enregistrées indisponibles" />
      ) : items.length === 0 ? (
        <p className={fr.cx("fr-text--sm")}>
          Aucune vue enregistrée. Enregistrez les filtres courants pour les retrouver en un clic.
        </p>
      ) : (
        <form onSubmit={apply} noValidate className={fr.cx("fr-mb-3w")}>
          <Select
            label="Vues enregistrées"
            state={selectError ? "error" : "default"}
            stateRelatedMessage={selectError}
            nativeSelectProps={{
              id: "queue-view",
              ref: selectRef,
              value: selected,
              onChange: (e) => {
                setSelected(e.target.value);
                setSelectError(null);
              },
            }}
          >
            <option value="">Choisir une vue</option>
            {items.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </Select>
          <ul
            className={fr.cx(
              "fr-btns-group",
              "fr-btns-group--inline",
              "fr-btns-group--sm",
              "fr-btns-group--icon-left",
              "fr-mb-0",
            )}
          >
            <li>
              <Button type="submit" priority="secondary">
                Appliquer la vue
              </Button>
            </li>
            <li>
              <Button
                type="button"
                priority="tertiary"
                iconId="fr-icon-delete-line"
                disabled={remove.isPending}
                onClick={() => {
                  const view = chosen();
                  if (view) remove.mutate(view);
                }}
              >
                Supprimer la vue
              </Button>
            </li>
          </ul>
        </form>
      )}

      <form onSubmit={submitSave} noValidate>
        <Input
          label="Nom de la vue"
          hintText="Les filtres et l'ordre actuels sont enregistrés sous ce nom, pour vous seul."
          state={nameError ? "error" : "default"}
          stateRelatedMessage={nameError}
          nativeInputProps={{
            id: "queue-view-name",
            maxLength: 80,
            autoComplete: "off",
            ...form.register("name", {
              validate: (v) => (v.trim() ? true : "Nommez la vue."),
            }),
          }}
        />
        <Button type="submit" size="small" iconId="fr-icon-save-line" disabled={save.isPending}>
          Enregistrer cette vue
        </Button>
      </form>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--sm", "fr-mt-2w", "fr-mb-0")}>
        {message}
      </p>
    </section>
  );
}
