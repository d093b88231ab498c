/** The schema the runtime orchestrator owns. */
export const RUNTIME_SCHEMA = 'runtime';
