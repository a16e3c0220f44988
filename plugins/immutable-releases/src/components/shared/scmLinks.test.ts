import { commitUrl, compareUrl, webRepository } from './scmLinks';

describe('webRepository', () => {
  it.each([
    ['https://github.com/acme/shop', 'github', 'https://github.com/acme/shop'],
    [
      'https://github.com/acme/shop.git',
      'github',
      'https://github.com/acme/shop',
    ],
    ['git@github.com:acme/shop.git', 'github', 'https://github.com/acme/shop'],
    [
      'https://github.acme.com/acme/shop/',
      'github',
      'https://github.acme.com/acme/shop',
    ],
    [
      'https://gitlab.com/acme/team/shop',
      'gitlab',
      'https://gitlab.com/acme/team/shop',
    ],
    [
      'https://bitbucket.org/acme/shop',
      'bitbucket-cloud',
      'https://bitbucket.org/acme/shop',
    ],
    [
      'https://git.acme.com/scm/shop/checkout.git',
      'bitbucket-server',
      'https://git.acme.com/projects/SHOP/repos/checkout',
    ],
    [
      'https://git.acme.com/bitbucket/projects/SHOP/repos/checkout/browse',
      'bitbucket-server',
      'https://git.acme.com/bitbucket/projects/SHOP/repos/checkout',
    ],
  ])('reads %s as %s', (repository, kind, base) => {
    expect(webRepository(repository)).toEqual({ kind, base });
  });

  it('knows other hosts only by address, and no non-web URLs', () => {
    expect(webRepository('https://git.acme.com/shop.git')).toEqual({
      kind: 'other',
      base: 'https://git.acme.com/shop',
    });
    expect(webRepository('ssh://github.com/acme/shop')).toBeUndefined();
    expect(webRepository('shop')).toBeUndefined();
  });
});

describe('commitUrl', () => {
  it.each([
    [
      'https://github.com/acme/shop',
      'https://github.com/acme/shop/commit/abc123',
    ],
    [
      'https://gitlab.com/acme/shop',
      'https://gitlab.com/acme/shop/-/commit/abc123',
    ],
    [
      'https://bitbucket.org/acme/shop',
      'https://bitbucket.org/acme/shop/commits/abc123',
    ],
    [
      'https://git.acme.com/scm/shop/checkout.git',
      'https://git.acme.com/projects/SHOP/repos/checkout/commits/abc123',
    ],
  ])('links a commit of %s', (repository, url) => {
    expect(commitUrl({ repository, commit: 'abc123' })).toBe(url);
  });

  it('links commits of other hosts GitHub-style, as Gitea and Forgejo serve them', () => {
    expect(
      commitUrl({ repository: 'https://git.acme.com/shop.git', commit: 'abc' }),
    ).toBe('https://git.acme.com/shop/commit/abc');
  });

  it('has no link without a commit or a web repository', () => {
    expect(
      commitUrl({ repository: 'https://github.com/acme/shop' }),
    ).toBeUndefined();
    expect(commitUrl({ repository: 'shop', commit: 'abc' })).toBeUndefined();
  });
});

describe('compareUrl', () => {
  it.each([
    [
      'https://github.com/acme/shop',
      'https://github.com/acme/shop/compare/aaa...bbb',
    ],
    [
      'https://gitlab.com/acme/shop',
      'https://gitlab.com/acme/shop/-/compare/aaa...bbb',
    ],
    [
      'https://bitbucket.org/acme/shop',
      'https://bitbucket.org/acme/shop/branches/compare/bbb%0Daaa',
    ],
    [
      'https://git.acme.com/projects/SHOP/repos/checkout',
      'https://git.acme.com/projects/SHOP/repos/checkout/compare/commits?sourceBranch=bbb&targetBranch=aaa',
    ],
  ])(
    'compares what runs (aaa) with the candidate (bbb) on %s',
    (repository, url) => {
      expect(compareUrl(repository, 'aaa', 'bbb')).toBe(url);
    },
  );

  it('has no link for an unknown host', () => {
    expect(
      compareUrl('https://git.acme.com/shop', 'aaa', 'bbb'),
    ).toBeUndefined();
  });
});
