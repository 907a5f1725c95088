import { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { SearchDocument } from '@backstage/plugin-search-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import ListItemIcon from '@material-ui/core/ListItemIcon';
import ListItemText from '@material-ui/core/ListItemText';
import { hospitalTenantsSearchTranslationRef } from '../../search/translation';

/**
 * The fields of a `hospital-tenant` search document the list item shows
 * (see `@prontuario/plugin-search-backend-module-hospital-tenants`).
 *
 * @public
 */
export interface HospitalTenantSearchDocument extends SearchDocument {
  tenantId?: string;
  hospitalName?: string;
  region?: string;
  environment?: string;
  departments?: string[];
  phase?: string;
  slaVerdict?: string;
}

/**
 * Props of {@link HospitalTenantSearchResultListItem}.
 *
 * @public
 */
export interface HospitalTenantSearchResultListItemProps {
  result?: HospitalTenantSearchDocument;
  rank?: number;
  icon?: ReactNode;
}

/**
 * A `hospital-tenant` search result (the search page wraps it in its list
 * item): the hospital's name linking to the
 * tenant's entity page, its departments, and its region, control-plane
 * phase and SLA verdict as chips.
 *
 * @public
 */
export function HospitalTenantSearchResultListItem(
  props: HospitalTenantSearchResultListItemProps,
) {
  const { t } = useTranslationRef(hospitalTenantsSearchTranslationRef);
  const doc = props.result;
  if (!doc) return null;
  const name = doc.hospitalName || doc.title;
  const departments = (doc.departments ?? []).join(', ');
  return (
    <Box display="flex" alignItems="flex-start">
      {props.icon && <ListItemIcon>{props.icon as any}</ListItemIcon>}
      <Box flexWrap="wrap" width="100%">
        <ListItemText
          primaryTypographyProps={{ variant: 'h6' }}
          primary={<Link to={doc.location}>{name}</Link>}
          secondary={
            departments ? t('departments', { departments }) : undefined
          }
        />
        <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
          {doc.region && (
            <Chip
              size="small"
              label={t('region', {
                region: doc.environment
                  ? `${doc.region} · ${doc.environment}`
                  : doc.region,
              })}
            />
          )}
          <Chip
            size="small"
            color={doc.phase === 'Ready' ? 'primary' : 'default'}
            label={
              doc.phase ? t('phase', { phase: doc.phase }) : t('phaseUnknown')
            }
          />
          <Chip
            size="small"
            variant="outlined"
            label={
              doc.slaVerdict
                ? t('sla', { verdict: doc.slaVerdict })
                : t('slaUnknown')
            }
          />
        </Box>
      </Box>
    </Box>
  );
}
