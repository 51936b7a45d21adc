import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import ButtonsGroup from "@codegouvfr/react-dsfr/ButtonsGroup";
import Stepper from "@codegouvfr/react-dsfr/Stepper";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type DeclarationPortalSettings, tlp, type UserView } from "@vigie/contracts";
import { useEffect, useMemo, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import type { z } from "zod";
import { api, isApiError } from "../../app/api.ts";
import { type SessionUser, useCurrentUser, useSession } from "../../app/auth.tsx";
import { ErrorSummary, RequiredNotice, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatTime, Loading } from "../../app/ui.tsx";
import { AttachmentsField } from "./AttachmentsField.tsx";
import {
  deleteAttachment,
  type Receipt,
  type RetryState,
  rememberReceipt,
  submitDeclaration,
} from "./api.ts";
import { DeclarationAnswers } from "./DeclarationAnswers.tsx";
import {
  clearLocalDraft,
  type Draft,
  deleteServerDraft,
  fetchServerDraft,
  newDraft,
  readLocalDraft,
  saveServerDraft,
  storageKey,
  writeLocalDraft,
} from "./draft.ts";
import { codeOptions, RadioField } from "./fields.tsx";
import {
  type DeclarationFormValues,
  declarationResolver,
  emptyValues,
  fieldSpecs,
  formFieldOf,
  groupId,
  specOf,
  stepOf,
  steps,
  toInput,
} from "./model.ts";
import { StepDeclarant } from "./StepDeclarant.tsx";
import { StepHandling } from "./StepHandling.tsx";
import { StepImpacts } from "./StepImpacts.tsx";
import { StepIncident } from "./StepIncident.tsx";

type Origin = "local" | "server" | null;

/** `recorded`: a CERT analyst records a declaration received by phone or e-mail, for the declarant. */
export type DeclareMode = "declarant" | "recorded";

const resolvers = { declarant: declarationResolver(false), recorded: declarationResolver(true) };
const headings = { declarant: "Déclarer un incident", recorded: "Saisir une déclaration reçue" };

/**
 * A fresh draft, pre-filled with the signed-in declarant's active structures and identity; an
 * analyst recording a call starts blank (the caller's details, not the analyst's), by phone.
 */
function freshDraft(user: SessionUser | null, mode: DeclareMode): Draft {
  const values = emptyValues();
  if (mode === "recorded") values.channel = "phone_oncall";
  else if (user) {
    values.structures = user.structures
      .filter((s) => s.status === "active")
      .map((s) => ({ finessEt: s.finessEt, name: s.name }));
    values.declarant.fullName = user.fullName;
    values.declarant.email = user.email;
  }
  return newDraft(values);
}

/**
 * /declarer — the declaration form. Picks up where the declarant left off: the draft kept in
 * this browser, else (signed in) the last draft saved on the account, else a new one.
 * /cert/declarations/saisir — the same form (`mode="recorded"`), for an analyst recording a
 * declaration on the declarant's behalf: its draft stays in this browser, under its own key.
 */
export function DeclarePage({ mode = "declarant" }: { mode?: DeclareMode }) {
  const session = useSession();
  const user = useCurrentUser();
  const userId = user?.id ?? null;
  const storage = storageKey(userId, mode === "recorded");
  const canSaveOnServer =
    mode === "declarant" && (user?.permissions.includes("declarations:create") ?? false);
  const [start, setStart] = useState<{ draft: Draft; origin: Origin } | null>(null);

  usePageTitle(start ? null : headings[mode]);
  const local = useMemo(
    () => (session.isPending ? null : readLocalDraft(storage)),
    [session.isPending, storage],
  );
  const server = useQuery({
    queryKey: ["declaration-draft", userId],
    queryFn: fetchServerDraft,
    enabled: !session.isPending && !local && canSaveOnServer && start === null,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => {
    if (start || session.isPending) return;
    if (local) return setStart({ draft: local, origin: "local" });
    if (canSaveOnServer && server.isPending) return;
    if (server.data) return setStart({ draft: server.data, origin: "server" });
    setStart({ draft: freshDraft(user, mode), origin: null });
  }, [start, session.isPending, local, canSaveOnServer, server.isPending, server.data, user, mode]);

  if (!start) {
    return (
      <>
        <h1>{headings[mode]}</h1>
        <Loading />
      </>
    );
  }

  const restart = (attachments: Draft["attachments"]) => {
    clearLocalDraft(storage);
    if (canSaveOnServer) void deleteServerDraft(start.draft.key).catch(() => undefined);
    // Files uploaded for the abandoned draft are withdrawn (best effort).
    for (const attachment of attachments)
      void deleteAttachment(attachment.id, start.draft.key).catch(() => undefined);
    setStart({ draft: freshDraft(user, mode), origin: null });
  };

  return (
    <DeclarationForm
      key={start.draft.key}
      initial={start.draft}
      origin={start.origin}
      user={user}
      mode={mode}
      storage={storage}
      saveOnServer={canSaveOnServer}
      onRestart={restart}
    />
  );
}

type SendState =
  | { phase: "idle" }
  | { phase: "sending" }
  | { phase: "retrying"; retry: RetryState }
  | { phase: "failed"; message: string };

function DeclarationForm(props: {
  initial: Draft;
  origin: Origin;
  user: SessionUser | null;
  mode: DeclareMode;
  /** The local-storage key of the draft. */
  storage: string;
  saveOnServer: boolean;
  onRestart: (attachments: Draft["attachments"]) => void;
}) {
  const { initial, origin, user, mode, storage, saveOnServer, onRestart } = props;
  const recorded = mode === "recorded";
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = initial.key;
  const form = useForm<DeclarationFormValues>({
    defaultValues: initial.values,
    resolver: resolvers[mode],
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) => {
      const name = formFieldOf(field);
      return specOf(name) ? name : null;
    },
  });
  const [step, setStep] = useState(initial.step);
  const [attachments, setAttachments] = useState(initial.attachments);
  const [returnToSummary, setReturnToSummary] = useState(false);
  const [confirmRestart, setConfirmRestart] = useState(false);
  const [savedLocally, setSavedLocally] = useState<Date | null>(origin ? new Date(initial.savedAt) : null);
  const [savedOnServer, setSavedOnServer] = useState<Date | null>(null);
  const [storageFailed, setStorageFailed] = useState(false);
  const [send, setSend] = useState<SendState>({ phase: "idle" });
  const sending = useRef(false);
  const lastSubmitted = useRef(initial.lastSubmitted);
  const stepperRef = useRef<HTMLDivElement>(null);
  const pendingFocus = useRef<string | null>(null);
  const firstRender = useRef(true);
  const failedRef = useRef<HTMLDivElement>(null);

  usePageTitle(`${headings[mode]} — étape ${step + 1} sur ${steps.length} : ${steps[step]?.title}`);

  // The on-call number, shown in step 4 out of business hours (public: no account needed).
  const portal = useQuery({
    queryKey: ["declaration-settings"],
    queryFn: () => api.get<z.infer<typeof DeclarationPortalSettings>>("/api/declarations/settings"),
    staleTime: Number.POSITIVE_INFINITY,
  });

  // Identity details the session does not carry (function, phone) come from the account.
  const account = useQuery({
    queryKey: ["account"],
    queryFn: () => api.get<z.infer<typeof UserView>>("/api/account"),
    enabled: Boolean(user) && origin === null && !recorded,
    retry: false,
  });
  useEffect(() => {
    if (!account.data) return;
    const declarant = form.getValues("declarant");
    if (!declarant.jobTitle && account.data.jobTitle)
      form.setValue("declarant.jobTitle", account.data.jobTitle, { shouldDirty: true });
    if (!declarant.phone && account.data.phone)
      form.setValue("declarant.phone", account.data.phone, { shouldDirty: true });
  }, [account.data, form]);

  // --- Nothing lost: the draft is saved as the user types (debounced), here and on the account.
  const snapshot = (): Draft => ({
    version: 1,
    key,
    step,
    values: form.getValues(),
    attachments,
    lastSubmitted: lastSubmitted.current,
    savedAt: new Date().toISOString(),
  });
  const latest = useRef(snapshot);
  latest.current = snapshot;
  const localTimer = useRef<number | undefined>(undefined);
  const serverTimer = useRef<number | undefined>(undefined);
  const done = useRef(false);

  const saveLocal = () => {
    window.clearTimeout(localTimer.current);
    if (done.current) return;
    const ok = writeLocalDraft(storage, latest.current());
    setStorageFailed(!ok);
    if (ok) setSavedLocally(new Date());
  };
  const saveServer = () => {
    window.clearTimeout(serverTimer.current);
    if (done.current || !saveOnServer) return;
    saveServerDraft(latest.current())
      .then(() => setSavedOnServer(new Date()))
      .catch(() => undefined); // The browser copy remains; the next change tries again.
  };
  const scheduleSave = () => {
    window.clearTimeout(localTimer.current);
    localTimer.current = window.setTimeout(saveLocal, 400);
    if (saveOnServer) {
      window.clearTimeout(serverTimer.current);
      serverTimer.current = window.setTimeout(saveServer, 3000);
    }
  };
  const saveRef = useRef({ saveLocal, saveServer, scheduleSave });
  saveRef.current = { saveLocal, saveServer, scheduleSave };

  useEffect(() => {
    const subscription = form.watch((_values, { name }) => {
      saveRef.current.scheduleSave();
      // A field shown in error is checked again as it is corrected.
      if (name) {
        const field = formFieldOf(name);
        if (specOf(field) && form.getFieldState(field as never).error) void form.trigger(field as never);
      }
    });
    const flush = () => {
      if (document.visibilityState === "hidden") {
        saveRef.current.saveLocal();
        saveRef.current.saveServer();
      }
    };
    const onPageHide = () => saveRef.current.saveLocal();
    document.addEventListener("visibilitychange", flush);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      subscription.unsubscribe();
      document.removeEventListener("visibilitychange", flush);
      window.removeEventListener("pagehide", onPageHide);
      window.clearTimeout(localTimer.current);
      window.clearTimeout(serverTimer.current);
    };
  }, [form]);

  // A change of step or of the attachments is saved at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: saves on these changes only
  useEffect(() => {
    if (firstRender.current) return;
    saveRef.current.saveLocal();
    saveRef.current.scheduleSave();
  }, [step, attachments]);

  // A new step: focus its title (or the field an error link pointed at), as a new page would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new step
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = window.setTimeout(() => {
      const fieldId = pendingFocus.current;
      pendingFocus.current = null;
      const field = fieldId ? document.getElementById(fieldId) : null;
      if (field) {
        field.focus();
        field.scrollIntoView({ block: "center" });
        return;
      }
      const title = stepperRef.current?.querySelector<HTMLElement>(".fr-stepper__title");
      if (!title) return;
      title.setAttribute("tabindex", "-1");
      title.focus({ preventScroll: true });
      stepperRef.current?.scrollIntoView({ block: "start" });
    }, 30);
    return () => window.clearTimeout(timer);
  }, [step]);

  const goTo = (next: number, focusId?: string) => {
    feedback.clearGlobal();
    pendingFocus.current = focusId ?? null;
    setStep(next);
  };

  const next = async () => {
    const names = steps[step]?.fields ?? [];
    const valid = await form.trigger(names as never);
    if (!valid) {
      feedback.focusSummary();
      return;
    }
    if (returnToSummary) {
      setReturnToSummary(false);
      goTo(steps.length - 1);
    } else goTo(step + 1);
  };

  // --- Submission: one request in flight; retried with the same key until the server answers.
  const succeed = (receipt: Receipt, staleEdits: boolean) => {
    done.current = true;
    window.clearTimeout(localTimer.current);
    window.clearTimeout(serverTimer.current);
    clearLocalDraft(storage);
    if (saveOnServer) void deleteServerDraft(key).catch(() => undefined);
    if (recorded) {
      void queryClient.invalidateQueries({ queryKey: ["declarations"] });
      navigate(`/cert/declarations/${receipt.id}`, { state: { recorded: receipt.reference } });
      return;
    }
    rememberReceipt(receipt);
    navigate(`/declarations/${receipt.id}/accuse-reception`, { state: { receipt, staleEdits } });
  };

  const submit = async () => {
    if (sending.current) return;
    sending.current = true;
    try {
      feedback.clearGlobal();
      const valid = await form.trigger();
      if (!valid) {
        setSend({ phase: "idle" });
        feedback.focusSummary();
        return;
      }
      setSend({ phase: "sending" });
      const input = toInput(form.getValues(), key);
      const previous = lastSubmitted.current;
      lastSubmitted.current = input;
      saveRef.current.saveLocal();
      try {
        const receipt = await submitDeclaration(input, (retry) => setSend({ phase: "retrying", retry }), {
          recorded,
        });
        succeed(receipt, false);
      } catch (error) {
        // The key was already used by a declaration that did arrive (its answer was lost), with
        // answers edited since: fetch its receipt by sending exactly what was sent then.
        if (isApiError(error, "CONFLICT") && previous) {
          try {
            const receipt = await submitDeclaration(
              previous,
              (retry) => setSend({ phase: "retrying", retry }),
              { recorded },
            );
            lastSubmitted.current = previous;
            succeed(receipt, true);
            return;
          } catch {
            // Fall through to the general message.
          }
        }
        if (isApiError(error) && error.fields.length > 0) {
          setSend({ phase: "idle" });
          feedback.showError(error);
          return;
        }
        setSend({
          phase: "failed",
          message: isApiError(error)
            ? error.message
            : "Une erreur inattendue est survenue. Réessayez dans quelques instants.",
        });
        requestAnimationFrame(() => failedRef.current?.focus());
      }
    } finally {
      sending.current = false;
    }
  };

  const isLast = step === steps.length - 1;
  const busy = send.phase === "sending" || send.phase === "retrying";
  const summaryFields = isLast
    ? fieldSpecs
    : Object.fromEntries(
        Object.entries(fieldSpecs).filter(([name]) =>
          ((steps[step]?.fields ?? []) as readonly string[]).includes(name),
        ),
      );

  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
        <h1>{headings[mode]}</h1>
        {step === 0 && !origin ? (
          recorded ? (
            <p>
              Saisissez la déclaration reçue par téléphone ou par courriel au nom du déclarant : ses
              coordonnées, pas les vôtres. Son adresse électronique rattache la déclaration à son compte, s'il
              en a un. La saisie est enregistrée sur cet appareil au fil de l'eau.
            </p>
          ) : (
            <p>
              Quelques réponses suffisent pour envoyer : le reste est facultatif et pourra être complété
              ensuite. Vos réponses sont enregistrées au fil de la saisie.
            </p>
          )
        ) : null}
        {origin ? (
          <Alert
            severity="info"
            small
            className={fr.cx("fr-mb-3w")}
            description={
              <>
                <p className={fr.cx("fr-mb-1w")}>
                  {recorded
                    ? "La saisie en cours a été retrouvée sur cet appareil."
                    : origin === "local"
                      ? "Votre déclaration en cours a été retrouvée sur cet appareil."
                      : "Votre brouillon enregistré sur votre compte a été repris."}
                </p>
                {confirmRestart ? (
                  <>
                    <p className={fr.cx("fr-mb-1w", "fr-text--bold")}>
                      Tout effacer, y compris les fichiers joints ?
                    </p>
                    <ButtonsGroup
                      buttonsSize="small"
                      inlineLayoutWhen="always"
                      buttons={[
                        {
                          type: "button",
                          priority: "secondary",
                          children: "Oui, tout effacer",
                          onClick: () => onRestart(attachments),
                        },
                        {
                          type: "button",
                          priority: "tertiary",
                          children: "Annuler",
                          onClick: () => setConfirmRestart(false),
                        },
                      ]}
                    />
                  </>
                ) : (
                  <Button
                    type="button"
                    size="small"
                    priority="tertiary"
                    onClick={() => setConfirmRestart(true)}
                  >
                    Effacer et commencer une nouvelle déclaration
                  </Button>
                )}
              </>
            }
          />
        ) : null}
        <div ref={stepperRef}>
          <Stepper
            currentStep={step + 1}
            stepCount={steps.length}
            title={steps[step]?.title}
            nextTitle={steps[step + 1]?.title}
          />
        </div>
        <form
          noValidate
          aria-labelledby="declaration-form-title"
          onSubmit={(event) => {
            event.preventDefault();
            if (isLast) void submit();
            else void next();
          }}
        >
          <p id="declaration-form-title" className={fr.cx("fr-sr-only")}>
            Déclaration d'incident, étape {step + 1} : {steps[step]?.title}
          </p>
          {step === 0 ? <RequiredNotice /> : null}
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={form.formState.errors}
            fields={summaryFields}
            globalError={send.phase === "failed" ? null : feedback.globalError}
            globalMessage={send.phase === "failed" ? null : feedback.globalMessage}
            onSelect={(name, spec) => {
              const target = stepOf(name);
              if (target === step) {
                const element = document.getElementById(spec.id);
                element?.focus();
                element?.scrollIntoView({ block: "center" });
              } else {
                setReturnToSummary(isLast);
                goTo(target, spec.id);
              }
            }}
          />
          {step === 0 ? <StepDeclarant form={form} recorded={recorded} /> : null}
          {step === 1 ? <StepIncident form={form} /> : null}
          {step === 2 ? <StepImpacts form={form} /> : null}
          {step === 3 ? <StepHandling form={form} oncallPhone={portal.data?.oncallPhone ?? null} /> : null}
          {isLast ? (
            <>
              <AttachmentsField
                id="decl-files"
                pendingKey={key}
                value={attachments}
                onChange={setAttachments}
                label="Pièces jointes"
                hint="Journaux, captures d'écran, message de rançon, courriel suspect (.eml). Chaque fichier est envoyé dès qu'il est choisi."
              />
              <RadioField
                form={form}
                name="tlp"
                id={groupId("tlp")}
                legend="Diffusion des informations (TLP)"
                hint="Par défaut TLP:AMBER : le CERT ne partage ces informations qu'avec les organisations qui en ont besoin pour agir."
                options={codeOptions(tlp)}
              />
              <h2 className={fr.cx("fr-h4", "fr-mt-4w")} id="recapitulatif">
                Récapitulatif
              </h2>
              <p className={fr.cx("fr-text--sm")}>
                Vérifiez vos réponses ; chaque partie peut être modifiée.
              </p>
              <DeclarationAnswers
                data={toInput(form.getValues(), key) as unknown as Record<string, unknown>}
                structures={form.getValues("structures")}
                only={[0, 1, 2, 3]}
                onEdit={(index) => {
                  setReturnToSummary(true);
                  goTo(index);
                }}
              />
            </>
          ) : null}
          <SendStatus state={send} failedRef={failedRef} />
          <ButtonsGroup
            className={fr.cx("fr-mt-4w")}
            inlineLayoutWhen="md and up"
            alignment="right"
            isReverseOrder
            buttons={[
              isLast
                ? {
                    type: "submit",
                    children: recorded ? "Enregistrer la déclaration" : "Envoyer la déclaration",
                    iconId: "fr-icon-send-plane-line",
                    iconPosition: "right",
                    disabled: busy,
                  }
                : {
                    type: "submit",
                    children: returnToSummary ? "Revenir au récapitulatif" : "Continuer",
                    iconId: "fr-icon-arrow-right-line",
                    iconPosition: "right",
                  },
              ...(step > 0
                ? [
                    {
                      type: "button" as const,
                      priority: "secondary" as const,
                      children: "Étape précédente",
                      iconId: "fr-icon-arrow-left-line" as const,
                      disabled: busy,
                      onClick: () => {
                        setReturnToSummary(false);
                        goTo(step - 1);
                      },
                    },
                  ]
                : []),
            ]}
          />
          <p className={fr.cx("fr-text--xs", "fr-mt-2w")}>
            {storageFailed
              ? "Ce navigateur ne permet pas d'enregistrer le brouillon : gardez cette page ouverte jusqu'à l'envoi."
              : savedLocally
                ? `Brouillon enregistré sur cet appareil à ${formatTime(savedLocally)}${savedOnServer ? " et sur votre compte" : ""}.`
                : "Vos réponses sont enregistrées sur cet appareil au fil de la saisie."}
          </p>
          {!user ? (
            <p className={fr.cx("fr-text--xs")}>
              Vous déclarez sans compte. Vous avez un compte ?{" "}
              <Link to="/connexion" state={{ from: "/declarer" }}>
                Se connecter
              </Link>{" "}
              (vos réponses restent sur cet appareil).
            </p>
          ) : null}
        </form>
      </div>
    </div>
  );
}

/** Where the submission stands: sending, retrying after a failure, or given up. */
function SendStatus({
  state,
  failedRef,
}: {
  state: SendState;
  failedRef: React.RefObject<HTMLDivElement | null>;
}) {
  return (
    <div role="status" aria-live="polite" className={fr.cx("fr-mt-3w")} ref={failedRef} tabIndex={-1}>
      {state.phase === "sending" ? <p className={fr.cx("fr-text--bold")}>Envoi en cours…</p> : null}
      {state.phase === "retrying" ? (
        <Alert
          severity="warning"
          small
          description={`Le serveur ne répond pas. Nouvel essai… (essai n° ${state.retry.attempt}, automatique). Gardez cette page ouverte : votre déclaration est conservée sur cet appareil et ne sera enregistrée qu'une fois.`}
        />
      ) : null}
      {state.phase === "failed" ? (
        <Alert
          severity="error"
          title="La déclaration n'a pas pu être envoyée"
          description={`${state.message} Vos réponses sont conservées sur cet appareil : réessayez dans quelques instants.`}
        />
      ) : null}
    </div>
  );
}
