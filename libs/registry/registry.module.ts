import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { MessagingModule } from '@personae/messaging';
import { DatabaseModule } from '@personae/persistence';
import { LifecyclePublisher } from './events/lifecycle.publisher';
import { ChannelsController } from './http/channels.controller';
import { DraftReviewController } from './http/draft-review.controller';
import { DraftsController } from './http/drafts.controller';
import { PersonasController } from './http/personas.controller';
import { ResolveController } from './http/resolve.controller';
import { SchemaController } from './http/schema.controller';
import { VersionsController } from './http/versions.controller';
import { YamlBodyMiddleware } from './http/yaml-body.middleware';
import { ChannelQueries } from './queries/channels.query';
import { DiffQuery } from './queries/diff.query';
import { DraftQueries } from './queries/drafts.query';
import { PersonaQueries } from './queries/personas.query';
import { ResolveRef } from './queries/resolve-ref.query';
import { VersionQueries } from './queries/versions.query';
import { GovernanceGateway } from './signer/governance.gateway';
import { SignerGateway } from './signer/signer.gateway';
import { REGISTRY_MIGRATIONS } from './store/migrations';
import { REGISTRY_ENTITIES, REGISTRY_SCHEMA } from './store/registry-tables';
import { ClonePersona } from './use-cases/clone-persona.use-case';
import { CreateDraft } from './use-cases/create-draft.use-case';
import { DeleteDraft } from './use-cases/delete-draft.use-case';
import { DeprecateVersion } from './use-cases/deprecate-version.use-case';
import { PromoteVersion } from './use-cases/promote-version.use-case';
import { ReviewDraft } from './use-cases/review-draft.use-case';
import { RevokeVersion } from './use-cases/revoke-version.use-case';
import { RollbackChannel } from './use-cases/rollback-channel.use-case';
import { SealDraft } from './use-cases/seal-draft.use-case';
import { SubmitDraft } from './use-cases/submit-draft.use-case';
import { UpdateDraft } from './use-cases/update-draft.use-case';
import { WithdrawDraft } from './use-cases/withdraw-draft.use-case';

/** The persona-registry service: owns the `registry` schema and publishes persona.lifecycle. */
@Module({
  imports: [
    DatabaseModule.forService({
      schema: REGISTRY_SCHEMA,
      entities: REGISTRY_ENTITIES,
      migrations: REGISTRY_MIGRATIONS,
    }),
    MessagingModule.forService({ schema: REGISTRY_SCHEMA }),
  ],
  // Drafts first: its static `/v1/personas/drafts…` routes must be matched before `/v1/personas/:name`.
  controllers: [
    DraftsController,
    DraftReviewController,
    PersonasController,
    VersionsController,
    ChannelsController,
    ResolveController,
    SchemaController,
  ],
  providers: [
    LifecyclePublisher,
    SignerGateway,
    GovernanceGateway,
    CreateDraft,
    UpdateDraft,
    DeleteDraft,
    SubmitDraft,
    WithdrawDraft,
    ReviewDraft,
    SealDraft,
    ClonePersona,
    PromoteVersion,
    RollbackChannel,
    DeprecateVersion,
    RevokeVersion,
    DraftQueries,
    VersionQueries,
    ChannelQueries,
    PersonaQueries,
    ResolveRef,
    DiffQuery,
  ],
})
export class RegistryModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(YamlBodyMiddleware).forRoutes({ path: 'v1/personas/import', method: RequestMethod.POST });
  }
}
