#!/usr/bin/env bash
# Generated clients read the committed contract: openapi-typescript + openapi-fetch and @hey-api/openapi-ts
# each generate a client from openapi/openapi.json into a temporary directory, and the small programs of
# test/clients/ (list a site's week of visits and read `start` after narrowing on `view`, list reason codes,
# submit a referral) must type-check against them under strict TypeScript. Run by .ci/run, not by npm test.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The programs and generated code resolve their packages from the project's node_modules.
ln -s "$PWD/node_modules" "$work/node_modules"
cp test/clients/*.ts "$work/"
mkdir -p "$work/generated"

# Without --default-non-nullable=false a field with a default would be one a client must send.
npx openapi-typescript openapi/openapi.json --default-non-nullable=false --output "$work/generated/openapi-typescript.ts" >/dev/null
npx openapi-ts --input "$PWD/openapi/openapi.json" --output "$work/generated/hey-api" --plugins @hey-api/client-fetch @hey-api/typescript @hey-api/sdk >/dev/null

cat >"$work/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "lib": ["ES2022", "DOM", "DOM.Iterable"],
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": []
  },
  "include": ["*.ts", "generated/**/*.ts"]
}
JSON
npx tsc -p "$work/tsconfig.json"
echo "clients: openapi-fetch and hey-api programs type-check against openapi/openapi.json"
