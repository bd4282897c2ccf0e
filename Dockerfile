# syntax=docker/dockerfile:1
# Build stage: full dependencies; compile with swc (as npm start and npm test do) and write the data template.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the sources are not here yet for the package's `prepare` (the build, run below);
# the dependencies' own install scripts (swc's and esbuild's) only check their native binaries.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY .swcrc ./
# The build also writes the migrated data template a first start on a new /data loads.
COPY migrations ./migrations
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# Runtime stage: production dependencies only, compiled code, migrations; runs as a non-root user.
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no `prepare` build here (the compiled program comes from the build stage); no production dependency has an install script.
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# As `npm run start:prod` runs it (test/server.test.ts keeps the two the same). A heap limit under
# 2 GB makes V8 grow its heap to at most 1.6 times what is live after a collection, not 4 times as on
# a machine with much memory (bench/README.md, "Memory under load").
CMD ["node", "--enable-source-maps", "--max-old-space-size=1024", "dist/src/server.js"]
