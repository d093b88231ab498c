import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { REGISTRY_SERVICE } from '@personae/registry';

runService(REGISTRY_SERVICE);
