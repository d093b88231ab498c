/** The smallest pack a person can write by hand; specs build their cases from it. */
export const MINIMAL_PACK_YAML = `apiVersion: personae.dev/v1
kind: PersonaPack
metadata:
  name: helper
  displayName: Helper
spec:
  prompt:
    system: You are a helpful assistant.
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs poke at fields, valid or not
export function minimalPack(): Record<string, any> {
  return {
    apiVersion: 'personae.dev/v1',
    kind: 'PersonaPack',
    metadata: { name: 'helper', displayName: 'Helper' },
    spec: { prompt: { system: 'You are a helpful assistant.' } },
  };
}
