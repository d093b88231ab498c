import { explainOpenFailure, parseKeysCommand, UsageError } from './keys-command';

const usage = (argv: string[]): string => {
  try {
    parseKeysCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
};

describe('keys CLI arguments', () => {
  it('parses mint, list and revoke', () => {
    expect(parseKeysCommand(['mint', '--role', 'trainer', '--tenant', 'acme'])).toEqual({
      kind: 'mint',
      role: 'trainer',
      tenantId: 'acme',
      label: 'trainer key',
      json: false,
    });
    expect(
      parseKeysCommand(['mint', '--role=signer', '--tenant=acme', '--label', 'ci', '--json']),
    ).toMatchObject({ label: 'ci', json: true });
    expect(parseKeysCommand(['list', '--tenant', 'acme'])).toEqual({
      kind: 'list',
      tenantId: 'acme',
      json: false,
    });
    const id = '0193a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b';
    expect(parseKeysCommand(['revoke', id.toUpperCase(), '--tenant', 'acme'])).toEqual({
      kind: 'revoke',
      id,
      tenantId: 'acme',
    });
    expect(parseKeysCommand(['--help'])).toEqual({ kind: 'help' });
  });

  it('names what is wrong with a bad invocation', () => {
    expect(usage([])).toMatch(/command is required/);
    expect(usage(['mint-all'])).toMatch(/unknown command/);
    expect(usage(['mint', '--tenant', 'acme'])).toMatch(/--role is required/);
    expect(usage(['mint', '--role', 'root', '--tenant', 'acme'])).toMatch(
      /--role must be one of admin, trainer/,
    );
    expect(usage(['mint', '--role', 'trainer'])).toMatch(/--tenant is required/);
    expect(usage(['mint', '--role', 'trainer', '--tenant', 'Acme Corp'])).toMatch(/lowercase slug/);
    expect(usage(['mint', '--role', 'trainer', '--tenant', 'acme', '--label', 'x'.repeat(101)])).toMatch(
      /--label/,
    );
    expect(usage(['mint', '--role', 'trainer', '--tenant', 'acme', '--colour', 'red'])).toMatch(/--colour/);
    expect(usage(['list', '--tenant', 'acme', '--role', 'trainer'])).toMatch(/list does not take --role/);
    expect(usage(['revoke', '--tenant', 'acme'])).toMatch(/exactly one key id/);
    expect(usage(['revoke', 'pk_123', '--tenant', 'acme'])).toMatch(/must be a UUID/);
  });

  it('explains that the running platform owns embedded Postgres', () => {
    const inUse = new Error('another process (Postgres pid 42) is already using the data directory .data');
    expect(explainOpenFailure(inUse, true, '.data')).toMatch(/in use by another process[\s\S]*DATABASE_URL/);
    expect(explainOpenFailure(new Error('connect ECONNREFUSED'), false, '.data')).toBe(
      'could not open the database: connect ECONNREFUSED',
    );
  });
});
