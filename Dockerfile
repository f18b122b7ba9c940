# syntax=docker/dockerfile:1
#
# tuxwatch service image: `docker build -t tuxwatch .`, then `docker run tuxwatch` runs `tuxwatch serve`
# (Kafka in, Elasticsearch out; configured by the environment variables of src/config/env.schema.ts).
# `docker run --rm -i tuxwatch scan -` runs the CLI on stdin instead.
#
# Build arguments:
#   NODE_IMAGE  the Node 20 image to build on (a mirror, or a local stand-in where Docker Hub is out of reach)
#   REVISION    the source revision, for the org.opencontainers.image.revision label (`git rev-parse HEAD`)
#   SOURCE      where the source lives, for the org.opencontainers.image.source label (`git remote get-url origin`)
#
# The final image is distroless in style: the node binary and the shared libraries it links, the compiled
# service, its production dependencies and the bundled rules — no shell, no package manager, no npm, no
# compiler. It is assembled from the files, not from a Debian root: see the `runtime-root` stage.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------------
# build: all dependencies, compile TypeScript, then drop the dev dependencies
# ---------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first, so this layer is cached until the lock file changes. `--ignore-scripts` because the
# `prepare` script (the build) cannot run before the sources are here; no runtime dependency needs an
# install script.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# the build's last step bundles the CLI and the parse worker (faster start-up)
COPY scripts/bundle.mjs ./scripts/
COPY detections ./detections
# `npm prune` leaves the emptied scope directories (@types, @vitest, …) behind: remove them too. The
# application is then laid out under /out/app exactly as the final image holds it.
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -mindepth 1 -maxdepth 1 -type d -empty -delete \
 && mkdir -p /out/app \
 && cp -a package.json dist detections /out/app/

# ---------------------------------------------------------------------------------------------------------
# runtime-root: the operating-system part of the final image, picked from the Node image — node, the shared
# libraries `ldd` says it loads, the name-service files, and an account for the service
# ---------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime-root
RUN set -eu; \
    root=/out; node=$(command -v node); \
    mkdir -p "$root/usr/local/bin" "$root/etc" "$root/tmp" "$root/app"; \
    cp "$node" "$root/usr/local/bin/node"; \
    for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do \
      cp --parents -L "$lib" "$root/"; \
    done; \
    cp /etc/nsswitch.conf "$root/etc/"; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\ntuxwatch:x:10001:10001:tuxwatch:/nonexistent:/sbin/nologin\n' \
      > "$root/etc/passwd"; \
    printf 'root:x:0:\ntuxwatch:x:10001:\n' > "$root/etc/group"; \
    chmod 755 "$root/tmp"; \
    chown -R 0:0 "$root"; \
    chmod -R go-w "$root"

# ---------------------------------------------------------------------------------------------------------
# runtime: three layers (OS part, production node_modules, the application); everything owned by root and
# read-only to the service account 10001, so the service cannot modify its own code or rules
# ---------------------------------------------------------------------------------------------------------
FROM scratch AS runtime

ARG REVISION=unknown
ARG SOURCE=unknown
# version: kept equal to package.json's by test/unit/containers/dockerfile.test.ts
LABEL org.opencontainers.image.title="tuxwatch" \
      org.opencontainers.image.description="Detection service for Linux incident response: Kafka in, Sigma rules, Elasticsearch out" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="Apache-2.0"

COPY --from=runtime-root /out/ /
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /out/app/ /app/

# TUXWATCH_HTTP_HOST: the health and metrics server listens on every interface in a container (outside
# one it defaults to loopback), so that a published port and an orchestrator's probe reach it.
ENV PATH=/usr/local/bin \
    NODE_ENV=production \
    TUXWATCH_HTTP_HOST=0.0.0.0

WORKDIR /app
USER 10001:10001

# /health/live, /health/ready (and metrics) on TUXWATCH_HTTP_PORT
EXPOSE 8080

# No curl and no shell in this image: ask node itself. Honours TUXWATCH_HTTP_PORT when it is changed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TUXWATCH_HTTP_PORT||8080)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
