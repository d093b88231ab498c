export default async function globalTeardown(): Promise<void> {
  await globalThis.__PERSONAE_TEST_PG__?.stop();
}
