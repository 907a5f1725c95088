import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';

/**
 * The mock auth service of backend-test-utils 1.11 issues plugin-to-plugin
 * tokens on behalf of a user without marking the calling plugin as the
 * actor, which the current permission backend rejects for conditional
 * requests. The real auth service marks it; so does this wrapper.
 */
export const authWithPluginActor = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const pluginId = plugin.getId();
    const inner = mockServices.auth({ pluginId });
    return {
      authenticate: inner.authenticate.bind(inner),
      isPrincipal: inner.isPrincipal.bind(inner) as AuthService['isPrincipal'],
      getNoneCredentials: inner.getNoneCredentials.bind(inner),
      getOwnServiceCredentials: inner.getOwnServiceCredentials.bind(inner),
      getLimitedUserToken: inner.getLimitedUserToken.bind(inner),
      listPublicServiceKeys: inner.listPublicServiceKeys.bind(inner),
      async getPluginRequestToken(options) {
        if (inner.isPrincipal(options.onBehalfOf, 'user')) {
          return {
            token: mockCredentials.user.token(
              options.onBehalfOf.principal.userEntityRef,
              { actor: { subject: `plugin:${pluginId}` } },
            ),
          };
        }
        return inner.getPluginRequestToken(options);
      },
    };
  },
});

/**
 * The backend's `database` config for a `TestDatabases` id: an in-memory
 * SQLite, or the PostgreSQL 15 of `TestDatabases` under a table prefix unique
 * to this run (`<name>_<time>_<random>_`), so suites never share tables.
 */
export function testDatabaseConfig(id: string, name: string) {
  if (id === 'SQLITE_3') {
    return { client: 'better-sqlite3', connection: ':memory:' };
  }
  return {
    client: 'pg',
    connection:
      process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
    prefix: uniqueDatabasePrefix(name),
  };
}

/** `<name>_<time>_<random>_`: a table prefix no other run uses. */
export function uniqueDatabasePrefix(name: string): string {
  return `${name}_${Date.now().toString(36)}_${Math.floor(
    Math.random() * 1e6,
  ).toString(36)}_`;
}

/**
 * A GET of the tenant API (`/api/hospital-tenants<route>`) as `user` (an
 * entity ref, with the mock credentials of backend-test-utils), or with no
 * credentials at all.
 */
export function getTenantApi(
  server: Parameters<typeof request>[0],
  route: string,
  user?: string,
) {
  return request(server)
    .get(`/api/hospital-tenants${route}`)
    .set(
      'Authorization',
      user ? mockCredentials.user.header(user) : mockCredentials.none.header(),
    );
}
