/** The schema the synthesis pipeline owns. */
export const SYNTHESIS_SCHEMA = 'synthesis';
