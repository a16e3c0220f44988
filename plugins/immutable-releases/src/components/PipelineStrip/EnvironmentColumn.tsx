import {
  Box,
  Card,
  CardContent,
  Divider,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EnvironmentStatus,
  promotionCreatePermission,
} from 'backstage-plugin-immutable-releases-common';
import { immutableReleasesApiRef } from '../../api/ImmutableReleasesApi';
import { useAlertedAction } from '../../hooks/useAlertedAction';
import { actorName } from '../shared/actorName';
import { CopyableDigest } from '../shared/CopyableDigest';
import { formatRelativeTime } from '../shared/format';
import { PermittedButton } from '../shared/PermittedButton';
import { useReleaseLinks } from '../shared/releaseLinks';
import { DeploymentStatusChip, DriftStatusChip } from '../shared/StatusChips';
import { PendingDeployment } from './PendingDeployment';
import { usePipelineStripStyles } from './styles';

/**
 * One environment of the strip: what runs there, its status, drift and hold,
 * its pending deployments and the buttons that promote onwards.
 */
export function EnvironmentColumn(props: {
  entityRef: string;
  environment: EnvironmentStatus;
  next: EnvironmentStatus[];
  onPromote: (target: string) => void;
  onChange: () => void;
}) {
  const { entityRef, environment, next, onPromote, onChange } = props;
  const classes = usePipelineStripStyles();
  const api = useApi(immutableReleasesApiRef);
  const current = environment.currentRelease;
  const active = environment.currentDeployment;
  const { run } = useAlertedAction(onChange);
  const links = useReleaseLinks(entityRef);

  const releaseHold = () =>
    run(() => api.releaseHold(entityRef, environment.name), {
      succeeded: `Released the hold on ${environment.name}`,
      failed: `Could not release the hold on ${environment.name}`,
    });

  return (
    <Card variant="outlined" className={classes.column}>
      <CardContent>
        <Typography variant="h6">{environment.name}</Typography>
        {environment.from && (
          <Typography variant="caption" color="textSecondary">
            from {environment.from}
          </Typography>
        )}
        <Box mt={1}>
          {current ? (
            <>
              <Tooltip title={current.version}>
                <Typography variant="h5" noWrap>
                  <Link to={links.release(current.id)} color="inherit">
                    {current.version}
                  </Link>
                </Typography>
              </Tooltip>
              <Typography variant="body2">
                <CopyableDigest
                  digest={current.artifact.digest}
                  of={current.version}
                />
              </Typography>
              {current.revoked && (
                <Alert severity="error">
                  {current.version} is revoked but still runs here.
                </Alert>
              )}
            </>
          ) : (
            <Typography color="textSecondary">Nothing deployed yet</Typography>
          )}
        </Box>
        <Box mt={1} className={classes.actions}>
          {active ? (
            <Typography variant="body2" component="span">
              <Link
                to={links.deployment(active.id)}
                aria-label={`deployment of ${active.release.version} to ${environment.name}`}
              >
                {active.release.version}
              </Link>{' '}
              <DeploymentStatusChip status={active.status} />
            </Typography>
          ) : (
            current &&
            (current.deploymentId ? (
              <Link
                to={links.deployment(current.deploymentId)}
                aria-label={`deployment of ${current.version} to ${environment.name}`}
              >
                <DeploymentStatusChip status="succeeded" />
              </Link>
            ) : (
              <DeploymentStatusChip status="succeeded" />
            ))
          )}
          <DriftStatusChip status={environment.drift.status} />
        </Box>
        {environment.hold && (
          <Box mt={1}>
            <Alert
              severity={
                environment.hold.blocksDeployments ? 'error' : 'warning'
              }
            >
              Held since {formatRelativeTime(environment.hold.setAt)} by{' '}
              {actorName(environment.hold.setBy)}: {environment.hold.reason}.{' '}
              {environment.hold.blocksDeployments
                ? `No deployment into ${environment.name} starts until the hold is released.`
                : `Automatic promotions into ${environment.name} are stopped.`}
            </Alert>
            <PermittedButton
              size="small"
              permission={promotionCreatePermission}
              entityRef={entityRef}
              deniedAction={`release the hold on ${environment.name}`}
              onClick={releaseHold}
            >
              Release hold
            </PermittedButton>
          </Box>
        )}
        {environment.pendingDeployments.length > 0 && (
          <Box mt={1}>
            <Divider />
            <Typography variant="subtitle2">
              Pending ({environment.pendingDeployments.length})
            </Typography>
            {environment.pendingDeployments.map(deployment => (
              <PendingDeployment
                key={deployment.id}
                entityRef={entityRef}
                deployment={deployment}
                onChange={onChange}
              />
            ))}
          </Box>
        )}
        {next.length > 0 && (
          <Box mt={2} className={classes.actions}>
            {next.map(target => (
              <PermittedButton
                key={target.name}
                variant="contained"
                color="primary"
                size="small"
                permission={promotionCreatePermission}
                entityRef={entityRef}
                deniedAction="promote releases of this entity"
                disabled={!current}
                onClick={() => onPromote(target.name)}
              >
                Promote to {target.name}
              </PermittedButton>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
