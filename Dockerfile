# syntax=docker/dockerfile:1
#
# One image for the lab's TypeScript tools: `setup` (npm run migrate), `loadgen` (node --import tsx
# loadgen/main.ts, the same as `npm run loadgen` but without npm's `sh -c` between the container's
# init and the generator, so SIGTERM reaches it) and `metabase-setup` (npm run provision) in
# docker-compose.yml all run it with another command.
#
# Two stages: `deps` installs production dependencies from the lockfile (tsx is one of them, so
# `npm run` works without a compile step); `runtime` copies those plus only the folders the tools
# read. Everything in /app belongs to root and is read-only for the `node` user that runs the tools.
#
# NODE_IMAGE's default must equal images.env (test/unit/compose-dockerfile.test.ts checks it);
# compose passes the same value as a build argument.

ARG NODE_IMAGE=node:24.20.0-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NODE_OPTIONS=--max-old-space-size=384
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY config ./config
COPY loadgen ./loadgen
COPY scripts ./scripts
COPY metabase ./metabase
COPY materialize ./materialize
COPY postgres ./postgres
USER node
CMD ["node", "--import", "tsx", "loadgen/main.ts"]
