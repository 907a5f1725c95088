#!/usr/bin/env bash
# Installs and starts the portal locally: Node 22 and yarn 4 when missing,
# the dependencies, then `yarn start` (app on :3000, backend on :7007, SQLite,
# guest sign-in, local upstream simulators).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=toolchain.sh
. scripts/toolchain.sh
yarn install --immutable
exec yarn start
