#!/usr/bin/env bash
# Adopter check: follows docs/install.md literally in a stock Backstage app.
#
# It builds and packs our eight publishable packages, creates a stock app with
# @backstage/create-app, brings it to the current Backstage release line, then
# applies the guide: its `yarn add` commands (with our tarballs in place of the
# registry), and every code and config block marked `<!-- adopter-check: NAME -->`.
# It type-checks and builds the app, starts its backend on a free port of
# 127.0.0.1 (SQLite in memory), registers a release with the guide's CI token and
# promotes it, and checks what the guide promises about the token and the policy.
#
# Needs: an installed repository (`corepack yarn install`), Node.js 20+, the npm
# registry. Prints one line per phase; exits non-zero, naming the phase, as soon
# as something an adopter would run into fails. The generated app lives in a
# temporary directory, removed on success and kept (with its logs) on failure.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
guide="$repo/docs/install.md"
# Later versions of create-app refuse Node.js 20; the app is brought to the
# current release line below anyway.
create_app_version=0.9.0
packages=(
  backstage-plugin-immutable-releases-common
  backstage-plugin-immutable-releases-node
  backstage-plugin-immutable-releases-backend
  backstage-plugin-immutable-releases
  backstage-plugin-scaffolder-backend-module-immutable-releases
  backstage-plugin-immutable-releases-backend-module-kubernetes
  backstage-plugin-immutable-releases-backend-module-argocd
  backstage-plugin-immutable-releases-backend-module-github
)
# Our libraries that other packages depend on: they are not on the registry,
# so the app's root `resolutions` point them at their tarballs.
internal_packages=(
  backstage-plugin-immutable-releases-common
  backstage-plugin-immutable-releases-node
)
# Libraries that hold extension points, API refs or React contexts: two copies
# of one of them in the app break it, so each must resolve to one version.
single_copy_libraries=(
  @backstage/frontend-plugin-api
  @backstage/core-plugin-api
  @backstage/plugin-catalog-react
  @backstage/plugin-scaffolder-react
  @backstage/backend-plugin-api
  @backstage/plugin-catalog-node
  @backstage/plugin-scaffolder-node
  @backstage/plugin-permission-common
  @backstage/plugin-permission-node
)

export CI=true
COREPACK_NPM_REGISTRY=${COREPACK_NPM_REGISTRY:-$(npm config get registry 2>/dev/null | sed 's:/*$::')}
export COREPACK_NPM_REGISTRY
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# Native addons (better-sqlite3) build against the installed Node.js headers.
export npm_config_nodedir=${npm_config_nodedir:-/usr}

started_at=$SECONDS
work=$(mktemp -d "${TMPDIR:-/tmp}/adopter-check.XXXXXX")
app="$work/app"
tarballs="$work/tarballs"
logs="$work/logs"
answer="$work/answer.json"
mkdir -p "$tarballs" "$logs" "$work/bin"
# The guide says `yarn`; here that is Corepack's Yarn.
printf '#!/bin/sh\nexec corepack yarn "$@"\n' >"$work/bin/yarn"
chmod +x "$work/bin/yarn"
export PATH="$work/bin:$PATH"

phase_name=setup
phase_started=$SECONDS
phase_log="$logs/setup.log"
phase_count=0
backend_pid=
backend_log=
packing_dir=

# phase NAME: starts a phase; its commands log to $phase_log.
phase() {
  phase_name=$1
  phase_started=$SECONDS
  phase_count=$((phase_count + 1))
  phase_log="$logs/$(printf '%02d' "$phase_count")-$(tr -c 'a-zA-Z0-9\n' - <<<"$1" | head -c 40).log"
  : >"$phase_log"
}

# ok [DETAIL]: ends the phase with its one line.
ok() {
  echo "adopter-check: ${phase_name}: ok${1:+, $1} ($((SECONDS - phase_started)) s)"
}

# fail MESSAGE: stops the check, naming the phase.
fail() {
  echo "adopter-check: ${phase_name}: FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT
  set +e
  if [[ "$status" != 0 && -s "$phase_log" ]]; then
    echo "adopter-check: last lines of $phase_log:" >&2
    tail -n 30 "$phase_log" | sed -e 's/\x1b\[[0-9;]*m//g' | cut -c 1-400 >&2
  fi
  if [[ "$status" != 0 && -n "$backend_log" && -s "$backend_log" ]]; then
    echo "adopter-check: errors in $backend_log:" >&2
    sed -e 's/\x1b\[[0-9;]*m//g' "$backend_log" | grep -E '^[0-9TZ:.-]+ [a-z-]+ error ' | grep -v 'Plugin shutdown hook failed' | head -n 10 | cut -c 1-400 >&2
  fi
  if [[ -n "$backend_pid" ]] && kill -0 "$backend_pid" 2>/dev/null; then
    kill -TERM -- "-$backend_pid" 2>/dev/null
    for _ in $(seq 1 30); do
      kill -0 "$backend_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$backend_pid" 2>/dev/null
  fi
  # An interrupted `yarn pack` leaves the prepack package.json in the repository.
  if [[ -n "$packing_dir" && -f "$packing_dir/package.json-prepack" ]]; then
    mv "$packing_dir/package.json-prepack" "$packing_dir/package.json"
  fi
  if [[ "$status" == 0 ]]; then
    rm -rf "$work"
    echo "adopter-check: passed in $((SECONDS - started_at)) s"
  else
    echo "adopter-check: FAILED in phase '${phase_name}' after $((SECONDS - started_at)) s; the app and all logs are in $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD...: runs a command with its output in the phase's log.
run() {
  "$@" >>"$phase_log" 2>&1
}

# guide_block NAME: the fenced block that follows `<!-- adopter-check: NAME -->`.
guide_block() {
  local count
  count=$(grep -c -F -x "<!-- adopter-check: $1 -->" "$guide" || true)
  [[ "$count" == 1 ]] || fail "docs/install.md has $count markers '<!-- adopter-check: $1 -->' (want 1)"
  awk -v marker="<!-- adopter-check: $1 -->" '
    $0 == marker { state = 1; next }
    state == 1 && /^```/ { state = 2; next }
    state == 1 && NF > 0 { exit }
    state == 2 && /^```/ { exit }
    state == 2 { print }
  ' "$guide"
}

# json FILE EXPRESSION: evaluates a JavaScript expression on the JSON in FILE (as `j`).
json() {
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const fs = require("node:fs");
    const j = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const v = new Function("j", `return (${process.argv[2]});`)(j);
    console.log(typeof v === "string" ? v : JSON.stringify(v));
  ' "$1" "$2"
}

# api METHOD PATH TOKEN [BODY]: calls the app's backend; the answer goes to
# $answer, the status code to stdout.
api() {
  local args=(-sS -o "$answer" -w '%{http_code}' -X "$1")
  [[ -n "$3" ]] && args+=(-H "Authorization: Bearer $3")
  [[ -n "${4:-}" ]] && args+=(-H 'Content-Type: application/json' --data "$4")
  curl "${args[@]}" "$backend_url$2"
}

# expect_status WANT GOT WHAT: fails unless the status code is the one wanted.
expect_status() {
  [[ "$2" == "$1" ]] || fail "$3: HTTP $2 instead of $1: $(head -c 600 "$answer")"
}

# wait_for_status PATH EXPRESSION WHAT: polls PATH with the CI token for up to
# 60 s, until EXPRESSION (a deployment status) is final; prints the status.
wait_for_status() {
  local path=$1 expression=$2 what=$3 status=
  for _ in $(seq 1 120); do
    expect_status 200 "$(api GET "$path" "$IMMUTABLE_RELEASES_CI_TOKEN")" "$what"
    status=$(json "$answer" "$expression")
    case "$status" in
      succeeded | failed | rejected | cancelled | superseded) break ;;
    esac
    sleep 0.5
  done
  echo "$status"
}

[[ -f "$guide" ]] || fail "$guide is missing"
[[ -d "$repo/node_modules" ]] || fail "the repository is not installed: run 'corepack yarn install' in $repo first"

phase "build our packages (yarn build)"
(cd "$repo" && run corepack yarn build) || fail "corepack yarn build failed"
ok

phase "pack the ${#packages[@]} publishable packages"
(cd "$repo" && corepack yarn workspaces list --json) >"$work/workspaces.json"
for name in "${packages[@]}"; do
  location=$(awk -v name="\"name\":\"$name\"" 'index($0, name) { print }' "$work/workspaces.json" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(s?JSON.parse(s).location:""))')
  [[ -n "$location" ]] || fail "no workspace named $name"
  packing_dir="$repo/$location"
  (cd "$repo" && run corepack yarn workspace "$name" pack --out "$tarballs/$name.tgz") ||
    fail "yarn workspace $name pack failed"
  packing_dir=
done
# What the frontend's package.json must say for the app to discover the plugin.
tar -xzOf "$tarballs/backstage-plugin-immutable-releases.tgz" package/package.json >"$work/frontend-package.json"
[[ "$(json "$work/frontend-package.json" 'j.backstage?.role === "frontend-plugin" && Boolean(j.exports?.["./alpha"]) && j.main.startsWith("dist/")')" == true ]] ||
  fail "the packed frontend package.json lacks role frontend-plugin, exports ./alpha or a dist main: $(cat "$work/frontend-package.json")"
ok "$(cd "$tarballs" && du -ch ./*.tgz | tail -n 1 | cut -f 1) in $tarballs"

phase "create a stock app (@backstage/create-app@$create_app_version)"
(cd "$work" && BACKSTAGE_APP_NAME=adopter-app run npx -y "@backstage/create-app@$create_app_version" --skip-install --path "$app" </dev/null) ||
  fail "create-app failed"
[[ -f "$app/packages/backend/src/index.ts" && -f "$app/packages/app/src/App.tsx" ]] ||
  fail "create-app did not write packages/backend and packages/app"
# Yarn 4 with node_modules, as create-app writes it; say so if that changes.
grep -q '^nodeLinker: node-modules' "$app/.yarnrc.yml" || fail ".yarnrc.yml of the stock app has no 'nodeLinker: node-modules'"
[[ "$(json "$app/package.json" 'String(j.packageManager).startsWith("yarn@4")')" == true ]] ||
  fail "the stock app's package.json has no packageManager yarn@4"
ok "$app"

phase "bring the app to the current Backstage release line"
# Every @backstage/* dependency to its `latest` dist-tag (what versions:bump
# would do; its release manifest is not reachable from CI).
node -e '
  const fs = require("node:fs");
  const names = new Set();
  for (const file of process.argv.slice(1)) {
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    for (const field of ["dependencies", "devDependencies"])
      for (const name of Object.keys(pkg[field] ?? {}))
        if (name.startsWith("@backstage/")) names.add(name);
  }
  console.log([...names].sort().join("\n"));
' "$app/package.json" "$app"/packages/*/package.json >"$work/backstage-packages.txt"
# shellcheck disable=SC2016 # $1 is expanded by sh
xargs -P 8 -n 1 sh -c 'echo "$1 $(npm view "$1" dist-tags.latest 2>/dev/null)"' sh \
  <"$work/backstage-packages.txt" >"$work/backstage-latest.txt"
if awk 'NF != 2 { bad = 1; print "no latest version for " $1 } END { exit !bad }' "$work/backstage-latest.txt" >>"$phase_log"; then
  fail "the registry did not answer the latest version of some @backstage packages"
fi
node - "$app" "$work/backstage-latest.txt" "$repo/package.json" "$tarballs" "${internal_packages[@]}" <<'EOF' >>"$phase_log" 2>&1 ||
const fs = require('node:fs');
const path = require('node:path');
const [app, latestFile, repoPackageJson, tarballs, ...internal] = process.argv.slice(2);
const latest = Object.fromEntries(
  fs.readFileSync(latestFile, 'utf8').trim().split('\n').map(l => l.split(' ')),
);
const files = [
  path.join(app, 'package.json'),
  ...fs
    .readdirSync(path.join(app, 'packages'))
    .map(p => path.join(app, 'packages', p, 'package.json'))
    .filter(file => fs.existsSync(file)),
];
for (const file of files) {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const field of ['dependencies', 'devDependencies'])
    for (const name of Object.keys(pkg[field] ?? {}))
      if (latest[name]) pkg[field][name] = `^${latest[name]}`;
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
const root = JSON.parse(fs.readFileSync(files[0], 'utf8'));
root.resolutions ??= {};
// The same pins as this repository's root package.json: the registry CI uses
// lacks the newest builds of some platform-specific binaries (Yarn then stops
// with "YN0082 No candidates found"), @yarnpkg/core 4.9.2 is broken, and
// node-gyp 11+ needs a newer Node.js. They change no @backstage version.
const repoResolutions = JSON.parse(fs.readFileSync(repoPackageJson, 'utf8')).resolutions;
for (const [name, range] of Object.entries(repoResolutions))
  if (/^(@swc\/core-|@rollup\/rollup-|@unrs\/resolver-binding-)|^(@yarnpkg\/core|node-gyp)$/.test(name))
    root.resolutions[name] = range;
// Our internal libraries are not on the registry: their tarballs stand in.
for (const name of internal) root.resolutions[name] = `file:${path.join(tarballs, `${name}.tgz`)}`;
fs.writeFileSync(files[0], `${JSON.stringify(root, null, 2)}\n`);
console.log(JSON.stringify(root.resolutions, null, 2));
EOF
  fail "could not rewrite the app's package.json files"
ok "frontend-plugin-api $(awk '$1 == "@backstage/frontend-plugin-api" { print $2 }' "$work/backstage-latest.txt"), backend-defaults $(awk '$1 == "@backstage/backend-defaults" { print $2 }' "$work/backstage-latest.txt")"

# run_guide_commands BLOCK: runs the guide's shell commands in the app, with our
# tarballs in place of our package names.
run_guide_commands() {
  local commands
  # shellcheck disable=SC2016 # JavaScript, not shell
  commands=$(guide_block "$1" | node -e '
    const [tarballs, ...ours] = process.argv.slice(1);
    let s = "";
    process.stdin.on("data", d => (s += d)).on("end", () => {
      process.stdout.write(
        s.split("\n").map(line => line.split(" ").map(word =>
          ours.includes(word) ? `${word}@file:${tarballs}/${word}.tgz` : word,
        ).join(" ")).join("\n"),
      );
    });
  ' "$tarballs" "${packages[@]}")
  [[ -n "$commands" ]] || fail "the guide's block '$1' is empty"
  echo "+ $commands" >>"$phase_log"
  (cd "$app" && run bash -euo pipefail -c "$commands") || fail "the guide's commands ($1) failed"
}

phase "guide step 1: yarn add our packages"
run_guide_commands yarn-add
run_guide_commands yarn-add-modules
ok

# apply_backend_index_block BLOCK: adds a block to the backend index: imports at
# the top, `// remove: STATEMENT` removes that statement, the rest goes before
# `backend.start();`.
apply_backend_index_block() {
  guide_block "$1" >"$work/block.ts"
  [[ -s "$work/block.ts" ]] || fail "the guide's block '$1' is empty"
  node - "$work/block.ts" "$app/packages/backend/src/index.ts" <<'EOF' || fail "could not apply the guide's block '$1' to packages/backend/src/index.ts"
const fs = require('node:fs');
const [blockFile, indexFile] = process.argv.slice(2);
let index = fs.readFileSync(indexFile, 'utf8');
const imports = [];
const statements = [];
for (const line of fs.readFileSync(blockFile, 'utf8').split('\n')) {
  const removal = /^\s*\/\/ remove: (backend\.add\(import\('([^']+)'\)\);)\s*$/.exec(line);
  if (removal) {
    const escaped = removal[2].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const pattern = new RegExp(`\\nbackend\\.add\\(\\s*import\\('${escaped}'\\),?\\s*\\);`);
    if (!pattern.test(index)) throw new Error(`nothing to remove: ${removal[1]}`);
    index = index.replace(pattern, '');
  } else if (/^import .* from '[^']+';$/.test(line)) {
    imports.push(line);
  } else if (!/^\s*(\/\/.*)?$/.test(line) || statements.length > 0) {
    statements.push(line);
  }
}
if (!index.includes('\nbackend.start();')) throw new Error('no backend.start(); in the index');
index = `${imports.map(l => `${l}\n`).join('')}${index}`.replace(
  '\nbackend.start();',
  `\n${statements.join('\n').trim()}\n\nbackend.start();`,
);
fs.writeFileSync(indexFile, index);
EOF
}

# merge_yaml_block BLOCK FILE [KIND/NAME]: merges a YAML block into a YAML file
# (objects merged, lists extended, as the guide says "add"), or into the one
# document of a multi-document file whose kind and name are given.
merge_yaml_block() {
  guide_block "$1" >"$work/block.yaml"
  [[ -s "$work/block.yaml" ]] || fail "the guide's block '$1' is empty"
  node - "$app" "$work/block.yaml" "$2" "${3:-}" <<'EOF' || fail "could not merge the guide's block '$1' into $2"
const fs = require('node:fs');
const path = require('node:path');
const [app, blockFile, targetFile, entity] = process.argv.slice(2);
const YAML = require(require.resolve('yaml', { paths: [app] }));
const merge = (into, from) => {
  if (Array.isArray(into) && Array.isArray(from)) return [...into, ...from];
  if (into && from && typeof into === 'object' && typeof from === 'object') {
    const result = { ...into };
    for (const [key, value] of Object.entries(from))
      result[key] = key in into ? merge(into[key], value) : value;
    return result;
  }
  return from;
};
const block = YAML.parse(fs.readFileSync(blockFile, 'utf8'));
const file = path.join(app, targetFile);
if (!entity) {
  const merged = merge(YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}, block);
  fs.writeFileSync(file, YAML.stringify(merged, { lineWidth: 0 }));
} else {
  const [kind, name] = entity.split('/');
  let found = false;
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(doc => {
    const value = doc.toJS();
    if (value?.kind === kind && value?.metadata?.name === name) {
      found = true;
      return merge(value, block);
    }
    return value;
  });
  if (!found) throw new Error(`no ${kind} ${name} in ${targetFile}`);
  fs.writeFileSync(file, docs.map(d => `---\n${YAML.stringify(d, { lineWidth: 0 })}`).join(''));
}
EOF
}

phase "guide steps 2-8: backend, frontend, config, annotation, policy"
apply_backend_index_block backend-index
apply_backend_index_block backend-index-modules
# New frontend system: the stock App.tsx, with the guide's addition.
grep -q 'features: \[catalogPlugin, navModule\]' "$app/packages/app/src/App.tsx" ||
  fail "the stock packages/app/src/App.tsx changed (no 'features: [catalogPlugin, navModule]'): update the guide's App.tsx block"
guide_block app-tsx >"$app/packages/app/src/App.tsx"
# Legacy frontend system: the stock app is on the new one, so the guide's legacy
# blocks are only type-checked, as modules of their own (exporting what they
# declare, since unused locals are errors).
{
  guide_block legacy-entity-page
  echo 'export { serviceEntityPage };'
} >"$app/packages/app/src/adopterCheckLegacyEntityPage.tsx"
run_guide_commands legacy-scaffolder-yarn-add
{
  guide_block legacy-scaffolder-route
  echo 'export { scaffolderRoute };'
} >"$app/packages/app/src/adopterCheckLegacyScaffolderRoute.tsx"
merge_yaml_block config-immutable-releases app-config.yaml
merge_yaml_block config-ci-token app-config.yaml
merge_yaml_block config-templates app-config.yaml
merge_yaml_block entity-annotation examples/entities.yaml Component/example-website
run_guide_commands policy-yarn-add
guide_block policy-file >"$app/packages/backend/src/immutableReleasesPolicy.ts"
apply_backend_index_block policy-backend-index
cp "$app/packages/backend/src/index.ts" "$logs/backend-index.ts"
ok

phase "one version of each shared library"
versions_summary=
for library in "${single_copy_libraries[@]}"; do
  versions=$(cd "$app" && corepack yarn why "$library" 2>>"$phase_log" |
    grep -oE "$library@npm:[0-9][^ ]*" | sed 's/.*@npm://' | sort -u | tr '\n' ' ' | sed 's/ $//')
  echo "$library: ${versions:-none}" >>"$phase_log"
  [[ -n "$versions" && "$versions" != *" "* ]] ||
    fail "yarn why $library shows ${versions:-no version} instead of exactly one"
  if [[ "$library" == @backstage/frontend-plugin-api ]]; then
    [[ "$versions" == 1.* ]] || fail "yarn why $library shows $versions, not 1.x"
    versions_summary="$library $versions"
  fi
done
ok "$versions_summary; ${#single_copy_libraries[@]} libraries checked"

phase "type check the app (yarn tsc)"
(cd "$app" && run corepack yarn tsc) || fail "yarn tsc failed in the app"
ok

phase "build the frontend (yarn workspace app build)"
(cd "$app" && run corepack yarn workspace app build) || fail "the frontend build failed"
grep -q "require('backstage-plugin-immutable-releases/alpha')" \
  "$app/packages/app/node_modules/__backstage-autodetected-plugins__.js" ||
  fail "app.packages: all did not discover backstage-plugin-immutable-releases/alpha"
ok "the plugin is discovered"

phase "start the app's backend"
port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
backend_url="http://127.0.0.1:$port"
# app-config.local.yaml: read after app-config.yaml by `yarn start`; only where
# the backend listens (its database is the stock SQLite in memory).
cat >"$app/app-config.local.yaml" <<EOF
app:
  baseUrl: http://127.0.0.1:$port
backend:
  baseUrl: $backend_url
  listen:
    host: 127.0.0.1
    port: $port
  cors:
    origin: http://127.0.0.1:$port
EOF
IMMUTABLE_RELEASES_CI_TOKEN="adopter-check-$(node -e 'console.log(require("node:crypto").randomBytes(16).toString("hex"))')"
export IMMUTABLE_RELEASES_CI_TOKEN
export BACKSTAGE_URL=$backend_url
cp "$app/app-config.yaml" "$logs/app-config.yaml"
backend_log="$logs/backend.log"
(cd "$app" && exec setsid corepack yarn workspace backend start >"$backend_log" 2>&1) &
backend_pid=$!
# Ready once every plugin and module has started; a module that throws stops it.
for _ in $(seq 1 240); do
  kill -0 "$backend_pid" 2>/dev/null || fail "the backend exited during start-up (see $backend_log)"
  grep -q 'Backend startup failed' "$backend_log" && fail "the backend did not start (see $backend_log)"
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$backend_url/.backstage/health/v1/readiness")" == 200 ]] && break
  sleep 1
done
expect_status 200 "$(api GET /.backstage/health/v1/readiness '')" "the backend's readiness within 240 s"
expect_status 200 "$(api GET /api/immutable-releases/health '')" "GET /api/immutable-releases/health"
[[ "$(json "$answer" 'j.status')" == ok ]] || fail "GET /api/immutable-releases/health answered $(head -c 200 "$answer")"
ok "$backend_url"

phase "catalog: the annotated entity and the templates"
# The stock guest sign-in (development mode) gives a user token.
expect_status 200 "$(api GET /api/auth/guest/refresh '')" "guest sign-in"
guest_token=$(json "$answer" 'j.backstageIdentity.token')
for _ in $(seq 1 120); do
  status=$(api GET /api/catalog/entities/by-name/template/default/promote-release "$guest_token")
  [[ "$status" == 200 ]] &&
    [[ "$(api GET /api/catalog/entities/by-name/template/default/register-first-release "$guest_token")" == 200 ]] &&
    [[ "$(api GET /api/catalog/entities/by-name/component/default/example-website "$guest_token")" == 200 ]] &&
    [[ "$(json "$answer" 'j.metadata.annotations?.["immutable-releases/pipeline"] ?? ""')" == default ]] &&
    break
  sleep 1
done
[[ "$(api GET /api/catalog/entities/by-name/template/default/promote-release "$guest_token")" == 200 ]] ||
  fail "the template promote-release from the guide's catalog location is not in the catalog after 120 s"
[[ "$(api GET /api/catalog/entities/by-name/component/default/example-website "$guest_token")" == 200 &&
  "$(json "$answer" 'j.metadata.annotations?.["immutable-releases/pipeline"] ?? ""')" == default ]] ||
  fail "component:default/example-website with the annotation immutable-releases/pipeline: default is not in the catalog after 120 s"
ok "templates promote-release and register-first-release, component example-website annotated"

phase "register a release with the CI token (guide step 6)"
register=$(guide_block ci-register)
[[ -n "$register" ]] || fail "the guide's block 'ci-register' is empty"
(cd "$app" && bash -euo pipefail -c "$register" >"$answer" 2>>"$phase_log") ||
  fail "the guide's registration failed: $(head -c 600 "$answer")"
release_id=$(json "$answer" 'j.id ?? ""')
[[ -n "$release_id" && "$(json "$answer" 'j.version')" == 1.0.0 && "$(json "$answer" 'j.createdBy')" == ci-pipeline ]] ||
  fail "the registration answered no release 1.0.0 created by ci-pipeline: $(head -c 600 "$answer")"
status=$(wait_for_status "/api/immutable-releases/v1/releases/$release_id" \
  'j.deployments?.find(d => d.environment === "development")?.status ?? "none"' "GET the release")
[[ "$status" == succeeded ]] || fail "the automatic deployment to development is '$status' after 60 s, not succeeded"
ok "release $release_id is deployed to development (autoPromote)"

phase "promote it to staging with the CI token"
expect_status 202 "$(api POST /api/immutable-releases/v1/promotions "$IMMUTABLE_RELEASES_CI_TOKEN" \
  "{\"entityRef\": \"component:default/example-website\", \"releaseId\": \"$release_id\", \"environment\": \"staging\", \"reason\": \"adopter check\"}")" \
  "POST /v1/promotions to staging"
deployment_id=$(json "$answer" 'j.id')
status=$(wait_for_status "/api/immutable-releases/v1/deployments/$deployment_id" 'j.status' "GET the deployment")
[[ "$status" == succeeded ]] || fail "the deployment to staging is '$status' after 60 s, not succeeded: $(head -c 600 "$answer")"
output=$(json "$answer" 'j.executor?.output ?? ""')
[[ "$output" == *"would deploy registry.example.com/acme/example-website@sha256:"*" to staging"* ]] ||
  fail "the guide's command executor did not print what it deploys: '$output'"
ok "deployment $deployment_id succeeded: $output"

phase "what the guide promises about the token and the policy"
expect_status 202 "$(api POST /api/immutable-releases/v1/promotions "$IMMUTABLE_RELEASES_CI_TOKEN" \
  "{\"entityRef\": \"component:default/example-website\", \"releaseId\": \"$release_id\", \"environment\": \"production\"}")" \
  "POST /v1/promotions to production"
[[ "$(json "$answer" 'j.status')" == pending ]] || fail "production did not wait for its approval: $(head -c 600 "$answer")"
production_deployment=$(json "$answer" 'j.id')
expect_status 403 "$(api POST "/api/immutable-releases/v1/deployments/$production_deployment/approvals" "$IMMUTABLE_RELEASES_CI_TOKEN" \
  '{"decision": "approve"}')" "the CI token approving"
expect_status 403 "$(api POST /api/immutable-releases/v1/rollbacks "$IMMUTABLE_RELEASES_CI_TOKEN" \
  '{"entityRef": "component:default/example-website", "environment": "staging", "reason": "adopter check"}')" \
  "the CI token rolling back (not in its accessRestrictions)"
grep -q 'immutable-releases.rollback.create' "$answer" || fail "the 403 does not name the permission: $(head -c 600 "$answer")"
status=$(api GET /api/catalog/entities?limit=1 "$IMMUTABLE_RELEASES_CI_TOKEN")
[[ "$status" == 401 || "$status" == 403 ]] ||
  fail "the CI token, restricted to immutable-releases, read the catalog (HTTP $status)"
expect_status 200 "$(api GET /api/immutable-releases/v1/entities/component/default/example-website/releases "$guest_token")" \
  "a signed-in user reading releases"
expect_status 403 "$(api POST /api/immutable-releases/v1/promotions "$guest_token" \
  "{\"entityRef\": \"component:default/example-website\", \"releaseId\": \"$release_id\", \"environment\": \"staging\"}")" \
  "the guest, not an owner, promoting (is the allow-all policy still installed?)"
expect_status 403 "$(api POST "/api/immutable-releases/v1/deployments/$production_deployment/approvals" "$guest_token" \
  '{"decision": "approve"}')" "the guest, not in the approver group, approving"
# An entity without the annotation follows the pipeline `default`.
expect_status 201 "$(api POST /api/immutable-releases/v1/releases "$IMMUTABLE_RELEASES_CI_TOKEN" \
  '{"entityRef": "api:default/example-grpc-api", "version": "1.0.0", "artifact": {"type": "other", "uri": "registry.example.com/acme/example-grpc-api", "digest": "sha256:8a7b6c5d4e3f201918171615141312111009080706050403020100a1b2c3d4e5"}}')" \
  "registering a release of the unannotated api:default/example-grpc-api"
expect_status 200 "$(api GET /api/immutable-releases/v1/entities/api/default/example-grpc-api/environments "$IMMUTABLE_RELEASES_CI_TOKEN")" \
  "GET the environments of api:default/example-grpc-api"
[[ "$(json "$answer" 'j.pipeline')" == default ]] || fail "the unannotated entity does not follow the pipeline default: $(head -c 600 "$answer")"
ok "production waits for an approval; the CI token may not approve, roll back or read the catalog; the guest may read, not promote or approve; no annotation means pipeline default"
