/*
 * Daily cost snapshots of each tenant (the source of trends and of months
 * older than the cost source keeps) and the state of each tenant's last
 * refresh.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('cost_daily_snapshots', table => {
    table.comment(
      'One row per tenant and day (in the configured time zone), BRL',
    );
    table.string('tenant_id', 64).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD');
    table.double('total_brl').notNullable();
    table
      .text('detail')
      .notNullable()
      .comment('components and categories, JSON');
    table.string('refreshed_at', 32).notNullable();
    table.primary(['tenant_id', 'day']);
  });
  await knex.schema.createTable('cost_tenant_state', table => {
    table.comment('The last refresh of each tenant');
    table.string('tenant_id', 64).primary();
    table.string('source', 16).notNullable();
    table.string('refreshed_at', 32).nullable();
    table
      .text('savings')
      .nullable()
      .comment('JSON, null when the source has none');
    table.text('last_error').nullable();
    table.string('last_error_at', 32).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_tenant_state');
  await knex.schema.dropTable('cost_daily_snapshots');
};
