import 'reflect-metadata';
import { runService } from '@personae/service-kit';
import { GOVERNANCE_SERVICE } from '@personae/governance';

runService(GOVERNANCE_SERVICE);
