/*
 * The identity provider's storage: sessions, grants, codes and tokens in
 * memory, per provider instance, each dropped when it expires. Local and test
 * use only, by design: everything is forgotten when the process stops.
 */
import type {
  Adapter,
  AdapterConstructor,
  AdapterPayload,
} from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/** Most entries kept; beyond it expired ones go first, then the oldest. */
const MAX_ENTRIES = 10_000;

/** Returns an `adapter` (a constructor per model) with its own storage. */
export function createMemoryAdapter(
  maxEntries = MAX_ENTRIES,
): AdapterConstructor {
  const entries = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();

  const sweep = () => {
    if (entries.size <= maxEntries) {
      return;
    }
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt <= now) entries.delete(key);
    }
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(key);
    }
    for (const [grantId, members] of grants) {
      for (const key of members) {
        if (!entries.has(key)) members.delete(key);
      }
      if (members.size === 0) grants.delete(grantId);
    }
  };

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return class MemoryAdapter implements Adapter {
    constructor(readonly model: string) {}

    key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      const key = this.key(id);
      // re-inserted: the oldest-first eviction sees it as new
      entries.delete(key);
      entries.set(key, {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity,
      });
      if (payload.grantId) {
        const members = grants.get(payload.grantId) ?? new Set<string>();
        members.add(key);
        grants.set(payload.grantId, members);
      }
      if (payload.uid) {
        entries.set(`${this.model}:uid:${payload.uid}`, {
          payload: { ...payload, jti: id },
          expiresAt: entries.get(key)!.expiresAt,
        });
      }
      if (payload.userCode) {
        entries.set(`${this.model}:userCode:${payload.userCode}`, {
          payload: { ...payload, jti: id },
          expiresAt: entries.get(key)!.expiresAt,
        });
      }
      sweep();
    }

    async find(id: string) {
      return live(this.key(id))?.payload;
    }

    async findByUid(uid: string) {
      const jti = live(`${this.model}:uid:${uid}`)?.payload.jti;
      return jti ? this.find(jti) : undefined;
    }

    async findByUserCode(userCode: string) {
      const jti = live(`${this.model}:userCode:${userCode}`)?.payload.jti;
      return jti ? this.find(jti) : undefined;
    }

    async consume(id: string) {
      const entry = live(this.key(id));
      if (entry) {
        entry.payload.consumed = Math.floor(Date.now() / 1000);
      }
    }

    async destroy(id: string) {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      for (const key of grants.get(grantId) ?? []) {
        entries.delete(key);
      }
      grants.delete(grantId);
    }
  };
}
