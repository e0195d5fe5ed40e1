"""The database refuses a relation whose answered statement is dated after the answering one.

The rule spans two rows of archive_statement, which no check constraint can read: a trigger on insert and
update of archive_statementrelation holds it on SQLite and PostgreSQL, for writes that skip save()
(bulk_create, update()). A statement whose date is corrected later is checked by the model (clean()).
"""

from django.db import migrations

MESSAGE = "A statement cannot answer a later statement."

SQLITE = [
    f"""
    CREATE TRIGGER archive_relation_not_to_later_{event.lower()}
    BEFORE {event} ON archive_statementrelation
    WHEN (SELECT date FROM archive_statement WHERE id = NEW.to_statement_id)
       > (SELECT date FROM archive_statement WHERE id = NEW.from_statement_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """
    for event in ("INSERT", "UPDATE")
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS archive_relation_not_to_later_insert",
    "DROP TRIGGER IF EXISTS archive_relation_not_to_later_update",
]

POSTGRESQL = [
    f"""
    CREATE FUNCTION archive_relation_not_to_later() RETURNS trigger AS $$
    BEGIN
        IF (SELECT date FROM archive_statement WHERE id = NEW.to_statement_id)
           > (SELECT date FROM archive_statement WHERE id = NEW.from_statement_id) THEN
            RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{MESSAGE}';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER archive_relation_not_to_later BEFORE INSERT OR UPDATE ON archive_statementrelation
    FOR EACH ROW EXECUTE FUNCTION archive_relation_not_to_later();
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS archive_relation_not_to_later ON archive_statementrelation",
    "DROP FUNCTION IF EXISTS archive_relation_not_to_later()",
]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("archive", "0014_editor_position_permissions")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
