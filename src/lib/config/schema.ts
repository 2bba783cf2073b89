/**
 * The clinic configuration's shape: what clinic.config.json holds once
 * validated (validate.ts reads and checks it). Types and the list of
 * weekdays only, so browser code may import it at almost no cost.
 */
import type { Lang } from '../i18n/langs.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  /** Days these hours apply to, e.g. ["mon", "tue"]. */
  days: Weekday[];
  /** 24-hour "HH:MM" local time of the clinic. */
  opens: string;
  closes: string;
}

export interface ClinicConfig {
  clinic: {
    name: string;
    /** IANA time zone of the clinic, e.g. "America/Chicago". */
    timeZone: string;
    /** The clinic's own website; links to it in messages may be clickable. */
    website?: string;
    phones: {
      /** E.164, e.g. "+15550100123". The number behind every "Call the clinic". */
      main: string;
      /** E.164 nurse or after-hours line, optional. */
      afterHours?: string;
    };
    hours: OpeningHours[];
  };
  portal: {
    /**
     * Where Clara is published, e.g. "https://portal.example.org": printed on
     * the invitation (as text and as a QR code) and used for absolute links.
     */
    url: string;
  };
  languages: Lang[];
  defaultLanguage: Lang;
  fhir: {
    /** FHIR R4 base URL of the clinic's patient API. */
    baseUrl: string;
    /** Seconds before a FHIR request gives up with a friendly message. */
    timeoutSeconds: number;
  };
  smart: {
    /** SMART issuer: `${issuer}/.well-known/smart-configuration` is read at sign-in. */
    issuer: string;
    clientId: string;
    /** Ask for `offline_access` so a session can be refreshed. */
    offlineAccess: boolean;
    /**
     * Origins of SMART endpoints Clara calls (token, revocation) when they are
     * not on the issuer's or the FHIR server's origin, e.g. "https://login.example.org".
     * They go into the Content-Security-Policy's connect-src (src/build/security-headers.ts).
     */
    endpointOrigins: string[];
  };
  results: {
    /** Business days in which the care team reviews a new result. */
    reviewWithinBusinessDays: number;
  };
  messages: {
    /** Business days in which the care team answers a message. */
    replyWithinBusinessDays: number;
    /** Who a new message can go to when the EHR gives no care team. */
    defaultRecipients: DefaultRecipient[];
  };
  device: {
    /** Days after the patient's last sign-in that the copy kept on their own device is erased. */
    keepDays: number;
  };
  session: {
    /** Minutes without use before Clara signs out (a warning comes 2 minutes before), by device. */
    idleMinutes: { own: number; shared: number };
  };
}

export interface DefaultRecipient {
  /** A FHIR reference the EHR accepts as a message recipient, e.g. "Practitioner/123" or "Organization/9". */
  reference: string;
  display: string;
  role: 'doctor' | 'nurse' | 'staff';
}
