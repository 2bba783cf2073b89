/**
 * Every locale file, by language and namespace. English is the reference:
 * key types come from it, and tests/unit/locales.test.ts keeps Spanish in
 * parity. Add a namespace here (both languages) when you add a file.
 */
import enCommon from '../../../locales/en/common.json';
import enErrors from '../../../locales/en/errors.json';
import enHelp from '../../../locales/en/help.json';
import enHome from '../../../locales/en/home.json';
import enInvite from '../../../locales/en/invite.json';
import enLabs from '../../../locales/en/labs.json';
import enListen from '../../../locales/en/listen.json';
import enMessages from '../../../locales/en/messages.json';
import enResults from '../../../locales/en/results.json';
import enSandbox from '../../../locales/en/sandbox.json';
import enSettings from '../../../locales/en/settings.json';
import enSignin from '../../../locales/en/signin.json';
import esCommon from '../../../locales/es/common.json';
import esErrors from '../../../locales/es/errors.json';
import esHelp from '../../../locales/es/help.json';
import esHome from '../../../locales/es/home.json';
import esInvite from '../../../locales/es/invite.json';
import esLabs from '../../../locales/es/labs.json';
import esListen from '../../../locales/es/listen.json';
import esMessages from '../../../locales/es/messages.json';
import esResults from '../../../locales/es/results.json';
import esSandbox from '../../../locales/es/sandbox.json';
import esSettings from '../../../locales/es/settings.json';
import esSignin from '../../../locales/es/signin.json';

const en = {
  common: enCommon,
  errors: enErrors,
  help: enHelp,
  home: enHome,
  invite: enInvite,
  labs: enLabs,
  listen: enListen,
  messages: enMessages,
  results: enResults,
  sandbox: enSandbox,
  settings: enSettings,
  signin: enSignin,
};

export type Resources = typeof en;

/** Spanish must have the same namespaces (keys are checked by the parity test). */
const es: { [N in keyof Resources]: Record<string, string> } = {
  common: esCommon,
  errors: esErrors,
  help: esHelp,
  home: esHome,
  invite: esInvite,
  labs: esLabs,
  listen: esListen,
  messages: esMessages,
  results: esResults,
  sandbox: esSandbox,
  settings: esSettings,
  signin: esSignin,
};

export const resources = { en, es };
