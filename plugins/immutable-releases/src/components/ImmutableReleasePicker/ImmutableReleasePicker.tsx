import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, Button, Chip, makeStyles, TextField } from '@material-ui/core';
import { Autocomplete } from '@material-ui/lab';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { ScaffolderField } from '@backstage/plugin-scaffolder-react/alpha';
import { Release } from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { errorMessage, formatRelativeTime } from '../shared/format';
import { ImmutableReleasePickerProps } from './schema';

/** Releases fetched per call; older ones come with "Load older releases". */
export const RELEASE_PICKER_PAGE_SIZE = 50;

const DEFAULT_ENTITY_REF_FIELD = 'entityRef';

const useStyles = makeStyles(theme => ({
  option: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
  version: { fontWeight: theme.typography.fontWeightBold as number },
  detail: {
    color: theme.palette.text.secondary,
    fontSize: theme.typography.caption.fontSize,
  },
  revoked: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/**
 * A scaffolder form field that offers the registered releases of the entity chosen in
 * another field of the form (`ui:options.entityRefField`, default `entityRef`), newest
 * first; its value is the chosen release's version. Revoked releases are shown but cannot
 * be chosen: no promotion or rollback accepts them.
 *
 * @public
 */
export function ImmutableReleasePicker(props: ImmutableReleasePickerProps) {
  const {
    formData,
    onChange,
    formContext,
    uiSchema,
    schema,
    required,
    disabled,
    readonly,
    rawErrors,
    idSchema,
  } = props;
  const classes = useStyles();
  const entityRefField =
    uiSchema['ui:options']?.entityRefField ?? DEFAULT_ENTITY_REF_FIELD;
  const chosenEntity: unknown = formContext?.formData?.[entityRefField];
  const entityRef = toEntityRef(chosenEntity);
  const { releases, hasOlder, loadOlder, loading, error } =
    useReleasesOf(entityRef);

  // A version belongs to one entity: choosing another entity clears it.
  const shownEntityRef = useRef(entityRef);
  useEffect(() => {
    if (shownEntityRef.current !== entityRef) {
      shownEntityRef.current = entityRef;
      if (formData !== undefined) {
        onChange(undefined);
      }
    }
  }, [entityRef, formData, onChange]);

  const byVersion = useMemo(
    () => new Map((releases ?? []).map(release => [release.version, release])),
    [releases],
  );
  const options = useMemo(() => {
    const versions = (releases ?? []).map(release => release.version);
    // A value given beforehand (e.g. in the URL) stays visible until the user changes it.
    return formData && !byVersion.has(formData)
      ? [formData, ...versions]
      : versions;
  }, [releases, byVersion, formData]);

  const title = schema.title ?? 'Release';
  let helperText: string | undefined;
  if (entityRef === undefined) {
    helperText =
      typeof chosenEntity === 'string' && chosenEntity.trim()
        ? `${chosenEntity} is not an entity reference`
        : 'Choose the entity first';
  } else if (error) {
    helperText = `Could not load the releases of ${entityRef}: ${errorMessage(
      error,
    )}`;
  }

  return (
    <ScaffolderField
      rawErrors={rawErrors}
      rawDescription={uiSchema['ui:description'] ?? schema.description}
      required={required}
      disabled={disabled}
    >
      <Autocomplete<string>
        id={idSchema?.$id}
        options={options}
        value={formData ?? null}
        onChange={(_event, version) => onChange(version ?? undefined)}
        disabled={disabled || readonly || entityRef === undefined}
        loading={loading}
        getOptionDisabled={version =>
          Boolean(byVersion.get(version)?.revocation)
        }
        noOptionsText={
          entityRef ? `${entityRef} has no releases yet` : 'No entity chosen'
        }
        renderOption={version => (
          <ReleaseOption
            version={version}
            release={byVersion.get(version)}
            classes={classes}
          />
        )}
        renderInput={params => (
          <TextField
            {...params}
            label={title}
            margin="dense"
            variant="outlined"
            required={required}
            error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
            helperText={helperText}
          />
        )}
      />
      {hasOlder && (
        <Box>
          <Button size="small" disabled={loading} onClick={loadOlder}>
            Load older releases
          </Button>
        </Box>
      )}
    </ScaffolderField>
  );
}

function ReleaseOption(props: {
  version: string;
  release: Release | undefined;
  classes: ReturnType<typeof useStyles>;
}) {
  const { version, release, classes } = props;
  // The spaces keep the option's text (and accessible name) readable: "2.6.0 created …".
  return (
    <Box className={classes.option}>
      <span className={classes.version}>{version}</span>{' '}
      {release ? (
        <span className={classes.detail}>
          created {formatRelativeTime(release.createdAt)} (
          {release.createdAt.slice(0, 10)})
        </span>
      ) : (
        <span className={classes.detail}>not among the loaded releases</span>
      )}
      {release?.revocation && (
        <>
          {' '}
          <Chip
            size="small"
            className={classes.revoked}
            label={`revoked: ${release.revocation.reason}`}
          />
        </>
      )}
    </Box>
  );
}

/** The full ref of what the entity field holds (short refs as the actions read them). */
function toEntityRef(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.trim()) {
    return undefined;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/** The entity's releases, newest first, one more server page at each `loadOlder`. */
function useReleasesOf(entityRef: string | undefined) {
  const api = useApi(immutableReleasesApiRef);
  const [loaded, setLoaded] = useState<{
    entityRef: string;
    releases: Release[];
    nextCursor: string | null;
  }>();
  const [olderPage, setOlderPage] = useState<{
    entityRef: string;
    cursor: string;
  }>();
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<{ entityRef: string; error: Error }>();
  const cursor =
    olderPage && olderPage.entityRef === entityRef
      ? olderPage.cursor
      : undefined;

  useEffect(() => {
    if (!entityRef) {
      return undefined;
    }
    // The entity can change while a page is on its way: only the latest request counts.
    let stale = false;
    setLoading(true);
    setFailure(undefined);
    api
      .listReleases(entityRef, { limit: RELEASE_PICKER_PAGE_SIZE, cursor })
      .then(
        page => {
          if (stale) return;
          setLoaded(previous => ({
            entityRef,
            releases: [
              ...(cursor && previous?.entityRef === entityRef
                ? previous.releases
                : []),
              ...page.items,
            ],
            nextCursor: page.nextCursor,
          }));
        },
        error => {
          if (!stale) setFailure({ entityRef, error });
        },
      )
      .finally(() => {
        if (!stale) setLoading(false);
      });
    return () => {
      stale = true;
    };
  }, [api, entityRef, cursor]);

  const current = loaded && loaded.entityRef === entityRef ? loaded : undefined;
  const loadOlder = useCallback(() => {
    if (current?.nextCursor) {
      setOlderPage({
        entityRef: current.entityRef,
        cursor: current.nextCursor,
      });
    }
  }, [current]);

  return {
    releases: current?.releases,
    hasOlder: Boolean(current?.nextCursor),
    loadOlder,
    loading: Boolean(entityRef) && loading,
    error:
      failure && failure.entityRef === entityRef ? failure.error : undefined,
  };
}
