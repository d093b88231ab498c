import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { TRAINING_SERVICE } from '@personae/training';

runService(TRAINING_SERVICE);
