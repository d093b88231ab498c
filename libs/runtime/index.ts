export * from './runtime.module';
export * from './runtime.service';
export { PersonaResolver, type Caller } from './personas/persona-resolver';
export { Instances } from './sessions/instances.use-case';
export { ExecutePersona } from './execution/execute-persona.use-case';
export { ReceiptKeys } from './receipts/receipt-keys';
export * from './domain/compliance-receipt';
export * from './domain/price-table';
