# RealtimeApp image: build with the .NET SDK, run on the ASP.NET runtime as a non-root user on :8080.
#   docker build -t realtimeapp .
#   docker run -p 8080:8080 realtimeapp
# The Socket.IO client bundle the server serves at /socket.io/socket.io.min.js comes from npm (pinned in
# src/RealtimeApp.SocketIO/client/package-lock.json) and is embedded in the library at build; never a CDN.
FROM node:20-bookworm-slim AS client
WORKDIR /src/src/RealtimeApp.SocketIO/client
COPY src/RealtimeApp.SocketIO/client/package.json src/RealtimeApp.SocketIO/client/package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# The Socket.IO Admin UI's page and the fonts it links (pinned in src/RealtimeApp/AdminUI/package-lock.json),
# copied next to the app at publish and served at /admin-ui/ when SocketIO:AdminUI:Enabled is true.
WORKDIR /src/src/RealtimeApp/AdminUI
COPY src/RealtimeApp/AdminUI/package.json src/RealtimeApp/AdminUI/package-lock.json src/RealtimeApp/AdminUI/.npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files only, so the layer is reused until a dependency changes.
# Every project the app references (directly or not) must be copied here: restore skips a missing one and
# `publish --no-restore` then fails on its missing obj/project.assets.json (DockerfileTests replays this).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/RealtimeApp/RealtimeApp.csproj src/RealtimeApp/
COPY src/RealtimeApp.SocketIO/RealtimeApp.SocketIO.csproj src/RealtimeApp.SocketIO/
COPY src/RealtimeApp.SocketIO.Redis/RealtimeApp.SocketIO.Redis.csproj src/RealtimeApp.SocketIO.Redis/
RUN dotnet restore src/RealtimeApp/RealtimeApp.csproj

COPY src/ src/
COPY wwwroot/ wwwroot/
COPY --from=client /src/src/RealtimeApp.SocketIO/client/node_modules/socket.io-client/ src/RealtimeApp.SocketIO/client/node_modules/socket.io-client/
COPY --from=client /src/src/RealtimeApp/AdminUI/node_modules/ src/RealtimeApp/AdminUI/node_modules/
COPY appsettings.json ./
RUN dotnet publish src/RealtimeApp/RealtimeApp.csproj -c Release --no-restore -o /app/publish

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app/publish .

# The SQLite file lives in /app/data (mount a volume there to keep it); the app user must own it.
RUN mkdir -p /app/data && chown $APP_UID /app/data
VOLUME /app/data

# One dual-mode [::]:8080 socket (the startup trace shows it); the app user comes with the base image.
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID

# The runtime image has no curl: bash's /dev/tcp asks /health for a 200.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

ENTRYPOINT ["dotnet", "RealtimeApp.dll"]
