import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  PermissionsService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';
import {
  managementNamespaceName,
  tenantEntityRef,
} from '@prontuario/plugin-hospital-tenants-common';
import {
  managementApplyOrder,
  planTenantProvisioning,
  readHospitalTenantsConfig,
  renderPlanYaml,
} from '@prontuario/plugin-hospital-tenants-node';
import { checkAccess } from '../provision/access';
import { readProvisioningSettings } from '../settings';
import { FORM_INPUT } from './provision.examples';
import { withPublicErrors } from './publicErrors';
import { tenantInputSchema, TenantInput, validateTenantInput } from './input';

/** The action id. @public */
export const RENDER_ACTION_ID = 'hospital:tenant:render';

/** Dependencies of {@link createHospitalTenantRenderAction}. @public */
export interface RenderActionOptions {
  config: Config;
  catalog: CatalogService;
  permissions: PermissionsService;
}

/**
 * `hospital:tenant:render`: writes the same plan `hospital:tenant:provision`
 * applies (both layers) into the task workspace, for a GitOps pull request.
 * Touches no cluster.
 *
 * @public
 */
export function createHospitalTenantRenderAction(options: RenderActionOptions) {
  const action = createTemplateAction({
    id: RENDER_ACTION_ID,
    description:
      'Renders the provisioning plan of a hospital tenant (both layers, the same objects hospital:tenant:provision applies) as YAML into the task workspace, for a GitOps pull request. Touches no cluster.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Render the plan into tenants/<slug>/ and open a pull request with it',
        example: stringify({
          steps: [
            {
              id: 'render',
              action: RENDER_ACTION_ID,
              input: {
                targetPath: 'tenants/${{ parameters.slug }}',
                ...FORM_INPUT,
              },
            },
          ],
        }),
      },
    ],
    schema: {
      input: z =>
        tenantInputSchema(z).extend({
          targetPath: z
            .string()
            .optional()
            .describe(
              'Folder inside the workspace to write to (relative, no ".."); default: tenants/<slug>.',
            ),
        }),
      output: {
        files: z =>
          z
            .array(z.string())
            .describe('The files written, relative to the workspace.'),
        managementNamespace: z =>
          z
            .string()
            .describe('The tenant namespace on the management cluster.'),
        entityRef: z => z.string().describe('The tenant catalog entity ref.'),
      },
    },
    async handler(ctx) {
      const { targetPath, ...tenantInput } = ctx.input as TenantInput & {
        targetPath?: string;
      };
      const config = readHospitalTenantsConfig(options.config);
      const settings = readProvisioningSettings(options.config);
      const spec = validateTenantInput(tenantInput as TenantInput, config);
      const rel = targetPath ?? `tenants/${spec.slug}`;
      // resolved through the real paths (symlinks in the workspace are
      // followed before the check, not after it)
      const inWorkspace = (relative: string) => {
        const refused = new InputError(
          `targetPath: "${rel}" must be a relative path inside the workspace`,
        );
        if (path.isAbsolute(relative)) throw refused;
        try {
          return resolveSafeChildPath(ctx.workspacePath, relative);
        } catch {
          throw refused;
        }
      };
      const outDir = inWorkspace(rel);

      const { clusterGroup } = await checkAccess(ctx, spec, options);

      const plan = planTenantProvisioning({ ...spec, clusterGroup }, config, {
        provisionerServiceAccount: settings.provisionerServiceAccount,
      });
      const managementObjects = managementApplyOrder(plan);
      const files: Record<string, string> = {
        'plan.yaml': renderPlanYaml(plan),
        'management-cluster.yaml': managementObjects
          .map(o => stringify(o))
          .join('---\n'),
        'tenant-cluster.yaml': plan.tenant.map(o => stringify(o)).join('---\n'),
        'tenant-spec.yaml': stringify(spec),
      };
      const written: string[] = [];
      for (const [name, content] of Object.entries(files)) {
        const rel2 = path.posix.join(rel.split(path.sep).join('/'), name);
        written.push(rel2);
        if (!ctx.isDryRun) {
          await fs.mkdir(outDir, { recursive: true });
          // checked again once the folders exist, and never written through
          // a symlink (O_NOFOLLOW)
          const file = inWorkspace(path.join(rel, name));
          const handle = await fs
            .open(
              file,
              fsConstants.O_WRONLY |
                fsConstants.O_CREAT |
                fsConstants.O_TRUNC |
                fsConstants.O_NOFOLLOW,
              0o644,
            )
            .catch(error => {
              if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
                throw new InputError(
                  `targetPath: "${rel2}" is a symbolic link; the plan is never written through one`,
                );
              }
              throw error;
            });
          try {
            await handle.writeFile(content, 'utf8');
          } finally {
            await handle.close();
          }
        }
      }
      ctx.logger.info(
        `Rendered ${managementObjects.length} management-cluster and ${plan.tenant.length} tenant-cluster objects of tenant ${spec.slug} into ${rel}`,
      );
      ctx.output('files', written);
      ctx.output('managementNamespace', managementNamespaceName(spec.slug));
      ctx.output('entityRef', tenantEntityRef(spec.slug));
    },
  });
  // failed runs and dry runs show no stack with server paths
  return withPublicErrors(action);
}
