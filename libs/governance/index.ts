export * from './governance.module';
export * from './governance.service';
