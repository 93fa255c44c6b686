# newsbot in a container: a release build, then a small runtime image running as a
# non-root user with the database in the /data volume.
#
#   docker build -t newsbot .
#   docker run --rm newsbot demo                      # the offline demo, no token needed
#   docker compose up -d                              # the bot, settings from .env

# --- build -------------------------------------------------------------------------------
FROM rust:1.95-bookworm AS build
WORKDIR /src
# Dependencies first, so editing the code does not rebuild them.
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
RUN mkdir -p src benches tests/it && echo 'fn main() {}' > src/main.rs && touch src/lib.rs \
    && for b in pipeline delivery robustness chat; do echo 'fn main() {}' > benches/$b.rs; done \
    && echo '' > tests/it/main.rs \
    && cargo build --release --locked --bin newsbot \
    && rm -rf src benches
COPY src ./src
COPY benches ./benches
RUN touch src/main.rs src/lib.rs && cargo build --release --locked --bin newsbot

# --- run ---------------------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin newsbot \
    && mkdir -p /data && chown newsbot:newsbot /data
COPY --from=build /src/target/release/newsbot /usr/local/bin/newsbot
USER newsbot
WORKDIR /data
ENV NEWSBOT_DATA_DIR=/data \
    NEWSBOT_DIGEST_DIR=/data/digests
VOLUME ["/data"]
# Webhook listener (NEWSBOT_LISTEN) and health/metrics (NEWSBOT_METRICS_LISTEN), when set.
EXPOSE 8080 9090
STOPSIGNAL SIGTERM
ENTRYPOINT ["newsbot"]
CMD ["serve"]
