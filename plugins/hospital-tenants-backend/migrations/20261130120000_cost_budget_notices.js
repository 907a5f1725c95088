/*
 * The budget notifications already sent: one row per tenant, month and
 * level. The primary key is the claim: whichever replica inserts the row
 * sends the notification, so restarts and replicas never send twice.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('cost_budget_notices', table => {
    table.comment(
      'Budget notifications sent (or being sent): tenant × month × level',
    );
    table.string('tenant_id', 64).notNullable();
    table
      .string('period', 7)
      .notNullable()
      .comment('YYYY-MM in the configured time zone');
    table.string('level', 16).notNullable().comment('at-risk or over');
    table.string('sent_at', 32).notNullable();
    table.primary(['tenant_id', 'period', 'level']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('cost_budget_notices');
};
