-- Run as the postgres superuser: psql -f postgresql.sql
-- The application role owns its database but is not a superuser, so the audit trail's
-- protections (triggers and revoked UPDATE/DELETE) hold against it.
CREATE ROLE welfare_app LOGIN PASSWORD 'CHANGE-ME' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE openwelfare OWNER welfare_app ENCODING 'UTF8' TEMPLATE template0;
\connect openwelfare
ALTER SCHEMA public OWNER TO welfare_app;
-- Recommended in postgresql.conf for this workload:
--   synchronous_commit = on, wal_level = replica, archive_mode = on (point-in-time recovery)
