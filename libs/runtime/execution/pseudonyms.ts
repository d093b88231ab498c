import { Injectable } from '@nestjs/common';
import { PseudonymTable } from '@personae/pii';
import { BoundedMap } from '@personae/service-kit';

/** One pseudonym table per instance, so a person keeps one placeholder through a conversation. */
@Injectable()
export class Pseudonyms {
  private readonly tables = new BoundedMap<string, PseudonymTable>(10_000);

  table(scope: string): PseudonymTable {
    let table = this.tables.get(scope);
    if (!table) {
      table = new PseudonymTable();
      this.tables.set(scope, table);
    }
    return table;
  }
}
