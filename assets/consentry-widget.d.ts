// Types of the Consentry ES module (`consentry-widget.js`). See docs/embedding.md.

/** A purpose id of the notice, e.g. "service-analytics". */
export type PurposeId = string;

/** Google Consent Mode v2 consent types. */
export type ConsentModeType =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

/** Options of `Consentry.mount`. */
export interface ConsentryOptions {
  /** URL of the compiled notice's manifest.json (relative URLs resolve against document.baseURI). */
  manifestUrl: string;
  /** http(s) URL that signed receipts are POSTed to. */
  endpoint: string;
  /** BCP 47 tag tried first, e.g. "zh-CN". */
  language?: string;
  /** ISO 3166 region as the site knows it, e.g. "DE" or "US-CA"; picks the legal regime. */
  region?: string;
  /** The visitor's country (or country-subdivision) from the site's CDN, e.g. the value of
   *  `CF-IPCountry`; "XX", "T1" and "" mean unknown. Used when `region` is absent. */
  edgeRegion?: string;
  /** Days after which a decision is asked again (1–3650, default 365). */
  expiryDays?: number;
  /** URL of consentry.css, linked inside the shadow root (the module passes its own). */
  stylesheetUrl?: string;
  /** A link token the receipt server issued (`POST /v1/links`), e.g. from the `?link=` of a
   *  support-mail auto-reply: every receipt carries it, bound to its ticket and person and
   *  to its channel; the server refuses receipts whose token expired or was altered. */
  link?: string;
  /** Google Consent Mode v2: which purpose(s) each consent type follows. Every type starts
   *  denied; a type is granted when all its purposes are. */
  consentMode?: Partial<Record<ConsentModeType, PurposeId | PurposeId[]>>;
  /** Origins allowed to show this page in a frame, e.g. ["https://partner.example"]. In a
   *  frame of any other origin nothing is shown and `consentry:error` says `framed`, so a
   *  page that frames the site cannot trick a visitor into a decision (clickjacking). */
  allowFramedBy?: string[];
  /**
   * Frame mode (docs/adr/0012-device-key-in-a-signing-frame.md): URL of the signing frame
   * served by the receipt server on its own origin, e.g.
   * "https://consent.example.com/signer/" (`consentry-server --signer-origin <this site>`).
   * Receipts are then built, signed with a device key kept only on that origin, kept and
   * delivered in that frame (to its origin's /v1/receipts); no script on this page can read,
   * use directly or replace the key. Allow the origin in `frame-src`. The first mount that
   * names a signer puts the page in frame mode. Absent: same-origin mode (the key in this
   * origin).
   */
  signer?: string;
}

/** `{ <purpose>: granted }` in notice order. */
export type Decisions = Record<PurposeId, boolean>;

/** A privacy law Consentry applies (see docs/regimes.md). */
export type Regime =
  | 'eu-gdpr' | 'uk-gdpr' | 'ch-fadp' | 'cn-pipl' | 'jp-appi' | 'kr-pipa' | 'in-dpdp'
  | 'ca-pipeda' | 'ca-qc-law25' | 'us-ca-ccpa' | 'us-va-vcdpa' | 'us-co-cpa' | 'us-ct-ctdpa'
  | 'us-tx-tdpsa' | 'us-or-ocpa' | 'br-lgpd' | 'apec-cbpr';

/** Where the visitor's region came from: their own pick in the region corrector, the
 *  `region` option, the `edgeRegion` option, the time zone, the language, or the notice's
 *  default. */
export type RegionSource =
  | 'user_selection' | 'site_option' | 'edge_header' | 'time_zone' | 'language' | 'default';

/**
 * How a decision was made: the banner's or settings' buttons, a withdrawal, a separate consent
 * step (PIPL), an opt-in past Global Privacy Control, or `guardian` when the "a parent or
 * guardian decides" box changed what is in force (no receipt: the next decision records it).
 */
export type DecisionMethod =
  | 'accept_all' | 'reject_all' | 'save_choices' | 'withdraw' | 'separate_consent'
  | 'gpc_opt_in' | 'guardian';

/** `consentry:error` codes (docs/embedding.md#error-codes). */
export type ErrorCode =
  | 'manifest_unavailable' | 'manifest_invalid' | 'notice_unverified' | 'storage_failed'
  | 'receipt_id_unavailable' | 'device_key_unavailable' | 'signing_failed' | 'outbox_corrupt'
  | 'action_refused' | 'locale_unverified' | 'receipt_unavailable' | 'region_invalid'
  | 'widget_unavailable' | 'receipts_unavailable' | 'receipt_not_signed' | 'invalid_options'
  | 'invalid_attributes' | 'invalid_call' | 'consent_mode_unknown_purpose' | 'framed';

/** Members every notice event carries. */
export interface NoticeDetail {
  noticeId: string;
  version: string;
  locale: string;
  /** The law of the visitor's region. */
  regime: Regime;
  /**
   * Every law applied, the visitor's own first: theirs, a national law beside a state's or
   * province's, and the controller's own law where it binds for every visitor. Per purpose
   * the strictest of them decides.
   */
  regimes: Regime[];
  /** ISO 3166 region, or null when unknown. */
  region: string | null;
  /** Where the region came from. */
  determinedBy: RegionSource;
  /** Whether the browser sends Global Privacy Control. */
  gpc: boolean;
}

export interface ReadyDetail extends NoticeDetail {
  /** A decision is in force (no banner). */
  decided: boolean;
  decisions: Decisions;
}

export interface ChangeDetail extends NoticeDetail {
  decisions: Decisions;
  /** How the decision was made. */
  method: DecisionMethod;
  /** The receipt id (urn:uuid:…), or null if none could be drawn. */
  receiptId: string | null;
}

export interface ReceiptDetail {
  receiptId: string;
  status: 'stored' | 'queued' | 'rejected';
  httpStatus: number | null;
  /** The server's error code of a rejection. */
  code: string | null;
  /** POSTs of this receipt so far. */
  attempts: number;
  /** When queued: milliseconds until the next try (backoff with jitter); null while offline. */
  retryInMs: number | null;
  /** When queued: the browser is offline; delivery resumes on the `online` event. */
  offline: boolean;
}

export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}

export interface ConsentryEventMap {
  ready: ReadyDetail;
  change: ChangeDetail;
  receipt: ReceiptDetail;
  error: ErrorDetail;
}

/** A mounted widget. */
export interface MountHandle {
  /** Removes the widget and its listeners. */
  unmount(): void;
  /** Opens the settings. */
  show(): void;
  /** Withdraws consent for `purpose`, or for every optional purpose. */
  withdraw(purpose?: PurposeId): void;
  /** Whether it is still mounted. */
  readonly mounted: boolean;
}

/** Every `consentry:*` event, as the DOM dispatches it (on the host element; it bubbles and
 *  is composed, so `document` and `window` hear it too). */
export type ConsentryDomEventMap = {
  [K in keyof ConsentryEventMap as `consentry:${K}`]: CustomEvent<ConsentryEventMap[K]>;
};

export declare const Consentry: {
  /**
   * Mounts the widget into an open shadow root of `el`. Throws on bad options once the widget
   * has loaded; before that (the page's first mount) bad options are reported as
   * `consentry:error` (`invalid_options`) and `data-consentry-state="error"`.
   */
  mount(el: HTMLElement, options: ConsentryOptions): MountHandle;
  /** Whether `purpose` is granted now (false until the notice has loaded). */
  get(purpose: PurposeId): boolean;
  /** Every purpose's state. */
  get(): Decisions;
  on<K extends keyof ConsentryEventMap>(
    name: K | `consentry:${K}`,
    listener: (detail: ConsentryEventMap[K], event: CustomEvent<ConsentryEventMap[K]>) => void,
  ): () => void;
  show(): void;
  withdraw(purpose?: PurposeId): void;
  unmount(): void;
};

/** `<consentry-notice manifest-url endpoint language region edge-region expiry-days
 *  stylesheet-url consent-mode allow-framed-by signer>`: defined by importing the module (the
 *  class itself is not exported; create it with `document.createElement('consentry-notice')`). */
export interface ConsentryNoticeElement extends HTMLElement {
  show(): void;
  withdraw(purpose?: PurposeId): void;
  addEventListener<K extends keyof ConsentryDomEventMap>(
    type: K,
    listener: (this: ConsentryNoticeElement, ev: ConsentryDomEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: ConsentryNoticeElement, ev: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'consentry-notice': ConsentryNoticeElement;
  }
  // The events bubble and are composed: typed on elements, the document and the window.
  interface HTMLElementEventMap extends ConsentryDomEventMap {}
  interface DocumentEventMap extends ConsentryDomEventMap {}
  interface WindowEventMap extends ConsentryDomEventMap {}
  // eslint-disable-next-line no-var
  var Consentry: typeof import('./consentry-widget.js').Consentry;
}
