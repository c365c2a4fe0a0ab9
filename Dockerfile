# Production image: the compiled app, production dependencies only, run as a non-root user.
# It expects an external PostgreSQL (DATABASE_URL); the embedded one is for development.
# The operator's commands are in the image (docs/operations.md), e.g.
#   docker compose run --rm app node dist/cli.js --help
#   docker compose run --rm app node dist/cli.js bootstrap --municipality BSR --name-en ... \
#     --wards 23 --admin-username NAME --admin-display-name "Full Name"   (asks for the password)
#   docker compose run --rm app node dist/cli.js doctor
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The coordinator console is an npm workspace: its manifest must be there for `npm ci`.
COPY console/package.json ./console/
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json cli.ts schema.gql ./
COPY src ./src
COPY scripts ./scripts
COPY console ./console
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Residents' media and staff uploads (FILES_DIR): a volume in production, owned by the app's user.
ENV FILES_DIR=/var/lib/duare/files
RUN mkdir -p /var/lib/duare/files && chown -R node:node /var/lib/duare
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
