-- A normalised description of the public schema: one line per column, constraint and index.
-- ResuMate's own tables (resumate_*), beyond Django's schema, are left out.
-- Identity columns and sequence defaults are reported the same way ("serial"), since Django 3.2
-- makes sequences where Django >= 4.1 makes IDENTITY columns.
SELECT 'column ' || c.table_name || '.' || c.column_name || ' ' ||
       CASE WHEN c.data_type = 'character varying' THEN 'varchar(' || c.character_maximum_length || ')'
            ELSE c.data_type END ||
       CASE WHEN c.is_nullable = 'NO' THEN ' not null' ELSE ' null' END ||
       CASE WHEN c.is_identity = 'YES' OR c.column_default LIKE 'nextval(%' THEN ' serial' ELSE '' END ||
       ' #' || c.ordinal_position
FROM information_schema.columns c
WHERE c.table_schema = 'public' AND c.table_name NOT LIKE 'resumate\_%'
UNION ALL
SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
JOIN pg_namespace n ON n.oid = rel.relnamespace
WHERE n.nspname = 'public' AND rel.relname NOT LIKE 'resumate\_%'
UNION ALL
SELECT 'index ' || indexname || ' ' || regexp_replace(indexdef, ' ON public\.', ' ON ')
FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'resumate\_%'
ORDER BY 1;
