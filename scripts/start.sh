#!/usr/bin/env bash
# Installs and starts the portal locally: Node 22 and yarn 4 when missing,
# the dependencies, Kamaji's CRDs (scripts/kamaji-crds.sh), then `yarn start`
# (app on :3000, backend on :7007, SQLite, guest sign-in, local upstream
# simulators).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=toolchain.sh
. scripts/toolchain.sh
yarn install --immutable
# Kamaji's CRDs for the cluster simulator: KAMAJI_CRD_DIR, ../shared, or downloaded and checked
bash scripts/kamaji-crds.sh >/dev/null
exec yarn start
