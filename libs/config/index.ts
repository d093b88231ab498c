export * from './app-config';
export * from './environment';
export * from './config.module';
