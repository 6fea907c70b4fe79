#!/usr/bin/env bash
# Nightly backup of the OpenWelfare database and master key, keeping 30 days.
# Cron: 15 2 * * * welfare /opt/openwelfare/deploy/backup.sh
set -euo pipefail
: "${WELFARE_DATABASE:?set WELFARE_DATABASE (as in /etc/openwelfare/welfare.env)}"
target=${BACKUP_DIR:-/var/backups/openwelfare}
key=${WELFARE_SECRET_KEY_FILE:-/var/lib/openwelfare/secret.key}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$target"
umask 077
case "$WELFARE_DATABASE" in
  postgresql://*|postgres://*)
    pg_dump --format=custom --file="$target/openwelfare-$stamp.dump" "$WELFARE_DATABASE" ;;
  sqlite://*)
    # The online backup API copies a consistent snapshot while the server keeps running.
    sqlite3 "${WELFARE_DATABASE#sqlite://}" ".backup '$target/openwelfare-$stamp.db'" ;;
  *) echo "backup.sh: unknown database URL" >&2; exit 2 ;;
esac
cp "$key" "$target/secret-$stamp.key"
find "$target" -type f -mtime +30 -delete
echo "backup.sh: wrote $target/openwelfare-$stamp.* and the key"
