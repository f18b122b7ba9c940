# syntax=docker/dockerfile:1
#
# tuxwatch service image: `docker build -t tuxwatch .`, then `docker run tuxwatch` runs `tuxwatch serve`
# (Kafka in, Elasticsearch out; configured by the environment variables of src/config/env.schema.ts).
# `docker run --rm -i tuxwatch scan -` runs the CLI on stdin instead.

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
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------------------------------------
# runtime: compiled JS, production node_modules, bundled rules; no compiler, no npm run
# ---------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

LABEL org.opencontainers.image.title="tuxwatch" \
      org.opencontainers.image.description="Detection service for Linux incident response: Kafka in, Sigma rules, Elasticsearch out" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV NODE_ENV=production

# A dedicated unprivileged account. The application files stay owned by root: the service cannot
# modify its own code or rules.
RUN groupadd --system --gid 10001 tuxwatch \
 && useradd --system --uid 10001 --gid tuxwatch --no-create-home --home-dir /nonexistent \
            --shell /usr/sbin/nologin tuxwatch

WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY detections ./detections

USER 10001:10001

# /health/live, /health/ready (and metrics) on TUXWATCH_HTTP_PORT
EXPOSE 8080

# Slim images carry no curl: ask node itself. Honours TUXWATCH_HTTP_PORT when it is changed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TUXWATCH_HTTP_PORT||8080)+'/health/live',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
