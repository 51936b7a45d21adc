import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { Link } from "react-router";
import { App } from "./app/App.tsx";
import "./app/app.css";

// No inline bootstrap script: the CSP only allows scripts from 'self', so the colour scheme
// is applied here, from the bundle (react-dsfr's documented SPA start).
startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const root = document.getElementById("root");
if (!root) throw new Error("élément #root absent de index.html");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
