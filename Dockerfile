# ResuMate's image: a build stage with Debian's -dev packages, a web stage that builds the web app
# with Debian's Node.js and npm, and a runtime stage with only the shared libraries the binary
# links, the binary, the web app's files, Django's common-password list and the fonts of the
# exported PDFs (DejaVu; WenQuanYi Micro Hei for CJK).
#   docker build -t resumate .        (make docker-image; the base image: see deploy/README)
FROM debian:bookworm-slim AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ make cmake ninja-build pkg-config \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libsqlite3-dev libpq-dev libhiredis-dev libssl-dev libargon2-dev zlib1g-dev \
      libspdlog-dev libfmt-dev libcli11-dev libutf8proc-dev python3-django \
      libcmark-gfm-dev libcmark-gfm-extensions-dev libpango1.0-dev libcairo2-dev libzip-dev \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY src src
COPY bench bench
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRESUMATE_TESTS=OFF \
      -DRESUMATE_WEB=OFF -DCMAKE_CXX_COMPILER_LAUNCHER= \
    && cmake --build build --target resumate \
    && strip build/resumate \
    && build/resumate openapi -o build/openapi.json

# The web app: its API types come from the description the binary above prints.
FROM debian:bookworm-slim AS web
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
# The authorities the host's npm trusts beyond Debian's (deploy/build-ca/README.md); none unless
# deploy/docker.sh put the host's there. This stage is not part of the image that runs.
COPY deploy/build-ca/ /usr/local/share/resumate-build-ca/
RUN if [ -f /usr/local/share/resumate-build-ca/npm-ca.crt ]; then \
      export NODE_EXTRA_CA_CERTS=/usr/local/share/resumate-build-ca/npm-ca.crt; fi \
    && npm ci --no-audit --no-fund --loglevel=error
COPY web ./
COPY --from=build /src/build/openapi.json /src/openapi.json
RUN rm -rf dist && RESUMATE_OPENAPI=/src/openapi.json npm run build

FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends \
      libargon2-1 libboost-json1.81.0 libboost-url1.81.0 libfmt9 libhiredis0.14 libpq5 \
      libspdlog1.10 libsqlite3-0 libssl3 libutf8proc2 zlib1g ca-certificates \
      libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 libpangocairo-1.0-0 \
      libpango-1.0-0 libcairo2 libzip4 fontconfig fonts-dejavu-core fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
    && groupadd --system --gid 10001 resumate \
    && useradd --system --uid 10001 --gid resumate --home-dir /data --shell /usr/sbin/nologin resumate \
    && mkdir -p /data && chown resumate:resumate /data
COPY --from=build /usr/lib/python3/dist-packages/django/contrib/auth/common-passwords.txt.gz \
     /usr/share/resumate/common-passwords.txt.gz
COPY --from=build /src/build/resumate /usr/local/bin/resumate
COPY --from=web /src/web/dist /usr/share/resumate/web
ENV RESUMATE_DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=8000 \
    RESUMATE_COMMON_PASSWORDS=/usr/share/resumate/common-passwords.txt.gz
VOLUME ["/data"]
WORKDIR /data
USER resumate:resumate
EXPOSE 8000
# The binary answers its own probe (no curl in the image): GET /healthz on its port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["resumate", "healthcheck"]
# resumate is PID 1: it handles SIGTERM itself (stops accepting, finishes in-flight requests).
STOPSIGNAL SIGTERM
ENTRYPOINT ["resumate"]
CMD ["serve"]
