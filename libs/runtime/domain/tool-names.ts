/**
 * Pack tool names are dotted (`web.search`); OpenAI function names allow only [A-Za-z0-9_-]. The
 * runtime maps each bundle tool to a function name and back through a table built from the bundle
 * alone, so a name the model invents never reaches a tool outside it.
 */
export function functionNameOf(toolName: string): string {
  return toolName.replace(/\./g, '__');
}

/** function name → tool name, for one persona's bundle. */
export function functionTable(toolNames: readonly string[]): ReadonlyMap<string, string> {
  return new Map(toolNames.map((name) => [functionNameOf(name), name]));
}
