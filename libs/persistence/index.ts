export * from './embedded-postgres';
export * from './database-location';
export * from './service-data-source';
export * from './database.module';
export * from './temporary-postgres';
export * from './prepared-statement';
