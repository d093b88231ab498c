import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { RUNTIME_SERVICE } from '@personae/runtime';

runService(RUNTIME_SERVICE);
