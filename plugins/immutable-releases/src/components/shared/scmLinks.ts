/**
 * The kinds of repository host whose commit and compare pages we link to; `other` hosts get
 * GitHub-style commit links (as Gitea and Forgejo serve them) but no compare link.
 */
type ScmKind =
  | 'github'
  | 'gitlab'
  | 'bitbucket-cloud'
  | 'bitbucket-server'
  | 'other';

/** A repository's web address and what kind of host serves it. */
interface WebRepository {
  kind: ScmKind;
  /** e.g. `https://github.com/acme/shop`, or `https://git.acme.com/projects/SHOP/repos/shop`. */
  base: string;
}

/**
 * The web address of a repository given as an http(s) or `git@host:path` URL, with the kind
 * of host told by its name (github, gitlab, bitbucket) or by Bitbucket Server's path shape.
 * Undefined when it is no such URL.
 */
export function webRepository(repository: string): WebRepository | undefined {
  const ssh = /^git@([^:]+):(.+)$/.exec(repository);
  let url: URL;
  try {
    url = new URL(ssh ? `https://${ssh[1]}/${ssh[2]}` : repository);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return undefined;
  }
  const path = url.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  const host = url.hostname.toLowerCase();
  const origin = `${url.protocol}//${url.host}`;
  // Bitbucket Server / Data Center: /scm/KEY/repo (clone) or /projects/KEY/repos/repo (web).
  const server =
    /^(.*)\/scm\/([^/]+)\/([^/]+)$/.exec(path) ??
    /^(.*)\/projects\/([^/]+)\/repos\/([^/]+)(?:\/browse)?$/.exec(path);
  if (server) {
    const [, context, project, repo] = server;
    return {
      kind: 'bitbucket-server',
      base: `${origin}${context}/projects/${project.toUpperCase()}/repos/${repo}`,
    };
  }
  if (host === 'bitbucket.org') {
    return { kind: 'bitbucket-cloud', base: `${origin}${path}` };
  }
  if (host.includes('gitlab')) {
    return { kind: 'gitlab', base: `${origin}${path}` };
  }
  if (host.includes('github')) {
    return { kind: 'github', base: `${origin}${path}` };
  }
  return { kind: 'other', base: `${origin}${path}` };
}

/** The page of one commit, where the repository's host is known. */
export function commitUrl(source: {
  repository?: string;
  commit?: string;
}): string | undefined {
  if (!source.repository || !source.commit) {
    return undefined;
  }
  const repository = webRepository(source.repository);
  if (!repository) {
    return undefined;
  }
  const commit = encodeURIComponent(source.commit);
  switch (repository.kind) {
    case 'gitlab':
      return `${repository.base}/-/commit/${commit}`;
    case 'bitbucket-cloud':
    case 'bitbucket-server':
      return `${repository.base}/commits/${commit}`;
    default:
      return `${repository.base}/commit/${commit}`;
  }
}

/**
 * The page comparing two commits of a repository: what `to` adds to `from` (e.g. what the
 * candidate adds to what runs), where the repository's host is known.
 */
export function compareUrl(
  repository: string,
  from: string,
  to: string,
): string | undefined {
  const web = webRepository(repository);
  if (!web) {
    return undefined;
  }
  const base = encodeURIComponent(from);
  const head = encodeURIComponent(to);
  switch (web.kind) {
    case 'github':
      return `${web.base}/compare/${base}...${head}`;
    case 'gitlab':
      return `${web.base}/-/compare/${base}...${head}`;
    case 'bitbucket-cloud':
      return `${web.base}/branches/compare/${head}%0D${base}`;
    case 'bitbucket-server':
      return `${web.base}/compare/commits?sourceBranch=${head}&targetBranch=${base}`;
    default:
      return undefined;
  }
}
