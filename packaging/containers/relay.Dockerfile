# A Cog relay's image: the cog-relay Debian package installed on Debian slim, run as the package's cog user.
# The build context is the folder ./build.sh package writes the packages to:
#   ./build.sh package && podman build -f packaging/containers/relay.Dockerfile -t cog-relay artifacts/debian
# Settings come from the environment (COG_RELAY_*); the token from a file (COG_RELAY_TOKEN_FILE, e.g. a secret).
# bubblewrap is left out: container engines refuse the user namespaces it needs unless the container is given more
# rights, so here the container is the boundary of bundle code, and the relay says at start which confinement is
# missing. Run the relay from the package on a host for the full sandbox.
ARG BASE=docker.io/library/debian:bookworm-slim
FROM ${BASE}
COPY cog-relay_*_amd64.deb /tmp/
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/cog-relay_*_amd64.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/cog-relay_*_amd64.deb
ENV COG_RELAY_CACHE=/var/lib/cog/relay
USER cog
WORKDIR /var/lib/cog/relay
VOLUME /var/lib/cog/relay
ENTRYPOINT ["/usr/lib/cog/relay/Cog.Relay"]
