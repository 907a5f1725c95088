import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError, isError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { NotificationPayload } from '@backstage/plugin-notifications-common';
import { DateTime } from 'luxon';
import { TenantFacts, TenantRecord } from '../tenants/TenantIndex';
import { CostSettings } from './config';
import { CostReadService } from './CostReadService';
import { BudgetNotice, CostStore } from './CostStore';

/** `hospitalTenants.cost.notifications` (see config.d.ts). */
export interface BudgetNoticeSettings {
  enabled: boolean;
  /** the finance group's entity ref, lower case; receives every tenant's notices */
  financeGroup: string;
  language: 'en' | 'pt-BR';
}

/** The notification settings (the finance group is the permission policy's). */
export function readBudgetNoticeSettings(
  config: RootConfigService,
): BudgetNoticeSettings {
  const language =
    config.getOptionalString('hospitalTenants.cost.notifications.language') ??
    'pt-BR';
  if (language !== 'en' && language !== 'pt-BR') {
    throw new InputError(
      `hospitalTenants.cost.notifications.language must be en or pt-BR, not ${language}`,
    );
  }
  const financeGroup =
    config.getOptionalString('hospitalTenants.permissions.financeGroup') ??
    'group:default/finance';
  try {
    parseEntityRef(financeGroup, { defaultKind: 'group' });
  } catch (error) {
    throw new InputError(
      `hospitalTenants.permissions.financeGroup is not an entity ref: ${financeGroup}`,
    );
  }
  return {
    enabled:
      config.getOptionalBoolean('hospitalTenants.cost.notifications.enabled') ??
      true,
    financeGroup: financeGroup.toLocaleLowerCase('en-US'),
    language,
  };
}

const MESSAGES = {
  en: {
    title: {
      'at-risk': (name: string, period: string) =>
        `${name}: cost at risk of exceeding the budget in ${period}`,
      over: (name: string, period: string) =>
        `${name}: cost over the budget in ${period}`,
    },
    description: (m: Record<string, string>) =>
      `Forecast for ${m.period}: ${m.forecast} (${m.percent} % of the ${m.budget} monthly budget); month to date: ${m.monthToDate}.`,
    locale: 'en-US',
  },
  'pt-BR': {
    title: {
      'at-risk': (name: string, period: string) =>
        `${name}: custo em risco de ultrapassar o orçamento em ${period}`,
      over: (name: string, period: string) =>
        `${name}: custo acima do orçamento em ${period}`,
    },
    description: (m: Record<string, string>) =>
      `Previsão para ${m.period}: ${m.forecast} (${m.percent} % do orçamento mensal de ${m.budget}); mês até agora: ${m.monthToDate}.`,
    locale: 'pt-BR',
  },
} as const;

/**
 * Sends one notification per tenant × month × level when a tenant's budget
 * status for the current month crosses into "at risk" or "over" (the worse
 * of the month to date and the forecast, the statuses the card shows), to
 * the tenant's owner group and the finance group. What was sent is claimed
 * in the plugin's database first, so replicas and restarts never send it
 * twice; "at risk" is not sent once "over" was. Run after each cost refresh.
 */
export class BudgetNotifier {
  readonly #store: CostStore;
  readonly #read: CostReadService;
  readonly #notifications: NotificationService;
  readonly #settings: BudgetNoticeSettings;
  readonly #costSettings: CostSettings;
  readonly #logger: LoggerService;
  readonly #now: () => Date;

  constructor(options: {
    store: CostStore;
    costSettings: CostSettings;
    settings: BudgetNoticeSettings;
    notifications: NotificationService;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#costSettings = options.costSettings;
    this.#settings = options.settings;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    // no memo: every check reads what the refresh just wrote
    this.#read = new CostReadService(
      options.store,
      options.costSettings,
      this.#now,
      0,
    );
  }

  /** Checks every tenant given; returns the notices sent. */
  async check(
    tenants: Array<{ tenant: TenantRecord; facts: TenantFacts }>,
  ): Promise<BudgetNotice[]> {
    if (!this.#settings.enabled) return [];
    const period = DateTime.fromJSDate(this.#now(), {
      zone: this.#costSettings.timeZone,
    }).toFormat('yyyy-MM');
    const costs = await this.#read.listCosts(tenants);
    const sent: BudgetNotice[] = [];
    for (const { tenant, facts } of tenants) {
      const cost = costs.get(tenant.tenantId);
      const budget = facts.monthlyBudgetBrl;
      if (!cost || !budget) continue;
      const statuses = [
        this.#read.budgetStatus(cost.monthToDateBrl, budget),
        this.#read.budgetStatus(cost.forecastBrl, budget),
      ];
      let level: BudgetNotice['level'] | undefined;
      if (statuses.includes('over')) level = 'over';
      else if (statuses.includes('at-risk')) level = 'at-risk';
      if (!level) continue;
      const notice: BudgetNotice = { tenantId: tenant.tenantId, period, level };
      try {
        const claimed = await this.#store.budgetNoticeLevels(
          tenant.tenantId,
          period,
        );
        if (claimed.includes(level) || claimed.includes('over')) continue;
        if (
          !(await this.#store.claimBudgetNotice(
            notice,
            this.#now().toISOString(),
          ))
        ) {
          continue;
        }
        try {
          await this.#notifications.send({
            recipients: {
              type: 'entity',
              entityRef: [
                ...new Set([tenant.owner, this.#settings.financeGroup]),
              ],
            },
            payload: this.#payload(tenant, facts, notice, cost, budget),
          });
        } catch (error) {
          await this.#store.releaseBudgetNotice(notice);
          throw error;
        }
        sent.push(notice);
        this.#logger.info(
          `Budget notification sent: tenant ${tenant.tenantId} ${level} in ${period}`,
        );
      } catch (error) {
        this.#logger.warn(
          `Could not send the budget notification of tenant ${
            tenant.tenantId
          } (${level} in ${period}); the next refresh retries: ${
            isError(error) ? error.message : String(error)
          }`,
        );
      }
    }
    return sent;
  }

  #payload(
    tenant: TenantRecord,
    facts: TenantFacts,
    notice: BudgetNotice,
    cost: { monthToDateBrl: number; forecastBrl: number },
    budget: number,
  ): NotificationPayload {
    const m = MESSAGES[this.#settings.language];
    const money = (n: number) =>
      new Intl.NumberFormat(m.locale, {
        style: 'currency',
        currency: 'BRL',
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(n);
    const ref = parseEntityRef(tenant.entityRef);
    const name = facts.displayName ?? tenant.tenantId;
    return {
      title: m.title[notice.level](name, notice.period),
      description: m.description({
        period: notice.period,
        forecast: money(cost.forecastBrl),
        percent: (
          Math.round((cost.forecastBrl / budget) * 1000) / 10
        ).toLocaleString(m.locale),
        budget: money(budget),
        monthToDate: money(cost.monthToDateBrl),
      }),
      link: `/catalog/${ref.namespace}/${ref.kind.toLocaleLowerCase('en-US')}/${
        ref.name
      }`,
      severity: notice.level === 'over' ? 'high' : 'normal',
      topic: 'hospital-tenants.budget',
      scope: `hospital-tenants:budget:${notice.tenantId}:${notice.period}:${notice.level}`,
    };
  }
}
