export * from './persona-builder';
export * from './templates';
