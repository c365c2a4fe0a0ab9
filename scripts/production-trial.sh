#!/usr/bin/env bash
# The operator's path, tried the production way: this tree is copied to a temporary folder,
# installed from the lockfile, built and pruned to production dependencies (as the
# Dockerfile does), and then, against a fresh database and with nothing but
# `node dist/cli.js`, a signing key is made, the municipality is bootstrapped, `doctor` finds
# nothing missing, the app starts and the new administrator signs in.
#
# usage: scripts/production-trial.sh [ADMIN_DATABASE_URL]
#   ADMIN_DATABASE_URL: a PostgreSQL 14+ role that may CREATE DATABASE (default
#   $TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres). The trial
#   database is created and dropped.
set -euo pipefail
admin_url=${1:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/duare-production-trial-XXXXXX")
db="duare_trial_$(date +%s)_$$"
app_pid=
say() { printf '\n--- %s\n' "$*"; }

sql() { # runs one statement as the admin role, with the pruned app's own pg
  (cd "$work/app" && node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.query(process.argv[2])).then(() => c.end(),
      (e) => { console.error(e.message); process.exit(1); });' "$admin_url" "$1")
}

cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
  [ -d "$work/app/node_modules/pg" ] && sql "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

say "copy the tree (tracked and new files) to $work/app"
mkdir -p "$work/app"
(cd "$source_dir" && git ls-files -co --exclude-standard -z | xargs -0 tar -cf - 2>/dev/null) |
  tar -xf - -C "$work/app"
cd "$work/app"

say "npm ci && npm run build && npm prune --omit=dev"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
npm prune --omit=dev --no-audit --no-fund --loglevel=error
# (typescript itself stays: @nestjs/graphql depends on it; nothing here runs tsc. @types/node
# stays too: @opentelemetry/instrumentation-pg depends on @types/pg, which depends on it.)
for dev in jest eslint prettier supertest @swc/core vite vitest @graphql-codegen/cli; do
  if [ -e "node_modules/$dev" ]; then echo "devDependency $dev is still installed" >&2; exit 1; fi
done

say "a fresh database: $db"
sql "CREATE DATABASE \"$db\""
url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$admin_url" "$db")

export NODE_ENV=production DATABASE_URL="$url" HOST=127.0.0.1 LOG_LEVEL=warn
JWT_SECRET=$(node -e 'console.log(require("crypto").randomBytes(48).toString("base64"))')
SECRETS_ENCRYPTION_KEY=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
export JWT_SECRET SECRETS_ENCRYPTION_KEY PUBLIC_BASE_URL=https://duare.example.org
export WHATSAPP_ACCESS_TOKEN=trial-token WHATSAPP_APP_SECRET=trial-app-secret WHATSAPP_VERIFY_TOKEN=trial-verify-token
password='a long trial passphrase'

say "node dist/cli.js rotate-signing-key (the first key)"
node dist/cli.js rotate-signing-key --out "$work/signing-key.pem" --key-id trial-1
CERTIFICATE_SIGNING_KEY=$(cat "$work/signing-key.pem")
export CERTIFICATE_SIGNING_KEY CERTIFICATE_KEY_ID=trial-1

say "node dist/cli.js bootstrap"
printf '%s' "$password" | node dist/cli.js bootstrap --municipality BSR \
  --name-en "Basirhat Municipality" --name-bn "বসিরহাট পৌরসভা" --district "North 24 Parganas" \
  --wards 23 --vacant-wards 5 --admin-username trial.admin --admin-display-name "Trial Admin"

say "node dist/cli.js bootstrap, again: refused with exit code 1"
set +e
printf '%s' "$password" | node dist/cli.js bootstrap --municipality BSR \
  --name-en "Basirhat Municipality" --name-bn "বসিরহাট পৌরসভা" --district "North 24 Parganas" \
  --wards 23 --admin-username trial.admin --admin-display-name "Trial Admin"
again=$?
set -e
[ "$again" -eq 1 ] || { echo "a second bootstrap answered $again, not 1" >&2; exit 1; }

say "node dist/cli.js doctor"
node dist/cli.js doctor

say "node dist/src/main.js, and a sign-in as the new administrator"
port=$(node -e 'const s = require("net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })')
PORT=$port node dist/src/main.js > "$work/app.log" 2>&1 &
app_pid=$!
node -e '
  const [port, password] = process.argv.slice(1);
  const base = `http://127.0.0.1:${port}`;
  (async () => {
    for (let i = 0; ; i++) {
      try { if ((await fetch(`${base}/health/ready`)).ok) break; } catch {}
      if (i > 120) throw new Error("the app did not become ready");
      await new Promise((r) => setTimeout(r, 500));
    }
    const gql = async (query, variables, token) => (await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    })).json();
    const signIn = await gql("mutation($p: String!) { signIn(input: { login: \"trial.admin\", password: $p }) { accessToken } }", { p: password });
    const token = signIn.data && signIn.data.signIn.accessToken;
    if (!token) throw new Error("sign-in failed: " + JSON.stringify(signIn));
    const me = await gql("{ me { staffAccount { username } } wards(first: 1) { totalCount } }", {}, token);
    if (me.data?.me.staffAccount.username !== "trial.admin" || me.data.wards.totalCount !== 23)
      throw new Error("unexpected answer: " + JSON.stringify(me));
    console.log("signed in as trial.admin; the municipality has 23 wards");
  })().catch((e) => { console.error(e.message); process.exit(1); });' "$port" "$password" ||
  { cat "$work/app.log" >&2; exit 1; }

say "production trial passed"
