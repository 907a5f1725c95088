import { createFrontendModule } from '@backstage/frontend-plugin-api';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';

/**
 * The entity page's Kubernetes tab only for people who may read Kubernetes
 * data (platform engineers): hospital and finance users have no tab at all
 * instead of a tab that shows an authorization error. The app evaluates the
 * predicate with the permission API once the user has signed in.
 */
export const kubernetesModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [
    kubernetesPlugin
      .getExtension('entity-content:kubernetes/kubernetes')
      .override({
        if: {
          $all: [
            {
              permissions: { $contains: kubernetesClustersReadPermission.name },
            },
            {
              permissions: {
                $contains: kubernetesResourcesReadPermission.name,
              },
            },
          ],
        },
      }),
  ],
});
