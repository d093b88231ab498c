export * from './readiness';
export * from './correlation';
export * from './http/error-body';
export * from './http/validation';
export * from './http/http-exception.filter';
export * from './service-app';
export * from './run-service';
export * from './key-ring.provider';
