import { createBrowserRouter } from "react-router";
import { AccountPage } from "../features/account/AccountPage.tsx";
import { AuditPage } from "../features/admin/AuditPage.tsx";
import { OutboxPage } from "../features/admin/OutboxPage.tsx";
import { UserCreatePage } from "../features/admin/UserCreatePage.tsx";
import { UserEditPage } from "../features/admin/UserEditPage.tsx";
import { UsersPage } from "../features/admin/UsersPage.tsx";
import { ClocksPage } from "../features/alerting/ClocksPage.tsx";
import { ContactsPage } from "../features/alerting/ContactsPage.tsx";
import { RulesPage } from "../features/alerting/RulesPage.tsx";
import { RegionalDashboardPage } from "../features/ars/RegionalDashboardPage.tsx";
import { ForgotPasswordPage } from "../features/auth/ForgotPasswordPage.tsx";
import { LoginPage } from "../features/auth/LoginPage.tsx";
import { RegisterPage } from "../features/auth/RegisterPage.tsx";
import { ResetPasswordPage } from "../features/auth/ResetPasswordPage.tsx";
import { VerifyEmailPage } from "../features/auth/VerifyEmailPage.tsx";
import { AuthorityCasePage } from "../features/authority/AuthorityCasePage.tsx";
import { AuthorityCasesPage } from "../features/authority/AuthorityCasesPage.tsx";
import { CertDeclarationPage } from "../features/cert/CertDeclarationPage.tsx";
import { CertDeclarationsPage } from "../features/cert/CertDeclarationsPage.tsx";
import { DeclarationPage, FollowPage } from "../features/declarations/DeclarationPages.tsx";
import { DeclarationsPage } from "../features/declarations/DeclarationsPage.tsx";
import { DeclarePage } from "../features/declarations/DeclarePage.tsx";
import { ReceiptPage } from "../features/declarations/ReceiptPage.tsx";
import { DirectoryPage } from "../features/directory/DirectoryPage.tsx";
import { StructurePage } from "../features/directory/StructurePage.tsx";
import { EventCreatePage } from "../features/events/EventCreatePage.tsx";
import { EventPage } from "../features/events/EventPage.tsx";
import { EventsPage } from "../features/events/EventsPage.tsx";
import { AuditReportPage } from "../features/exposure-audits/AuditReportPage.tsx";
import { AuditsPage } from "../features/exposure-audits/AuditsPage.tsx";
import { CertAuditsPage } from "../features/exposure-audits/CertAuditsPage.tsx";
import { ScannerPage } from "../features/exposure-audits/ScannerPage.tsx";
import { HomePage } from "../features/home/HomePage.tsx";
import { AccessibilityPage } from "../features/legal/AccessibilityPage.tsx";
import { LegalNoticePage } from "../features/legal/LegalNoticePage.tsx";
import { NotFoundPage } from "../features/legal/NotFoundPage.tsx";
import { CampaignPage } from "../features/mail-security/CampaignPage.tsx";
import { MailSecurityPage } from "../features/mail-security/MailSecurityPage.tsx";
import { MailTestPage } from "../features/mail-security/MailTestPage.tsx";
import { ObservatoryPage } from "../features/observatory/ObservatoryPage.tsx";
import { OncallPage } from "../features/oncall/OncallPage.tsx";
import { CertPublicationsPage } from "../features/publications/CertPublicationsPage.tsx";
import { PublicationCreatePage, PublicationEditPage } from "../features/publications/PublicationFormPage.tsx";
import { PublicationPage } from "../features/publications/PublicationPage.tsx";
import { PublicationsPage } from "../features/publications/PublicationsPage.tsx";
import {
  ReflexSheetCreatePage,
  ReflexSheetEditPage,
} from "../features/reflex-sheets/ReflexSheetFormPage.tsx";
import { ReflexSheetPage } from "../features/reflex-sheets/ReflexSheetPage.tsx";
import { ReflexSheetsPage } from "../features/reflex-sheets/ReflexSheetsPage.tsx";
import { AckLinkPage } from "../features/watch/AckLinkPage.tsx";
import { CertWatchPage } from "../features/watch/CertWatchPage.tsx";
import { TicketPage } from "../features/watch/TicketPage.tsx";
import { WatchPage } from "../features/watch/WatchPage.tsx";
import { CertAssetsPage, DeclarantAssetsPage } from "../features/watch-assets/AssetsPage.tsx";
import { FeedsPage } from "../features/watch-feeds/FeedsPage.tsx";
import { VulnerabilityPage } from "../features/watch-feeds/VulnerabilityPage.tsx";
import { LeaksPage } from "../features/watch-leaks/LeaksPage.tsx";
import { RequireAuth, RequirePermission } from "./guards.tsx";
import { Layout } from "./layout.tsx";
import { RouteError } from "./RouteError.tsx";

/** Every page; paths are French, as users see and share them. */
export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { path: "connexion", element: <LoginPage /> },
      { path: "inscription", element: <RegisterPage /> },
      { path: "verifier-courriel", element: <VerifyEmailPage /> },
      { path: "mot-de-passe-oublie", element: <ForgotPasswordPage /> },
      { path: "reinitialiser-mot-de-passe", element: <ResetPasswordPage /> },
      { path: "accessibilite", element: <AccessibilityPage /> },
      { path: "mentions-legales", element: <LegalNoticePage /> },
      // Declaring never needs an account: the form, its receipt and the secret follow link are public.
      { path: "declarer", element: <DeclarePage /> },
      { path: "declarations/:id/accuse-reception", element: <ReceiptPage /> },
      { path: "suivi/:token", element: <FollowPage /> },
      // The CERT's publications: TLP:CLEAR for everyone, reserved items once signed in (the API decides).
      { path: "publications", element: <PublicationsPage /> },
      { path: "publications/:slug", element: <PublicationPage /> },
      // The acknowledgment link of a watch e-mail: no sign-in, works on a phone.
      { path: "veille/acquitter/:token", element: <AckLinkPage /> },
      // Where the scanner's User-Agent points: who scans, on what authority (decision 0012).
      { path: "audits/scanner", element: <ScannerPage /> },
      {
        element: <RequireAuth />,
        children: [
          { index: true, element: <HomePage /> },
          { path: "compte", element: <AccountPage /> },
          {
            element: <RequirePermission permission="structures:read" />,
            children: [
              { path: "annuaire", element: <DirectoryPage /> },
              { path: "annuaire/:id", element: <StructurePage /> },
            ],
          },
          {
            element: <RequirePermission permission="declarations:read" />,
            children: [
              { path: "declarations", element: <DeclarationsPage /> },
              { path: "declarations/:id", element: <DeclarationPage /> },
            ],
          },
          {
            element: <RequirePermission permission="declarations:handle" />,
            children: [
              { path: "cert/declarations", element: <CertDeclarationsPage /> },
              { path: "cert/declarations/saisir", element: <DeclarePage key="recorded" mode="recorded" /> },
              { path: "cert/declarations/:id", element: <CertDeclarationPage /> },
              { path: "cert/evenements", element: <EventsPage /> },
              { path: "cert/evenements/nouveau", element: <EventCreatePage /> },
              { path: "cert/evenements/:id", element: <EventPage /> },
              { path: "cert/fiches-reflexes", element: <ReflexSheetsPage /> },
              { path: "cert/fiches-reflexes/:id", element: <ReflexSheetPage /> },
              { path: "cert/astreinte", element: <OncallPage /> },
              { path: "cert/alertes/regles", element: <RulesPage /> },
              { path: "cert/alertes/destinataires", element: <ContactsPage /> },
              { path: "cert/echeances", element: <ClocksPage /> },
            ],
          },
          {
            element: <RequirePermission permission="reflex_sheets:manage" />,
            children: [
              { path: "cert/fiches-reflexes/nouvelle", element: <ReflexSheetCreatePage /> },
              { path: "cert/fiches-reflexes/:id/modifier", element: <ReflexSheetEditPage /> },
            ],
          },
          {
            element: <RequirePermission permission="publications:write" />,
            children: [
              { path: "cert/publications", element: <CertPublicationsPage /> },
              { path: "cert/publications/nouvelle", element: <PublicationCreatePage /> },
              { path: "cert/publications/:id/modifier", element: <PublicationEditPage /> },
            ],
          },
          {
            element: <RequirePermission permission="users:read" />,
            children: [
              { path: "admin/utilisateurs", element: <UsersPage /> },
              { path: "admin/utilisateurs/:id", element: <UserEditPage /> },
            ],
          },
          {
            element: <RequirePermission permission="users:manage" />,
            children: [{ path: "admin/utilisateurs/nouveau", element: <UserCreatePage /> }],
          },
          {
            element: <RequirePermission permission="audit:read" />,
            children: [{ path: "admin/journal", element: <AuditPage /> }],
          },
          {
            element: <RequirePermission permission="outbox:read" />,
            children: [{ path: "admin/courriels", element: <OutboxPage /> }],
          },
          {
            element: <RequirePermission permission="alerts:read" />,
            children: [
              { path: "autorite/alertes", element: <AuthorityCasesPage /> },
              { path: "autorite/alertes/:id", element: <AuthorityCasePage /> },
            ],
          },
          {
            element: <RequirePermission permission="dashboards:read" />,
            children: [{ path: "ars/tableau-de-bord", element: <RegionalDashboardPage /> }],
          },
          {
            element: <RequirePermission permission="watch:read" />,
            children: [
              { path: "veille", element: <WatchPage /> },
              { path: "veille/tickets/:id", element: <TicketPage /> },
              { path: "veille/actifs", element: <DeclarantAssetsPage /> },
              { path: "audits", element: <AuditsPage /> },
              { path: "audits/:id", element: <AuditReportPage /> },
              { path: "messagerie", element: <MailSecurityPage /> },
              { path: "messagerie/tests/:id", element: <MailTestPage /> },
              { path: "messagerie/campagnes/:id", element: <CampaignPage /> },
            ],
          },
          {
            element: <RequirePermission permission="watch:handle" />,
            children: [
              { path: "cert/veille", element: <CertWatchPage /> },
              { path: "cert/veille/actifs", element: <CertAssetsPage /> },
              { path: "cert/veille/flux", element: <FeedsPage /> },
              { path: "cert/veille/comptes-compromis", element: <LeaksPage /> },
              { path: "cert/veille/vulnerabilites/:cve", element: <VulnerabilityPage /> },
              { path: "cert/audits", element: <CertAuditsPage /> },
              { path: "cert/audits/:id", element: <AuditReportPage key="cert" cert /> },
            ],
          },
          {
            element: <RequirePermission permission="observatory:read" />,
            children: [{ path: "observatoire", element: <ObservatoryPage /> }],
          },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
