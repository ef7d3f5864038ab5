# The Cog server's image: the cog-server Debian package installed on Debian slim, run as the package's cog user.
# The build context is the folder ./build.sh package writes the packages to:
#   ./build.sh package && podman build -f packaging/containers/server.Dockerfile -t cog-server artifacts/debian
# Settings come from the environment (Cog__Section__Key) over the package's /etc/cog/server.json.
ARG BASE=docker.io/library/debian:bookworm-slim
FROM ${BASE}
COPY cog-server_*_amd64.deb /tmp/
# The package's Depends (libssl3, ca-certificates) come from Debian; its postinst creates the cog user.
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/cog-server_*_amd64.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/cog-server_*_amd64.deb
# Inside a container the API and the embedded broker listen on every interface; publish only what is needed.
ENV Cog__Api__Urls=http://0.0.0.0:4000 \
    Cog__Broker__BindAddress=0.0.0.0
USER cog
WORKDIR /var/lib/cog/server
VOLUME /var/lib/cog/server
EXPOSE 4000 1883
ENTRYPOINT ["/usr/lib/cog/server/cog"]
