import { VARIABLES } from '../libs/config/environment';

/** Prints the README's environment table from the one list the code validates. */
const rows = VARIABLES.map(
  (v) => `| \`${v.name}\` | ${v.default === undefined ? '—' : `\`${v.default}\``} | ${v.description} |`,
);
process.stdout.write(['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n') + '\n');
