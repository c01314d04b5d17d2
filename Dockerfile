# syntax=docker/dockerfile:1
# The production image: a thin wrapper around the scripts the test suite runs without Docker.
#   build stage:   `npm run build` (next build with output: "standalone" + scripts/assemble-standalone.ts)
#   runtime stage: only .next/standalone (server, traced node_modules, static assets, migrations,
#                  start.mjs / migrate.mjs / registrants.mjs / healthcheck.mjs), run as the unprivileged `node` user.
# tests/e2e/standalone-start.spec.ts runs that folder the way this image does.
#
#   docker build -t registrants .
#   docker run -p 3000:3000 -v registrants-data:/data -e MIGRATE_ON_START=1 registrants
#   docker run --rm -v registrants-data:/data registrants node migrate.mjs    # db:migrate
#   docker run --rm -v registrants-data:/data registrants node registrants.mjs list [--page N]   # db:registrants
#   docker run --rm -v registrants-data:/data registrants node registrants.mjs export --format csv > registrants.csv
#   docker run --rm -v registrants-data:/data registrants node registrants.mjs remove someone@example.com

FROM node:24-slim AS build
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-slim AS runtime
WORKDIR /app
# Docker sets HOSTNAME to the container id; the server must listen on every interface instead.
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATABASE_URL=file:/data/lecture.db
RUN mkdir /data && chown node:node /data
COPY --from=build --chown=node:node /src/.next/standalone ./
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["node", "healthcheck.mjs"]
# exec form: node is PID 1 and gets SIGTERM itself (server/shutdown.ts); stops well within Docker's 10 s.
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=8", "start.mjs"]
