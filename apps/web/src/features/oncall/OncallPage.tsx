import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { zodResolver } from "@hookform/resolvers/zod";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  CreateShiftRequest,
  type OncallNow,
  type PageList,
  type PageView,
  roleLabels,
  type ShiftList,
  type ShiftView,
  type UserPage,
} from "@vigie/contracts";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import { ApiError, api } from "../../app/api.ts";
import { useCan, useCurrentUser } from "../../app/auth.tsx";
import {
  ErrorSummary,
  fieldError,
  RequiredNotice,
  SelectField,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { ConfirmPanel } from "./ConfirmPanel.tsx";
import { parisLocalToIso } from "./paris-time.ts";

type Shift = z.infer<typeof ShiftView>;
type Page = z.infer<typeof PageView>;
type Staff = z.infer<typeof UserPage>["items"][number];

export const ONCALL_PATH = "/cert/astreinte";

const oncallKeys = {
  all: ["oncall"] as const,
  now: ["oncall", "now"] as const,
  shifts: (days: number) => ["oncall", "shifts", days] as const,
  pages: (pending: boolean) => ["oncall", "pages", pending] as const,
  staff: ["oncall", "staff"] as const,
};

const periods = [7, 14, 30, 90] as const;

const positionLabel = (position: number) =>
  position === 1 ? "Rang 1 (appelé en premier)" : `Rang ${position} (renfort)`;

/** /cert/astreinte — who is on call, the rota, and the pages with their acknowledgment. */
export function OncallPage() {
  usePageTitle("Astreinte");
  const canManage = useCan("oncall:manage");
  const statusRef = useRef<HTMLParagraphElement>(null);
  const [status, setStatus] = useState("");
  const announce = (message: string) => {
    setStatus(message);
    requestAnimationFrame(() => statusRef.current?.focus());
  };

  return (
    <>
      <h1>Astreinte</h1>
      <p>
        Planning d'astreinte du CERT (heure de Paris). Une déclaration reçue hors des heures ouvrées appelle
        la personne d'astreinte au rang 1 ; sans accusé de réception, l'appel passe au rang suivant.
      </p>
      <p ref={statusRef} tabIndex={-1} role="status" className={fr.cx("fr-text--bold")}>
        {status}
      </p>
      <OnCallNowSection />
      <RotaSection canManage={canManage} announce={announce} />
      {canManage ? <AddShiftSection announce={announce} /> : null}
      <PagesSection announce={announce} />
    </>
  );
}

function OnCallNowSection() {
  const now = useQuery({
    queryKey: oncallKeys.now,
    queryFn: ({ signal }) => api.get<z.infer<typeof OncallNow>>("/api/oncall/now", undefined, signal),
    refetchInterval: 60_000,
  });
  return (
    <section aria-labelledby="oncall-now-title" className={fr.cx("fr-mb-6w")}>
      <h2 id="oncall-now-title">D'astreinte maintenant</h2>
      {now.isPending ? (
        <Loading />
      ) : now.error ? (
        <QueryError error={now.error} />
      ) : now.data.items.length === 0 ? (
        <p>
          Personne n'est planifié en ce moment : les appels partent à l'adresse de repli{" "}
          <a href={`mailto:${now.data.fallbackEmail}`}>{now.data.fallbackEmail}</a>.
        </p>
      ) : (
        <ul>
          {now.data.items.map((shift) => (
            <li key={shift.id}>
              <strong>{shift.fullName}</strong> — {positionLabel(shift.position)}, jusqu'au{" "}
              {formatDateTime(shift.endsAt)} (<a href={`mailto:${shift.email}`}>{shift.email}</a>)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RotaSection({ canManage, announce }: { canManage: boolean; announce: (message: string) => void }) {
  const queryClient = useQueryClient();
  const [days, setDays] = useState<number>(14);
  const [deleting, setDeleting] = useState<Shift | null>(null);
  const shifts = useQuery({
    queryKey: oncallKeys.shifts(days),
    queryFn: ({ signal }) => {
      const from = new Date();
      const to = new Date(from.getTime() + days * 86_400_000);
      return api.get<z.infer<typeof ShiftList>>(
        "/api/oncall/shifts",
        { from: from.toISOString(), to: to.toISOString() },
        signal,
      );
    },
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const items = shifts.data?.items ?? [];
  const describe = (s: Shift) =>
    `${s.fullName}, rang ${s.position}, du ${formatDateTime(s.startsAt)} au ${formatDateTime(s.endsAt)}`;

  return (
    <section aria-labelledby="oncall-rota-title" className={fr.cx("fr-mb-6w")}>
      <h2 id="oncall-rota-title">Planning</h2>
      <div className={fr.cx("fr-grid-row")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Select
            label="Période affichée"
            nativeSelectProps={{
              id: "oncall-period",
              value: String(days),
              onChange: (e) => setDays(Number(e.target.value)),
            }}
          >
            {periods.map((p) => (
              <option key={p} value={p}>
                Les {p} prochains jours
              </option>
            ))}
          </Select>
        </div>
      </div>
      {deleting ? (
        <ConfirmPanel
          id="oncall-delete-confirm"
          title="Supprimer ce créneau d'astreinte ?"
          confirmLabel="Supprimer le créneau"
          onCancel={() => {
            const id = deleting.id;
            setDeleting(null);
            requestAnimationFrame(() => document.getElementById(`delete-shift-${id}`)?.focus());
          }}
          onConfirm={async () => {
            await api.delete(`/api/oncall/shifts/${encodeURIComponent(deleting.id)}`);
            await queryClient.invalidateQueries({ queryKey: oncallKeys.all });
            setDeleting(null);
            announce(`Créneau supprimé : ${describe(deleting)}.`);
          }}
        >
          <p>{describe(deleting)}.</p>
        </ConfirmPanel>
      ) : null}
      {shifts.isPending ? (
        <Loading />
      ) : shifts.error ? (
        <QueryError error={shifts.error} />
      ) : items.length === 0 ? (
        <p>Aucun créneau d'astreinte sur les {days} prochains jours.</p>
      ) : (
        <Table
          caption={`Créneaux d'astreinte des ${days} prochains jours`}
          headers={[
            "Personne",
            "Rang d'appel",
            "Début",
            "Fin",
            ...(canManage ? [<span key="actions">Actions</span>] : []),
          ]}
          data={items.map((shift) => [
            <span key="name">
              {shift.fullName}
              <br />
              <a className={fr.cx("fr-text--xs")} href={`mailto:${shift.email}`}>
                {shift.email}
              </a>
            </span>,
            positionLabel(shift.position),
            <span key="start" className="vigie-nowrap">
              {formatDateTime(shift.startsAt)}
            </span>,
            <span key="end" className="vigie-nowrap">
              {formatDateTime(shift.endsAt)}
            </span>,
            ...(canManage
              ? [
                  <Button
                    key="delete"
                    id={`delete-shift-${shift.id}`}
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-delete-line"
                    aria-label={`Supprimer le créneau : ${describe(shift)}`}
                    onClick={() => setDeleting(shift)}
                  >
                    Supprimer
                  </Button>,
                ]
              : []),
          ])}
        />
      )}
    </section>
  );
}

const ShiftForm = z
  .object({
    userId: z.string().min(1, { error: "Choisissez la personne d'astreinte." }),
    position: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
  })
  .superRefine((v, ctx) => {
    const start = parisLocalToIso(v.startsAt);
    const end = parisLocalToIso(v.endsAt);
    if (!start)
      ctx.addIssue({
        code: "custom",
        path: ["startsAt"],
        message: "Indiquez la date et l'heure de début, par exemple 14/03/2026 20:00.",
      });
    if (!end)
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: "Indiquez la date et l'heure de fin, par exemple 15/03/2026 08:00.",
      });
    if (start && end && new Date(end) <= new Date(start))
      ctx.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: "La fin de l'astreinte doit être postérieure à son début.",
      });
  })
  .transform(
    (v): z.input<typeof CreateShiftRequest> => ({
      userId: v.userId,
      position: Number(v.position),
      startsAt: parisLocalToIso(v.startsAt) ?? v.startsAt,
      endsAt: parisLocalToIso(v.endsAt) ?? v.endsAt,
    }),
  )
  // The API's own schema, so the rules (and their French messages) are the contract's.
  .pipe(CreateShiftRequest);
type ShiftFormValues = z.input<typeof ShiftForm>;

const shiftFields = {
  userId: { id: "shift-user", label: "Personne d'astreinte" },
  position: { id: "shift-position", label: "Rang d'appel" },
  startsAt: { id: "shift-starts-at", label: "Début" },
  endsAt: { id: "shift-ends-at", label: "Fin" },
};

function useStaff(enabled: boolean) {
  return useQuery({
    queryKey: oncallKeys.staff,
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async ({ signal }) => {
      const [analysts, leads] = await Promise.all(
        (["cert_analyst", "cert_lead"] as const).map((role) =>
          api.get<z.infer<typeof UserPage>>("/api/users", { role, pageSize: 100 }, signal),
        ),
      );
      return [...(analysts?.items ?? []), ...(leads?.items ?? [])]
        .filter((u) => !u.disabled)
        .sort((a, b) => a.fullName.localeCompare(b.fullName, "fr"));
    },
  });
}

function AddShiftSection({ announce }: { announce: (message: string) => void }) {
  const queryClient = useQueryClient();
  const canListStaff = useCan("users:read");
  const staff = useStaff(canListStaff);
  const form = useForm<ShiftFormValues, unknown, z.output<typeof ShiftForm>>({
    resolver: zodResolver(ShiftForm),
    // The error summary takes the focus (it links to each field), not the first field.
    shouldFocusError: false,
    defaultValues: { userId: "", position: "1", startsAt: "", endsAt: "" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const body = raw as z.output<typeof ShiftForm>;
    const created = await api.post<Shift>("/api/oncall/shifts", body);
    await queryClient.invalidateQueries({ queryKey: oncallKeys.all });
    form.reset({ userId: "", position: String(created.position), startsAt: "", endsAt: "" });
    announce(
      `Créneau ajouté : ${created.fullName}, rang ${created.position}, du ${formatDateTime(created.startsAt)} au ${formatDateTime(created.endsAt)}.`,
    );
  });

  return (
    <section aria-labelledby="oncall-add-title" className={fr.cx("fr-mb-6w")}>
      <h2 id="oncall-add-title">Ajouter un créneau</h2>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-lg-10")}>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={shiftFields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
            <SelectField
              id={shiftFields.userId.id}
              label={shiftFields.userId.label}
              hint="Un analyste ou un responsable du CERT."
              error={fieldError(errors, "userId")}
              selectProps={{ ...form.register("userId"), "aria-required": true }}
            >
              <option value="">
                {staff.isPending && canListStaff
                  ? "Chargement des membres du CERT…"
                  : "Choisissez une personne"}
              </option>
              {(staff.data ?? []).map((person: Staff) => (
                <option key={person.id} value={person.id}>
                  {person.fullName} — {roleLabels[person.role]}
                </option>
              ))}
            </SelectField>
            {staff.error ? (
              <QueryError error={staff.error} title="Liste des membres du CERT indisponible" />
            ) : null}
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id={shiftFields.position.id}
              label={shiftFields.position.label}
              hint="1 = appelé en premier."
              error={fieldError(errors, "position")}
              selectProps={form.register("position")}
            >
              {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((p) => (
                <option key={p} value={p}>
                  {positionLabel(p)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={shiftFields.startsAt.id}
              label={shiftFields.startsAt.label}
              hint="Date et heure de Paris."
              error={fieldError(errors, "startsAt")}
              inputProps={{ ...form.register("startsAt"), type: "datetime-local" }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={shiftFields.endsAt.id}
              label={shiftFields.endsAt.label}
              hint="Date et heure de Paris, après le début."
              error={fieldError(errors, "endsAt")}
              inputProps={{ ...form.register("endsAt"), type: "datetime-local" }}
            />
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-add-line" disabled={form.formState.isSubmitting}>
          Ajouter le créneau
        </Button>
      </form>
    </section>
  );
}

function PagesSection({ announce }: { announce: (message: string) => void }) {
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const [pending, setPending] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pages = useQuery({
    queryKey: oncallKeys.pages(pending),
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof PageList>>(
        "/api/oncall/pages",
        { pending: pending ? "true" : undefined },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const acknowledge = async (page: Page) => {
    setBusy(page.id);
    setError(null);
    try {
      await api.post<Page>(`/api/oncall/pages/${encodeURIComponent(page.id)}/ack`);
      await queryClient.invalidateQueries({ queryKey: ["oncall", "pages"] });
      announce(`Appel acquitté pour la déclaration ${page.reference} : l'escalade s'arrête.`);
    } catch (cause) {
      setError(
        cause instanceof ApiError
          ? `Accusé de réception impossible pour ${page.reference} : ${cause.message}`
          : "Une erreur inattendue est survenue.",
      );
    } finally {
      setBusy(null);
    }
  };
  const items = pages.data?.items ?? [];

  return (
    <section aria-labelledby="oncall-pages-title">
      <h2 id="oncall-pages-title">Appels d'astreinte</h2>
      <p>
        Chaque déclaration reçue hors des heures ouvrées appelle l'astreinte. Acquitter un appel signale que
        la déclaration est prise en charge : le rang suivant n'est pas appelé.
      </p>
      <Checkbox
        id="oncall-pages-pending"
        small
        options={[
          {
            label: "Seulement les appels sans accusé de réception",
            nativeInputProps: {
              checked: pending,
              onChange: (e) => setPending(e.target.checked),
            },
          },
        ]}
      />
      {error ? (
        <p role="alert" className={fr.cx("fr-error-text", "fr-mb-2w")}>
          {error}
        </p>
      ) : null}
      {pages.isPending ? (
        <Loading />
      ) : pages.error ? (
        <QueryError error={pages.error} />
      ) : items.length === 0 ? (
        <p>{pending ? "Aucun appel en attente d'accusé de réception." : "Aucun appel d'astreinte."}</p>
      ) : (
        <Table
          caption={pending ? "Appels en attente d'accusé de réception" : "Derniers appels d'astreinte"}
          headers={["Déclaration", "Accusé de réception", "Niveau", "Personne appelée", "Appelé le"]}
          data={items.map((page) => {
            const mine = me !== null && page.shiftUserId === me.id;
            return [
              <span key="ref">
                <Link className="vigie-nowrap" to={`/cert/declarations/${page.incidentId}`}>
                  {page.reference}
                </Link>
                <br />
                <span className={fr.cx("fr-text--sm")}>{page.title}</span>
              </span>,
              page.acknowledgedAt ? (
                <span key="ack">
                  <Badge small severity="success">
                    Acquitté
                  </Badge>
                  <br />
                  <span className={fr.cx("fr-text--sm")}>
                    le {formatDateTime(page.acknowledgedAt)}
                    {page.acknowledgedBy ? ` par ${page.acknowledgedBy}` : ""}
                  </span>
                </span>
              ) : (
                <span key="ack">
                  <Badge small severity="warning">
                    En attente
                  </Badge>
                  <br />
                  <Button
                    size="small"
                    className={fr.cx("fr-mt-1w")}
                    priority={mine ? "primary" : "secondary"}
                    disabled={busy === page.id}
                    aria-label={`Acquitter l'appel de niveau ${page.level} pour la déclaration ${page.reference}`}
                    onClick={() => void acknowledge(page)}
                  >
                    Acquitter
                  </Button>
                </span>
              ),
              page.level === 1 ? "Niveau 1" : `Niveau ${page.level} (escalade)`,
              <span key="who">
                {page.shiftUserName ?? `Adresse de repli (${page.targetEmail})`}
                {mine ? (
                  <>
                    {" "}
                    <Badge small noIcon severity="info">
                      Vous
                    </Badge>
                  </>
                ) : null}
              </span>,
              <span key="at" className="vigie-nowrap">
                {formatDateTime(page.createdAt)}
              </span>,
            ];
          })}
        />
      )}
    </section>
  );
}
