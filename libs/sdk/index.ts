export * from './persona-builder';
export * from './templates';
export * from './client/http-client';
export * from './client/signer.client';
export * from './client/registry.client';
export * from './client/knowledge.client';
