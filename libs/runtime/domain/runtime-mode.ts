import type { RuntimeRef } from './persona-ref';

/** dev runs any sealed version or channel; prod runs only what the prod channel serves. */
export type RuntimeMode = 'dev' | 'prod';

export const PROD_CHANNEL = 'prod';

/**
 * Why this deployment may not run the ref, or undefined. In prod a pinned `name.vN` or another channel
 * could run a version nobody promoted; only `name@prod` follows the promotion process.
 */
export function modeProblem(mode: RuntimeMode, ref: RuntimeRef): string | undefined {
  if (mode === 'dev') return undefined;
  if (ref.kind === 'channel' && ref.channel === PROD_CHANNEL) return undefined;
  return `this runtime is in prod mode and runs only name@${PROD_CHANNEL} refs; ${ref.text} is not one`;
}
