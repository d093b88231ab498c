export const TRAINING_SCHEMA = 'training';
