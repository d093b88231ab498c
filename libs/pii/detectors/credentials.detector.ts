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
    // the look-behind keeps a long run of base64 from being retried at every "eyJ" inside it
    /((?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*)/, // 9 JWT
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
/** Cue words; the sticky patterns below run where one of them starts. */
const KEYWORDS =
  '(?:\\b|_)(?:bearer|token|basic|password|passwd|pwd|passphrase|passcode|pass|pin|kennwort|passwort|mot de passe|contraseña|secret|client_secret|secret_key|api[_-]?key|access[_-]?token|auth[_-]?token|aws_secret_access_key|private[_-]?key)\\b';
const BEARER = /_?(?:bearer|token)\s+([A-Za-z0-9\-._~+/]{16,}=*)/iy;
const BASIC = /_?basic[ \t]+([A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])/iy;
/** `password=…`, `"client_secret": "…"`: the value after a secret-looking key. */
const ASSIGNMENT =
  /_?(password|passwd|pwd|passphrase|pass|kennwort|passwort|mot de passe|contraseña|secret|client_secret|secret_key|api[_-]?key|access[_-]?token|auth[_-]?token|aws_secret_access_key|private[_-]?key)\b["']?[ \t]*(?:is[ \t]*)?[:=][ \t]*(["']?)([^\s"',;<>`]{4,200})\2/iy;
/** "my password is X": only values that do not read as a word ("password is incorrect"). */
const PASSWORD_IS = /_?(?:password|passwd|passcode|passphrase|pin)\s+(?:is|was)\s+["']?([^\s"',;]{6,100})/iy;
/** `curl -u user:secret` */
const CURL_USER = /-(?:u|-user)\s+[^\s:]+:(\S+)/g;
/** `scheme://user:password@host`, found from the `://`. */
const URL_PASSWORD = /:\/\/[^\s:@/]+:([^\s@/]+)@/g;
const SCHEME_BEFORE = /[A-Za-z][A-Za-z0-9+.-]*$/;
/** Placeholders people write where a secret would be: not a secret. */
const PLACEHOLDER =
  /^(?:\*+|x+|\.+|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}?\}|\$\{?[A-Za-z_]+\}?|redacted|hidden|none|null|undefined|changeme|required|optional|string|true|false|password|passwd|pass|secret|some_?password|your[-_].*|.*goes_?here|.*placeholder.*)$/i;
/** Code, not a value: `password: auth[1]`, `secret: BufferLike)`, `apiKey: process.env.KEY`, `pass = decipher.finish()`. */
const CODE_VALUE = /[()[\]{}]|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^[a-z]+[A-Z][A-Za-z]*$/;

function pushValue(out: PiiFinding[], subtype: string, end: number, value: string): void {
  out.push({ type: 'credentials', subtype, start: end - value.length, end });
}

/** Without a footer, the key runs over base64 lines (raw or `\\n`-escaped) and stops at anything else. */
function keyBodyEnd(text: string, from: number): number {
  const body = /(?:[A-Za-z0-9+/=.]|\r?\n|\\n)*/y;
  body.lastIndex = from;
  body.exec(text);
  return Math.min(body.lastIndex, from + 8192);
}

function sticky(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/** The secret after a keyword at `at`, if any: bearer/basic token, `key=value`, "password is X". */
function keywordValue(text: string, at: number, out: PiiFinding[]): void {
  const bearer = sticky(BEARER, text, at);
  if (bearer) {
    const token = bearer[1]!;
    if (/\d/.test(token) || /[A-Z]/.test(token)) pushValue(out, 'bearer_token', at + bearer[0].length, token);
    return;
  }
  const basic = sticky(BASIC, text, at);
  if (basic) {
    // base64 of user:password has digits or padding; "basic functionality" has neither
    if (/[0-9+/=]/.test(basic[1]!)) pushValue(out, 'basic_auth', at + basic[0].length, basic[1]!);
    return;
  }
  const assignment = sticky(ASSIGNMENT, text, at);
  if (assignment) {
    const value = assignment[3]!;
    if (PLACEHOLDER.test(value) || (assignment[2] === '' && CODE_VALUE.test(value))) return;
    // a bare "pass:" after a word is prose ("a validation pass: valid JS"), not a key
    if (/^pass$/i.test(assignment[1]!) && /\p{L}[ \t]*$/u.test(text.slice(Math.max(0, at - 20), at))) return;
    const subtype = /pass|pwd|kennwort|mot de passe|contraseña/i.test(assignment[1]!) ? 'password' : 'secret';
    pushValue(out, subtype, at + assignment[0].length - assignment[2]!.length, value);
    return;
  }
  const said = sticky(PASSWORD_IS, text, at);
  if (said) {
    const value = said[1]!.replace(/[.!?]$/, '');
    if (PLACEHOLDER.test(value) || /^\p{Ll}+$/u.test(value)) return;
    const start = at + said[0].length - said[1]!.length;
    pushValue(out, 'password', start + value.length, value);
  }
}

export const credentialsDetector: PiiDetector = {
  type: 'credentials',
  priority: 100,
  keywords: KEYWORDS,
  onKeyword: keywordValue,
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
      // a footer not found once is not found for later headers either: no quadratic re-search
      const missing = new Set<string>();
      eachMatch(PEM, text, (m) => {
        const footer = `-----END ${m[1] ?? ''}PRIVATE KEY${m[2] ?? ''}-----`;
        const close = missing.has(footer) ? -1 : text.indexOf(footer, m.index + m[0].length);
        if (close === -1) missing.add(footer);
        const end = close === -1 ? keyBodyEnd(text, m.index + m[0].length) : close + footer.length;
        out.push({ type: 'credentials', subtype: 'pem_private_key', start: m.index, end });
        PEM.lastIndex = end;
      });
    }
    eachMatch(CURL_USER, text, (m) => {
      const before = codeAt(text, m.index - 1);
      if ((before === 32 || before === 9) && !PLACEHOLDER.test(m[1]!))
        pushValue(out, 'basic_auth', m.index + m[0].length, m[1]!);
    });
    eachMatch(URL_PASSWORD, text, (m) => {
      const password = m[1]!;
      if (PLACEHOLDER.test(password) || !SCHEME_BEFORE.test(text.slice(Math.max(0, m.index - 20), m.index)))
        return;
      pushValue(out, 'url_password', m.index + m[0].length - 1, password);
    });
  },
};
