// A real OpenID provider for the OAuth2 tests: oidc-provider 9.x (installed by
// .ci/peers/oidc.sh into .cache/peers/oidc), on 127.0.0.1 with a port the system chose.
// Prints one JSON line {"issuer": ...} once it listens; ends when its stdin closes.
//
// Clients:
//   explorer-public   native, public (no secret): authorization code + PKCE with a loopback
//                     redirect (any port, RFC 8252 7.3), device code, refresh tokens (rotated)
//   explorer-short    the same, with access tokens and device codes that live 1 second
//   explorer-brief    the same, with access tokens that live 8 seconds (the window's test)
//   explorer-slow     the same, told to slow down on its first device-code poll
//   explorer-service  confidential: client credentials (secret "service-secret")
//
// The built-in (development) login page takes any login and password; besides it and the
// consent page, POST /interaction/:uid/abort is the user saying no (access_denied).
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = process.env.OIDC_PEER_DIR;
const { default: Provider, errors } = await import(
  require.resolve('oidc-provider', { paths: [path.join(root, 'node_modules')] })
);

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
const publicClient = (id) => ({
  client_id: id,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: ['http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token', DEVICE],
  response_types: ['code'],
  scope: 'openid offline_access profile email api:read',
});

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [
    publicClient('explorer-public'),
    publicClient('explorer-short'),
    publicClient('explorer-brief'),
    publicClient('explorer-slow'),
    {
      client_id: 'explorer-service',
      client_secret: 'service-secret',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: 'api:read api:write',
    },
  ],
  scopes: ['openid', 'offline_access', 'profile', 'email', 'api:read', 'api:write'],
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  pkce: { required: () => true },
  clockTolerance: 0, // expired means expired: the refresh test waits for it
  cookies: { keys: ['explorer-tests-only'] },
  ttl: {
    AccessToken: (ctx, token, client) => {
      const id = client && client.clientId;
      return { 'explorer-short': 1, 'explorer-brief': 8 }[id] || 600;
    },
    ClientCredentials: 600,
    DeviceCode: (ctx, token, client) => (client && client.clientId === 'explorer-short' ? 1 : 600),
    RefreshToken: 3600,
    Grant: 3600,
    Interaction: 600,
    Session: 3600,
    IdToken: 600,
  },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, email: `${id}@example.test` }; } };
  },
});

const slowed = new Set();

// The user says no on the consent page: the flow ends with access_denied at the client.
provider.use(async (ctx, next) => {
  const abort = /^\/interaction\/([^/]+)\/abort$/.exec(ctx.path);
  if (abort && ctx.method === 'POST') {
    await provider.interactionFinished(ctx.req, ctx.res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return;
  }
  await next();
  // explorer-slow's first poll of each device code is told to slow down (RFC 8628 3.5), as
  // providers that enforce their interval do.
  const client = ctx.oidc && ctx.oidc.client;
  if (ctx.path === '/token' && client && client.clientId === 'explorer-slow'
      && ctx.body && ctx.body.error === 'authorization_pending') {
    const code = ctx.oidc.params && ctx.oidc.params.device_code;
    if (!slowed.has(code)) {
      slowed.add(code);
      ctx.body = { error: 'slow_down', error_description: 'you are polling too quickly' };
    }
  }
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.stdin.resume();
process.stdin.on('end', () => { server.close(); process.exit(0); });
