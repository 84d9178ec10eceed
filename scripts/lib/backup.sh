# Shared by scripts/backup and scripts/restore-check (sourced, not run).

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Newest PostgreSQL client (pg_dump must be at least the server's version):
# Debian's /usr/lib/postgresql/*/bin first (PATH's pg_dump there is a wrapper
# script), else the directory of pg_dump in PATH.
find_pg_bin() {
  local d
  for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV); do
    if [[ -x $d/pg_dump ]]; then echo "$d"; return 0; fi
  done
  command -v pg_dump >/dev/null 2>&1 && dirname "$(command -v pg_dump)"
}

# What a restore must reproduce, one line each: every table's row count and a
# digest of all its rows (the MD5 of each row as text, in UTC, sorted, hashed
# again: 32 bytes a row in memory, not the row), then the first signed
# opinion's digest (signer, time, outcome, its text and its answers). Read-only.
MANIFEST_SQL="
set timezone = 'UTC';
select 'table', n.nspname || '.' || c.relname,
       (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I', n.nspname, c.relname), false, true, '')))[1]::text,
       (xpath('/row/d/text()', query_to_xml(format('select md5(coalesce(string_agg(r, %L order by r), %L)) as d from (select md5(t::text) as r from %I.%I t) h', '', '', n.nspname, c.relname), false, true, '')))[1]::text
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
order by n.nspname, c.relname;
select 'signed-opinion', o.id, md5(concat_ws('|', o.specialist_id, o.signed_at, o.outcome, o.summary, o.recommendations, o.pcp_notes,
         (select string_agg(a.question_id || ':' || a.body, '|' order by a.question_id) from opinion_answers a where a.opinion_id = o.id)))
from opinions o where o.signed_at is not null order by o.signed_at, o.id limit 1;
"
# psql for the manifest: unaligned, tab-separated, tuples only.
PSQL_FLAGS=(-X -q -A -t -F $'\t' -v ON_ERROR_STOP=1)

elapsed() { printf '%d s' "$((SECONDS - ${1:-0}))"; }
