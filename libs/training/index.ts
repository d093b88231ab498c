export * from './training.module';
export * from './training.service';
export { TRAINING_EVENT, type TimelineEvent, type TrainingEventType } from './domain/timeline';
export { TRAINING_LIMITS } from './domain/limits';
export { ALLOWED_MEDIA_TYPES } from './domain/media-types';
export { ANNOTATION_KINDS, type AnnotationKind } from './domain/annotation-rules';
export { readTar, type TarEntry } from './archive/tar';
export { ARCHIVE_FORMAT, archiveKey, type ArchiveManifest } from './archive/session-archive';
