import { fr } from "@codegouvfr/react-dsfr";

/** The 24/7 on-call number, large and callable from a phone. */
export function OncallPhone({ phone }: { phone: string }) {
  const dial = phone.replace(/[^\d+]/g, "");
  return (
    <p className={fr.cx("fr-mb-0")}>
      Astreinte 24 h/24 :{" "}
      <a className="vigie-phone" href={`tel:${dial}`}>
        {phone}
      </a>
    </p>
  );
}
