import { Box, Chip } from '@material-ui/core';
import { Link } from '@backstage/core-components';
import { Release } from 'backstage-plugin-immutable-releases-common';
import { actorName } from '../shared/actorName';
import { CopyableDigest } from '../shared/CopyableDigest';
import { Field, Fields } from '../shared/Fields';
import { shortCommit } from '../shared/format';
import { commitUrl, webRepository } from '../shared/scmLinks';
import { Timestamp } from '../shared/Timestamp';

/** What the release is: its artifact, where and how it was built, who registered it. */
export function ReleaseIdentity(props: { release: Release }) {
  const { release } = props;
  const { source, build, artifact } = release;
  const repository = source.repository && webRepository(source.repository);
  const commitLink = commitUrl(source);
  const labels = Object.entries(release.labels);
  return (
    <Fields label="identity">
      <Field name="Digest">
        <CopyableDigest digest={artifact.digest} of={release.version} full />
      </Field>
      <Field name="Artifact">
        {artifact.uri} ({artifact.type})
      </Field>
      <Field name="Source">
        {source.repository &&
          (repository ? (
            <Link to={repository.base}>{source.repository}</Link>
          ) : (
            source.repository
          ))}
        {source.commit && (
          <>
            {' @ '}
            {commitLink ? (
              <Link to={commitLink}>{shortCommit(source.commit)}</Link>
            ) : (
              shortCommit(source.commit)
            )}
          </>
        )}
        {source.branch && ` on ${source.branch}`}
        {!source.repository && !source.commit && '—'}
      </Field>
      <Field name="Build">
        {build.url ? (
          <Link to={build.url}>{build.id ?? build.url}</Link>
        ) : (
          build.id ?? '—'
        )}
      </Field>
      <Field name="Registered">
        by {actorName(release.createdBy)}, <Timestamp at={release.createdAt} />
      </Field>
      <Field name="Labels">
        {labels.length === 0 && '—'}
        <Box display="flex" flexWrap="wrap" gridGap={4}>
          {labels.map(([key, value]) => (
            <Chip
              key={key}
              size="small"
              variant="outlined"
              label={`${key}=${value}`}
            />
          ))}
        </Box>
      </Field>
    </Fields>
  );
}
