import { Type, type Static } from '@sinclair/typebox';
import { Closed, Enum, HOST, List, SCOPE, Text, TOOL_NAME } from './common.schema';

export const NETWORK_MODES = ['none', 'allowlist', 'open'] as const;

export const SandboxPolicySchema = Closed(
  {
    network: Enum(NETWORK_MODES, {
      default: 'none',
      description: 'Network access: none, only `allowHosts`, or open.',
    }),
    allowHosts: List(
      Type.String({
        pattern: HOST,
        maxLength: 260,
        description: 'A host, optionally `*.` wildcard and `:port`.',
      }),
      50,
      'Hosts reachable when `network` is `allowlist`.',
      true,
    ),
    timeoutMs: Type.Integer({
      minimum: 100,
      maximum: 600000,
      default: 30000,
      description: 'Wall-clock limit for one call, in milliseconds.',
    }),
    maxOutputBytes: Type.Integer({
      minimum: 1,
      maximum: 67108864,
      default: 1048576,
      description: 'Largest tool output passed back to the model, in bytes.',
    }),
  },
  { default: {}, description: 'Where and how long the tool may run.' },
);

/**
 * The tool's arguments as a JSON Schema object (what function-calling models expect). We check the
 * outer shape here and `required` against `properties` in semantic checks; the rest is the author's.
 */
/** A JSON Schema object: the fields we check, plus any other JSON Schema keyword. */
export type ToolInputSchema = {
  type: 'object';
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  [keyword: string]: unknown;
};

// Unsafe<> only widens the static type (open keywords); the runtime schema stays the Object above.
export const ToolInputSchemaSchema = Type.Unsafe<ToolInputSchema>(
  Type.Object(
    {
      type: Type.Literal('object', { description: 'Tool arguments are always a JSON object.' }),
      properties: Type.Optional(
        Type.Record(Type.String(), Type.Object({}, { additionalProperties: true }), {
          description: 'One JSON Schema per argument.',
        }),
      ),
      required: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
          maxItems: 100,
          uniqueItems: true,
          description: 'Required argument names.',
        }),
      ),
    },
    {
      additionalProperties: true,
      default: { type: 'object', properties: {} },
      description: 'JSON Schema of the tool input (an object schema).',
    },
  ),
);

export const ToolSpecSchema = Closed(
  {
    name: Type.String({
      pattern: TOOL_NAME,
      maxLength: 64,
      description: 'Tool name, dot-separated, e.g. `web.search`; also the action name policies match.',
    }),
    description: Text(1000, 'What the tool does and when to use it (shown to the model).'),
    inputSchema: ToolInputSchemaSchema,
    sandbox: SandboxPolicySchema,
    credentialScopes: List(
      Type.String({ pattern: SCOPE, maxLength: 200, description: 'A credential scope, e.g. `repo:read`.' }),
      20,
      'Credential scopes the tool may be issued at run time; nothing else is mounted.',
      true,
    ),
    heuristics: List(
      Text(500, 'One heuristic.'),
      50,
      'Learned rules of thumb for using this tool well, e.g. from training sessions.',
    ),
  },
  { description: 'A tool the persona may call.' },
);

export type NetworkMode = (typeof NETWORK_MODES)[number];
export type SandboxPolicy = Static<typeof SandboxPolicySchema>;
export type ToolSpec = Static<typeof ToolSpecSchema>;
