/**
 * The active rulebook, behind one object (`app.rulebooks`). Handlers call `active()` once per
 * request and use that reference throughout, so a switch never shows a request half of each.
 */
import fp from 'fastify-plugin';
import type { CompiledRulebook } from '@preaudit/core-rules';
import { loadRulebookDir } from '@preaudit/core-rules/node';

declare module 'fastify' {
  interface FastifyInstance {
    /** Holder of the active rulebook. */
    rulebooks: RulebookRegistry;
  }
}

/** Summary of a rulebook for /health and logs. */
export interface RulebookInfo {
  id: string;
  version: string;
  name: string;
  issuer: string;
  rules: number;
  codes: number;
}

/** Holds the active compiled rulebook; switching is a single reference swap. */
export class RulebookRegistry {
  private current: CompiledRulebook;

  constructor(initial: CompiledRulebook) {
    this.current = initial;
  }

  /** The rulebook to evaluate with now. Read it once per request. */
  active(): CompiledRulebook {
    return this.current;
  }

  /** Makes `rulebook` the active one (atomic: the next `active()` returns it). */
  activate(rulebook: CompiledRulebook): void {
    this.current = rulebook;
  }

  /** Summary of the active rulebook. */
  info(): RulebookInfo {
    return rulebookInfo(this.current);
  }
}

/** Summary of a compiled rulebook. */
export function rulebookInfo(rb: CompiledRulebook): RulebookInfo {
  return {
    id: rb.id,
    version: rb.version,
    name: rb.name ?? rb.id,
    issuer: rb.issuer ?? '',
    rules: rb.rules.length,
    codes: rb.codeCount ?? 0,
  };
}

export default fp(
  async (app) => {
    const rulebook = app.config.rulebook ?? loadRulebookDir(app.config.rulebookDir);
    app.decorate('rulebooks', new RulebookRegistry(rulebook));
    const info = rulebookInfo(rulebook);
    app.log.info({ rulebook: `${info.id}@${info.version}`, rules: info.rules, codes: info.codes }, 'rulebook active');
  },
  { name: 'rulebooks' },
);
