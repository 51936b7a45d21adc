import type { tlp } from "@vigie/contracts";
import { tlpShort } from "./labels.ts";
import "./case.css";

/** A TLP marking in its standard colours (coloured text on black), its name said in full. */
export function TlpBadge({ value }: { value: (typeof tlp.values)[number] }) {
  return <span className={`vigie-tlp vigie-tlp--${value}`}>{tlpShort[value] ?? value}</span>;
}
