import type { PiiFinding } from '../pii-finding';
import type { PiiDetector } from './detector';
import { codeAt, eachMatch, isWordChar } from './text-scan';

/** Tokens recognisable by their prefix; group index → subtype. One pass for all of them. */
const PREFIXED = new RegExp(
  [
    /(sk-ant-[A-Za-z0-9_-]{20,})/, // 1 Anthropic
    /(sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,})/, // 2 OpenAI
    /((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16})/, // 3 AWS access key id
    /(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/, // 4 GitHub
    /(xox[abposr]-[A-Za-z0-9-]{10,})/, // 5 Slack
    /((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,})/, // 6 Stripe secret / restricted
    /(AIza[0-9A-Za-z_-]{35})/, // 7 Google API key
    /(pk_[0-9a-f]{32}_[A-Za-z0-9_-]{20,})/, // 8 Personae API key
    /(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)/, // 9 JWT
    /(glpat-[A-Za-z0-9_-]{20,})/, // 10 GitLab
    /(npm_[A-Za-z0-9]{36})/, // 11 npm
    /(hf_[A-Za-z0-9]{30,})/, // 12 Hugging Face
    /(SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,})/, // 13 SendGrid
  ]
    .map((r) => r.source)
    .join('|'),
  'g',
);
const PREFIXED_SUBTYPES = [
  '',
  'anthropic_api_key',
  'openai_api_key',
  'aws_access_key_id',
  'github_token',
  'slack_token',
  'stripe_secret_key',
  'google_api_key',
  'personae_api_key',
  'jwt',
  'gitlab_token',
  'npm_token',
  'huggingface_token',
  'sendgrid_api_key',
];

const PEM = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?-----/g;
const BEARER = /\b(?:bearer|token)\s+([A-Za-z0-9\-._~+/]{16,}=*)/gi;
const BASIC = /\bbasic\s+([A-Za-z0-9+/]{12,}={0,2})/gi;
/** `password=…`, `"client_secret": "…"`: the value after a secret-looking key. */
const ASSIGNMENT =
  /\b(password|passwd|pwd|passphrase|pass|kennwort|passwort|mot de passe|contraseña|secret|client_secret|secret_key|api[_-]?key|access[_-]?token|auth[_-]?token|aws_secret_access_key|private[_-]?key)\b["']?\s*(?:is\s*)?[:=]\s*(["']?)([^\s"',;<>]{4,200})\2/gi;
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:([^\s@/]+)@/gi;
/** Placeholders people write where a secret would be: not a secret. */
const PLACEHOLDER =
  /^(?:\*+|x+|\.+|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}?\}|\$\{?[A-Za-z_]+\}?|redacted|hidden|none|null|undefined|changeme|required|optional|string|true|false)$/i;

function pushValue(out: PiiFinding[], subtype: string, end: number, value: string): void {
  out.push({ type: 'credentials', subtype, start: end - value.length, end });
}

export const credentialsDetector: PiiDetector = {
  type: 'credentials',
  priority: 100,
  detect(text: string, out: PiiFinding[]): void {
    eachMatch(PREFIXED, text, (m) => {
      const start = m.index;
      const end = start + m[0].length;
      if (isWordChar(codeAt(text, start - 1)) || isWordChar(codeAt(text, end))) return;
      let group = 1;
      while (group < PREFIXED_SUBTYPES.length && m[group] === undefined) group++;
      out.push({ type: 'credentials', subtype: PREFIXED_SUBTYPES[group] ?? 'api_key', start, end });
    });
    if (text.includes('-----BEGIN')) {
      eachMatch(PEM, text, (m) => {
        const footer = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
        const close = text.indexOf(footer, m.index + m[0].length);
        const end =
          close === -1 ? Math.min(text.length, m.index + m[0].length + 4096) : close + footer.length;
        out.push({ type: 'credentials', subtype: 'pem_private_key', start: m.index, end });
        PEM.lastIndex = end;
      });
    }
    eachMatch(BEARER, text, (m) => {
      const token = m[1]!;
      if (!/\d/.test(token) && !/[A-Z]/.test(token)) return;
      pushValue(out, 'bearer_token', m.index + m[0].length, token);
    });
    eachMatch(BASIC, text, (m) => pushValue(out, 'basic_auth', m.index + m[0].length, m[1]!));
    eachMatch(ASSIGNMENT, text, (m) => {
      const value = m[3]!;
      if (PLACEHOLDER.test(value)) return;
      const key = m[1]!.toLowerCase();
      const subtype = /pass|pwd|kennwort|mot de passe|contraseña/.test(key) ? 'password' : 'secret';
      const end = m.index + m[0].length - m[2]!.length;
      pushValue(out, subtype, end, value);
    });
    eachMatch(URL_PASSWORD, text, (m) => {
      const password = m[1]!;
      if (PLACEHOLDER.test(password)) return;
      pushValue(out, 'url_password', m.index + m[0].length - 1, password);
    });
  },
};
