import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { SYNTHESIS_SERVICE } from '@personae/synthesis';

runService(SYNTHESIS_SERVICE);
