export * from "./client.ts";
export type * from "./executor.ts";
export type { LoginFailureOutcome, MembershipRow, UserListFilter } from "./repositories/accounts.ts";
export * as accountsRepo from "./repositories/accounts.ts";
export type {
  AlertMailRow,
  AlertRuleSetRow,
  AuthorityContactRow,
  AuthorityNotificationRow,
  NewAuthorityNotification,
  RuleFactsRow,
} from "./repositories/alerting.ts";
export * as alertingRepo from "./repositories/alerting.ts";
export type { ApiTokenRow } from "./repositories/api-tokens.ts";
export * as apiTokensRepo from "./repositories/api-tokens.ts";
export type {
  AssetListFilter,
  AssetOwnerRow,
  AssetRow,
  AssetWithStructureRow,
  NewAssetRow,
} from "./repositories/assets.ts";
export * as assetsRepo from "./repositories/assets.ts";
export type { AttachmentBlobRow, AttachmentRow } from "./repositories/attachments.ts";
export * as attachmentsRepo from "./repositories/attachments.ts";
export type { AuditRow, NewAuditRow } from "./repositories/audit.ts";
export * as auditRepo from "./repositories/audit.ts";
export type {
  AuthorityCaseRow,
  AuthoritySentRow,
  NotifiedBody,
  RegionalFigures,
} from "./repositories/authority-views.ts";
export * as authorityViewsRepo from "./repositories/authority-views.ts";
export type {
  JournalAttachmentRow,
  JournalRow,
  JournalSendingRow,
  NewJournalRow,
} from "./repositories/case-journal.ts";
export * as caseJournalRepo from "./repositories/case-journal.ts";
export type {
  CaseRow,
  CaseUpdate,
  ComplementRequestRow,
  SupportActionRow,
} from "./repositories/cases.ts";
export * as casesRepo from "./repositories/cases.ts";
export type { ClockKindCode, ClockListState, ClockRow, ClockWithCaseRow } from "./repositories/clocks.ts";
export * as clocksRepo from "./repositories/clocks.ts";
export type { ComplementRequestStatus, OpenComplementRequest } from "./repositories/complements.ts";
export * as complementsRepo from "./repositories/complements.ts";
export type {
  IncidentCounters,
  IncidentListFilter,
  IncidentListRow,
  IncidentMessageRow,
  IncidentRow,
  IncidentStatus,
  IncidentStatusChangeRow,
  NewIncidentRow,
} from "./repositories/declarations.ts";
export * as declarationsRepo from "./repositories/declarations.ts";
export * as directoryCompositionRepo from "./repositories/directory-composition.ts";
export type { DraftRow } from "./repositories/drafts.ts";
export * as draftsRepo from "./repositories/drafts.ts";
export type { EmailTokenPurpose, EmailTokenRow } from "./repositories/email-tokens.ts";
export * as emailTokensRepo from "./repositories/email-tokens.ts";
export type { EventListFilter, EventListRow, EventRow } from "./repositories/events.ts";
export * as eventsRepo from "./repositories/events.ts";
export type {
  CounterFloor,
  ExchangeCursor,
  ExchangeIncidentRow,
  ExchangeStructureRow,
  ImportBatch,
  ImportedIncidentRow,
  NewImportedEvent,
  NewImportedStructure,
} from "./repositories/exchange.ts";
export * as exchangeRepo from "./repositories/exchange.ts";
export type {
  AuditListFilter,
  AuditProgressFigures,
  AuditYearFigures,
  AuthorisationRow,
  ExposureAuditRow,
  ExposureFindingRow,
  NewExposureFindingRow,
  PerimeterOverlapRow,
  PerimeterRow,
  SchedulableRow,
} from "./repositories/exposure-audits.ts";
export * as exposureAuditsRepo from "./repositories/exposure-audits.ts";
export * as housekeepingRepo from "./repositories/housekeeping.ts";
export type { IncidentVisibility } from "./repositories/incident-visibility.ts";
export type {
  IndicatorCorrelationRow,
  IndicatorRow,
  IndicatorWithAuthorRow,
  NewIndicatorRow,
  PendingIncidentText,
  PendingMessageText,
} from "./repositories/indicators.ts";
export * as indicatorsRepo from "./repositories/indicators.ts";
export type { LeakImportRow, LeakImportWithImporterRow, MailDomainOwnerRow } from "./repositories/leaks.ts";
export * as leaksRepo from "./repositories/leaks.ts";
export type { MailRow } from "./repositories/mail-outbox.ts";
export * as mailOutboxRepo from "./repositories/mail-outbox.ts";
export type {
  MailFilterCampaignRow,
  MailSecurityTestRow,
  StructureMailScope,
} from "./repositories/mail-security.ts";
export * as mailSecurityRepo from "./repositories/mail-security.ts";
export type {
  ActivityReferenceRow,
  CodeCombination,
  CodeCounts,
  ObservatoryFigures,
  ObservatoryPeriod,
} from "./repositories/observatory.ts";
export * as observatoryRepo from "./repositories/observatory.ts";
export type { OidcIdentityRow, OidcLoginAttemptRow } from "./repositories/oidc-identities.ts";
export * as oidcIdentitiesRepo from "./repositories/oidc-identities.ts";
export type {
  OncallPageListRow,
  OncallPageRow,
  OncallShiftRow,
  OncallShiftWithUser,
} from "./repositories/oncall.ts";
export * as oncallRepo from "./repositories/oncall.ts";
export type {
  CertPublicationFilter,
  PublicationFilter,
  PublicationRevisionWithAuthor,
  PublicationRow,
  PublishedFilter,
  PublishedPublicationRow,
} from "./repositories/publications.ts";
export * as publicationsRepo from "./repositories/publications.ts";
export type {
  ReflexSheetListFilter,
  ReflexSheetListRow,
  ReflexSheetRow,
  ReflexSheetSendingRow,
  ReflexSheetVersionRow,
  ReflexSheetVersionWithAuthor,
} from "./repositories/reflex-sheets.ts";
export * as reflexSheetsRepo from "./repositories/reflex-sheets.ts";
export type { DepartmentRow, RegionRow } from "./repositories/regions.ts";
export * as regionsRepo from "./repositories/regions.ts";
export type { SavedViewRow } from "./repositories/saved-views.ts";
export * as savedViewsRepo from "./repositories/saved-views.ts";
export type { SessionRow } from "./repositories/sessions.ts";
export * as sessionsRepo from "./repositories/sessions.ts";
export type {
  ImportedStructure,
  StructureImportState,
  StructureListFilter,
  StructureRow,
  StructureTextQuery,
  StructureVisibility,
  StructureWithRegionRow,
} from "./repositories/structures.ts";
export * as structuresRepo from "./repositories/structures.ts";
export * as supportActionsRepo from "./repositories/support-actions.ts";
export type { UserRow } from "./repositories/users.ts";
export * as usersRepo from "./repositories/users.ts";
export type {
  AdvisoryRow,
  FeedRunRow,
  VulnerabilityCriterionRow,
  VulnerabilityRow,
} from "./repositories/vulnerability-feeds.ts";
export * as vulnerabilityFeedsRepo from "./repositories/vulnerability-feeds.ts";
export type {
  MatchAssetRow,
  MatchAssetSelection,
  MatchCriterionRow,
  MatchVulnerabilityRow,
  WatchMatchRunRow,
} from "./repositories/watch-matching.ts";
export * as watchMatchingRepo from "./repositories/watch-matching.ts";
export type {
  ExistingTicketRow,
  NewWatchTicketRow,
  NotificationListRow,
  SeenTicketUpdate,
  TicketHistoryView,
  TicketListFilter,
  TicketListRow,
  TicketScopeFilter,
  WatchNotificationRow,
  WatchTicketRow,
  WatchYearFigures,
} from "./repositories/watch-tickets.ts";
export * as watchTicketsRepo from "./repositories/watch-tickets.ts";
export type * from "./schema.ts";
