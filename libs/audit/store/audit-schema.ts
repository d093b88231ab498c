export const AUDIT_SCHEMA = 'audit';
