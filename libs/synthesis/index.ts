export * from './synthesis.module';
export * from './synthesis.service';
