export * from './model-provider.port';
export * from './model-errors';
export { OpenAiCompatibleProvider, type OpenAiCompatibleOptions } from './openai-compatible.provider';
export {
  OfflineRetrievalResponder,
  OFFLINE_RETRIEVAL,
  OFFLINE_DISCLAIMER,
  NOTHING_RELEVANT,
} from './offline-retrieval.responder';
export { ModelRouter, type ModelRoute } from './model-router';
export {
  buildModelProvider,
  parseModelRoutes,
  ModelRoutesError,
  type ModelProviderConfig,
  type ModelRouteSpec,
} from './model-routes';
export { estimateTokens, estimateMessagesTokens, truncateToTokens } from './token-estimate';
export { ModelsModule, type ModelsModuleOptions } from './models.module';
