export * from './auth.module';
export * from './authenticator';
export * from './log-redaction';
export * from './domain/roles';
export * from './domain/tenant';
export * from './domain/principal';
export * from './domain/tenant-scope';
export {
  signJwt,
  verifyJwt,
  JwtError,
  MAX_BEARER_TOKEN_LENGTH,
  type JwtClaims,
  type SignJwtOptions,
  type VerifyJwtOptions,
} from './domain/jwt';
export { apiKeyPrefix, parseApiKeyToken } from './domain/api-key-token';
export { Public, Roles, CurrentPrincipal, type AuthenticatedRequest } from './http/decorators';
export { AuthGuard } from './http/auth.guard';
export { authorize } from './http/authorize';
export { IS_PUBLIC, REQUIRED_ROLES } from './http/decorators';
export { ApiKeyService, type ApiKeyView, type MintedApiKey, type MintApiKey } from './keys/api-key.service';
export { bootstrapAdminKey, formatAdminKeyBanner } from './keys/admin-bootstrap';
export { AUTH_DATABASE, AUTH_SCHEMA } from './store/auth-schema';
