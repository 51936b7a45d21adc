import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  type MailControl,
  mailControlFamilies,
  mailControlFamilyLabels,
  mailControlStatusLabels,
} from "@vigie/contracts";
import { useParams } from "react-router";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { MAIL_PATH, type MailSecurityTestView, useMailTest } from "./api.ts";
import { ControlBadge, TestStatusBadge } from "./badges.tsx";

/** /messagerie/tests/:id — a posture test's control points, family by family. */
export function MailTestPage() {
  const { id = "" } = useParams();
  const test = useMailTest(id);
  const data = test.data;
  const title = data
    ? `Configuration de la messagerie de ${data.domain}`
    : "Test de configuration de la messagerie";
  usePageTitle(title);
  return (
    <>
      <Breadcrumb
        currentPageLabel="Test de configuration"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Sécurité de la messagerie", linkProps: { to: MAIL_PATH } }]}
      />
      <h1>{title}</h1>
      {test.isPending ? (
        <Loading />
      ) : test.error ? (
        <QueryError error={test.error} />
      ) : data ? (
        <Result test={data} />
      ) : null}
    </>
  );
}

function Result({ test }: { test: MailSecurityTestView }) {
  return (
    <>
      <p>
        <TestStatusBadge status={test.status} /> {test.structureName} — test lancé le{" "}
        {formatDateTime(test.startedAt)}
        {test.finishedAt ? `, terminé le ${formatDateTime(test.finishedAt)}` : ""}.
      </p>
      {test.status === "running" ? (
        <p role="status">Le test est en cours : cette page se met à jour toute seule.</p>
      ) : null}
      {test.status === "failed" ? (
        <Alert
          severity="error"
          title="Le test n'a pas pu aller au bout"
          description={test.error ?? "Réessayez dans quelques minutes."}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {test.controls.length > 0 ? (
        <>
          <Table
            caption="Synthèse des points de contrôle"
            headers={["Résultat", "Nombre"]}
            data={(["fail", "warn", "pass", "info"] as const).map((s) => [
              mailControlStatusLabels[s],
              String(test.counts[s]),
            ])}
          />
          {mailControlFamilies.map((family) => {
            const controls = test.controls.filter((c) => c.family === family);
            if (controls.length === 0) return null;
            return (
              <section key={family} aria-labelledby={`famille-${family}`} className={fr.cx("fr-mt-4w")}>
                <h2 id={`famille-${family}`}>{mailControlFamilyLabels[family]}</h2>
                {controls.map((control) => (
                  <ControlBlock key={control.code} control={control} />
                ))}
              </section>
            );
          })}
        </>
      ) : null}
    </>
  );
}

function ControlBlock({ control }: { control: MailControl }) {
  return (
    <article
      className={fr.cx("fr-p-2w", "fr-mb-2w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
    >
      <h3 className={fr.cx("fr-h6", "fr-mb-1w")}>
        <ControlBadge status={control.status} /> {control.title}
      </h3>
      <p className={fr.cx("fr-mb-1w")} style={{ whiteSpace: "pre-wrap" }}>
        {control.explanation}
      </p>
      {control.evidence ? (
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
          Relevé : <code style={{ wordBreak: "break-all" }}>{control.evidence}</code>
        </p>
      ) : null}
    </article>
  );
}
