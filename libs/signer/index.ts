export * from './signer.module';
export * from './signer.service';
