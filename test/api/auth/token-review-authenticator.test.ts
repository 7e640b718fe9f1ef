import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenReviewAuthenticator } from '../../../api/auth/token-review-authenticator';
import { FakeKubeApiServer } from '../../helpers/fake-kube-apiserver';
import { tempDir } from '../../helpers/test-server';

/** Against the in-test API server, which answers TokenReview by the real API's rules. */
describe('TokenReviewAuthenticator', () => {
  const dir = tempDir('token-review');
  const kube = new FakeKubeApiServer();
  let nowMs = 1_000_000;
  let reviewer: TokenReviewAuthenticator;

  beforeAll(async () => {
    await kube.start();
    kube.tokens.addServiceAccountToken('own-token', 'prescale', 'prescale', { canReviewTokens: true });
    writeFileSync(join(dir.path, 'token'), 'own-token\n');
    reviewer = new TokenReviewAuthenticator({
      api: { url: kube.url, tokenFile: join(dir.path, 'token') },
      roles: { 'system:serviceaccount:ml:pusher': 'write' },
      cacheTtlMs: 10_000,
      now: () => nowMs,
    });
  });
  afterAll(async () => {
    await kube.close();
    dir.remove();
  });

  it('reuses an answer within the TTL, asks again after it, and then sees a revoked token', async () => {
    kube.tokens.addServiceAccountToken('sa-token', 'ml', 'pusher');
    const before = kube.tokenReviews();
    await expect(reviewer.authenticate('sa-token')).resolves.toEqual({ name: 'system:serviceaccount:ml:pusher', role: 'write', via: 'token-review' });
    kube.tokens.revoke('sa-token');
    nowMs += 9_000;
    await expect(reviewer.authenticate('sa-token')).resolves.toMatchObject({ role: 'write' });
    expect(kube.tokenReviews() - before).toBe(1);
    nowMs += 2_000;
    await expect(reviewer.authenticate('sa-token')).resolves.toBeNull();
    expect(kube.tokenReviews() - before).toBe(2);
  });

  it('does not cache a failed review: once the API answers again, the token is accepted', async () => {
    kube.tokens.addServiceAccountToken('flaky-token', 'ml', 'pusher');
    kube.failNext(/tokenreviews/, 503, 1);
    await expect(reviewer.authenticate('flaky-token')).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    await expect(reviewer.authenticate('flaky-token')).resolves.toMatchObject({ role: 'write' });
  });
});
