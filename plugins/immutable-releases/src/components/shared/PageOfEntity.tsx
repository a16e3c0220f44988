import { ReactNode } from 'react';
import { Alert } from '@material-ui/lab';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { BackToReleases } from './BackToReleases';

/**
 * A page below the Releases tab for one thing of the entity (a deployment, a release): the
 * way back, then progress, the error, a warning when the thing belongs to another entity (its
 * id was put under the wrong entity's path), or the page.
 */
export function PageOfEntity<T>(props: {
  entityRef: string;
  /** "Deployment", "Release". */
  what: string;
  id: string;
  state: { error?: Error; value?: T };
  entityRefOf: (value: T) => string;
  children: (value: T) => ReactNode;
}) {
  const { entityRef, what, id, state, entityRefOf, children } = props;
  let body: ReactNode;
  if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (state.value === undefined) {
    body = <Progress />;
  } else if (entityRefOf(state.value) !== entityRef) {
    body = (
      <Alert severity="warning">
        {what} {id} is one of {entityRefOf(state.value)}, not of {entityRef}.
      </Alert>
    );
  } else {
    body = children(state.value);
  }
  return (
    <>
      <BackToReleases entityRef={entityRef} here={what} />
      {body}
    </>
  );
}
